"""System checks of the home app."""

from django.conf import settings
from django.core.checks import Warning, register

PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@register()
def page_cache_needs_shared_cache(app_configs, **kwargs):
    if getattr(settings, "PAGE_CACHE_SECONDS", 0) <= 0:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "PAGE_CACHE_SECONDS is on with a process-local cache: a publication purges the cached pages "
                "of the worker that published only; the other workers serve the old page until it expires.",
                hint="Set REDIS_URL (a cache shared by the workers), or PAGE_CACHE_SECONDS=0.",
                id="home.W001",
            )
        ]
    return []
