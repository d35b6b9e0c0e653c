from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et pages du site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .cache_invalidation import connect_signals
        from .privacy import install
        from .request_cache import install as install_locale_memo

        connect_signals()  # the page cache and the chrome cache (home/cache_invalidation.py)
        install()  # a restricted page's aliases are private too (home/privacy.py)
        install_locale_memo()  # Locale lookups once per request (home/request_cache.py)
        post_migrate.connect(ensure_legal_pages, sender=self, dispatch_uid="home-legal-pages")


def ensure_legal_pages(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """After every `migrate`: the footer's mandatory pages exist once the site has a home page
    (home/legal_pages.py; docs/decisions/0009-legal-pages.md). Nothing to do on a fresh database."""
    from django.db import connections, transaction

    from .legal_pages import ensure
    from .models import AuditCriterion

    connection = connections[using]
    if using != DEFAULT_DB_ALIAS or AuditCriterion._meta.db_table not in connection.introspection.table_names():
        return  # home's migrations are not (all) applied: `migrate home 0002`, for instance
    with transaction.atomic(using=using):
        ensure(log=print if verbosity else None)
