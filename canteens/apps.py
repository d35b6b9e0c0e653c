from django.apps import AppConfig


class CanteensConfig(AppConfig):
    name = "canteens"
    verbose_name = "Cantines"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .invitations import accept_on_login

        user_logged_in.connect(accept_on_login, dispatch_uid="canteens.accept_invitations")
