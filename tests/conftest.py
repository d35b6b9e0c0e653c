"""Fixtures shared by every app's tests: a French site with its English translation."""

import pytest
from wagtail.models import Locale, Page, Site

from tests.factories import HomePageFactory


def make_locales():
    fr = Locale.objects.get_or_create(language_code="fr")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    return {"fr": fr, "en": en}


def make_home_page(locales):
    """The French home page as the default site's root, with a published English translation."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for welcome in Page.objects.filter(depth=2):  # Wagtail's initial "Welcome" page
        welcome.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root, locale=locales["fr"])
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="ma cantine")
    home_en = home.copy_for_translation(locales["en"])
    home_en = home_en.specific
    home_en.title = "Home"
    home_en.hero_title = "ma cantine — resource centre"
    home_en.slug = "home"
    home_en.save_revision().publish()
    return home


@pytest.fixture
def locales(db):
    return make_locales()


@pytest.fixture
def home_page(locales):
    """The French home page as the default site's root, with a published English translation."""
    return make_home_page(locales)


@pytest.fixture
def home_page_en(home_page, locales):
    return home_page.get_translation(locales["en"]).specific
