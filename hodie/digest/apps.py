from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "hodie.digest"
    verbose_name = "Email digest"
    default_auto_field = "django.db.models.BigAutoField"
