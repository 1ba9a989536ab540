from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "hodie.search"
    label = "search"
    verbose_name = "Search keys and related lists"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
