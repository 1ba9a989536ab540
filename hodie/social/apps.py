from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "hodie.social"
    verbose_name = "Partners and readers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
