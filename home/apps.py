from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et pages du site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .page_cache import connect_signals
        from .privacy import install
        from .request_cache import connect_signals as connect_chrome_signals
        from .request_cache import install as install_locale_memo

        connect_signals()
        connect_chrome_signals()
        install()  # a restricted page's aliases are private too (home/privacy.py)
        install_locale_memo()  # Locale lookups once per request (home/request_cache.py)
