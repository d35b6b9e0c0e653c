"""Navigation, breadcrumb and language switcher for the base template."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

from home.request_cache import memoised, shared

register = template.Library()


def _localized_home(request):
    def compute():
        site = Site.find_for_request(request)
        if site is None:
            return None
        root = site.root_page
        localized = root.localized
        return localized.specific if localized.live else root.specific

    return memoised(("localized-home", translation.get_language()), compute)


def _site_key(request) -> str:
    site = Site.find_for_request(request)
    return f"{site.pk if site else 0}:{translation.get_language()}"


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Pages ticked "Afficher dans les menus" under the home page of the current language."""
    request = context.get("request")
    if request is None:
        return []

    def compute():
        home = _localized_home(request)
        if home is None:
            return []
        return list(home.get_children().live().public().in_menu().only("id", "title", "url_path", "path", "depth"))

    return shared(f"menu:{_site_key(request)}", compute)  # home/request_cache.py: purged on publication


@register.simple_tag
def site_settings():
    """The footer's SiteSettings (a generic setting), from the shared cache: purged when they are saved."""
    from home.models import SiteSettings

    return shared("site-settings", SiteSettings.load)


@register.simple_tag(takes_context=True)
def breadcrumb(context):
    """Ancestors of the current page, from the home page (excluded) to the parent."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []

    def compute():
        return list(page.get_ancestors().filter(depth__gt=2).live().only("id", "title", "url_path", "path", "depth"))

    if page.pk is None or not page.path:  # a preview of a new page
        return compute()
    return shared(f"breadcrumb:{page.path}", compute)


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the page's translation when it exists, otherwise that language's home."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and page.pk is not None and request is not None:
        # the same links for every visitor of a page: shared between requests, purged on publication
        host = request.get_host()
        return shared(f"languages:{_site_key(request)}:{host}:{page.pk}", lambda: _language_links(request, page))
    return _language_links(request, page)


def _language_links(request, page):
    current = translation.get_language() or settings.LANGUAGE_CODE
    links = []
    translations = {}
    if isinstance(page, Page):
        for candidate in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[candidate.locale.language_code] = candidate
    for code, name in settings.LANGUAGES:
        url = None
        if code in translations:
            url = translations[code].get_url(request)
        elif isinstance(page, Page):
            home = None
            locale = Locale.objects.filter(language_code=code).first()
            if locale is not None and request is not None:
                site = Site.find_for_request(request)
                if site is not None:
                    home = site.root_page.get_translation_or_none(locale)
            url = home.get_url(request) if home is not None and home.live else None
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        if url is None:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return links
