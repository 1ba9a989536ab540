from django.apps import AppConfig


class AlmanacConfig(AppConfig):
    name = "hodie.almanac"
    verbose_name = "Almanac"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hodie.site import caching

        from . import fragments, lines

        caching.connect()  # every save that alters a page drops the stored pages
        lines.connect()  # ... and the stored entry lines it changes
        fragments.connect()  # ... and the stored leads and holiday rules
