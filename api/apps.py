from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signals import connect
        from .wagtail import register_api_fields

        register_api_fields()
        connect()  # a password change revokes the account's API tokens
