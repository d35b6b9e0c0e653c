from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et pages du site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .page_cache import connect_signals
        from .privacy import install

        connect_signals()
        install()  # a restricted page's aliases are private too (home/privacy.py)
