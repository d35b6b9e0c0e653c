"""One wiring of the signals that empty the site's two caches: the anonymous pages (home/page_cache.py) and the
chrome shared by every page, menus, footer and settings (home/request_cache.py).

Wagtail's page signals (published, unpublished, moved, slug changed) empty both. A saved or deleted object
empties them when a page may show it: settings, snippets, documents, images, sites, locales and view
restrictions (`content_models`; never renditions, made while pages are served). Pages themselves: the chrome
reads their titles and menus from the database, so any saved page (a draft too) empties it; the page cache is
emptied when a page is published, or deleted. Creating a settings row with its defaults (`load()` on a first
visit) changes nothing the chrome shows.
"""

from functools import cache


@cache
def content_models() -> tuple[tuple, tuple, tuple]:
    """(models whose change empties both caches, models never purging, settings models)."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    content = (
        PageViewRestriction,
        BaseGenericSetting,
        BaseSiteSetting,
        AbstractDocument,
        AbstractImage,
        Site,
        Locale,
        *get_snippet_models(),
    )
    return content, (AbstractRendition,), (BaseGenericSetting, BaseSiteSetting)


def purge_all():
    from . import page_cache, request_cache

    page_cache.purge()
    request_cache.purge()


def _on_page_change(sender, **kwargs):
    purge_all()


def _on_save(sender, instance, created=False, **kwargs):
    from wagtail.models import Page

    from . import page_cache, request_cache

    content, ignored, settings_models = content_models()
    if isinstance(instance, ignored):
        return
    if isinstance(instance, content):
        page_cache.purge()
    if isinstance(instance, (Page, *content)) and not (created and isinstance(instance, settings_models)):
        request_cache.purge()


def _on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    content, ignored, _settings = content_models()
    if isinstance(instance, (Page, *content)) and not isinstance(instance, ignored):
        purge_all()


def connect_signals():
    """Called once by HomeConfig.ready()."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_on_page_change, dispatch_uid=f"home-caches-{id(signal)}")
    post_save.connect(_on_save, dispatch_uid="home-caches-model-save")
    post_delete.connect(_on_delete, dispatch_uid="home-caches-model-delete")
