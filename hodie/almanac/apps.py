from django.apps import AppConfig


class AlmanacConfig(AppConfig):
    name = "hodie.almanac"
    verbose_name = "Almanac"
    default_auto_field = "django.db.models.BigAutoField"
