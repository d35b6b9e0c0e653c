"""Fixtures shared by every app's tests: a French site with its English translation."""

import pytest
from django.utils import translation
from wagtail.models import Locale, Page, Site

from tests.factories import HomePageFactory


@pytest.fixture(autouse=True)
def french():
    """Code called outside a request speaks French: the language an earlier test's /en/ request activated in this
    thread must not leak into it (searches ran in English after tests/accounts and found nothing)."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def fresh_chrome_cache():
    """The shared chrome cache (home/request_cache.py) outlives a test's rolled-back transaction: each test starts
    with a new generation, as a publication would give."""
    from home.request_cache import _new_generation

    _new_generation()


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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests (real threads on PostgreSQL) empty every table when they end, the data loaded by
    migrations included (locales, page tree, groups, workflow, territories). pytest-django runs them before the
    tests that use no `db` fixture, some of which build module-wide sites on that data: run them last."""

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
            return True
        return "transactional_db" in getattr(item, "fixturenames", ())

    items[:] = [item for item in items if not transactional(item)] + [item for item in items if transactional(item)]
