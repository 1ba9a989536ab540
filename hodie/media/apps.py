from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "hodie.media"
    verbose_name = "Media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import hosts  # noqa: F401 - connects the receivers that forget the allowed hosts
