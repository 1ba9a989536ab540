from django.apps import AppConfig


class FediverseConfig(AppConfig):
    name = "hodie.fediverse"
    verbose_name = "Fediverse"
    default_auto_field = "django.db.models.BigAutoField"
