"""sitemap.xml: the Wagtail pages of both languages (wagtail.contrib.sitemaps) and the registry's canteen pages.

Wired in config/urls.py; robots.txt (home.views.robots_txt) points to it.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from .models import CanteenStats


class PagesSitemap(WagtailSitemap):
    """Live, public pages of the site's tree in every language (French and English trees), without the English
    aliases of untranslated pages (they show the French content: the French URL is listed)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        trees = Q()
        for translation in root.get_translations(inclusive=True):
            trees |= Q(path__startswith=translation.path)
        return (
            Page.objects.filter(trees)
            .filter(alias_of__isnull=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


class CanteensSitemap(DjangoSitemap):
    """The public pages of the canteens listed in the registry (published, not hidden), in French and English."""

    i18n = True
    languages = ["fr", "en"]
    limit = 10000

    def items(self):
        return list(CanteenStats.objects.filter(listed=True).order_by("canteen_id").values_list("canteen_id", "name"))

    def location(self, item):
        pk, name = item
        return reverse("territories:canteen", args=[pk, slugify(name)[:80] or "cantine"])


def sitemaps():
    return {"pages": PagesSitemap, "cantines": CanteensSitemap}
