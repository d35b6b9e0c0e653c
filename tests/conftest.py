"""Fixtures shared by every app's tests: a French site with its English translation; the order and the work units
of the parallel run (`make test`: pytest-xdist, one test database per worker)."""

import json
import os
import tempfile
from pathlib import Path

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


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


def work_unit(item):
    """The tests one worker runs together because they share an expensive fixture, which that worker builds once:
    the live site and Chromium (every test using them: one gunicorn, one `load_demo`), the admin tests' editorial
    site (package-scoped), each other module (module-scoped sites, e.g. tests/api). A transactional test is a unit
    of its own, so that it keeps its place at the end (see below)."""
    if is_transactional(item):
        return None
    fixtures = getattr(item, "fixturenames", ())
    if "live_site" in fixtures or "browser" in fixtures:
        return "live-site"
    if item.nodeid.startswith("tests/admin/"):
        return "tests/admin"
    return item.nodeid.split("::")[0]


UNITS = "CANTINE_TEST_UNITS"  # the file where workers write each test's unit for the controller's scheduler


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Transactional tests (real threads on PostgreSQL) empty every table when they end, the data loaded by
    migrations included (locales, page tree, groups, workflow, territories). pytest-django runs them before the
    tests that use no `db` fixture, some of which build module-wide sites on that data: run them last.

    In a parallel run each worker also writes the work units (`work_unit`) for the controller's scheduler."""
    last = [item for item in items if is_transactional(item)]
    items[:] = [item for item in items if not is_transactional(item)] + last
    if hasattr(config, "workerinput") and os.environ.get(UNITS):
        path = Path(os.environ[UNITS])
        draft = path.with_name(f"{path.name}.{config.workerinput['workerid']}")
        draft.write_text(json.dumps({item.nodeid: work_unit(item) for item in items}))
        draft.replace(path)  # atomic: every worker writes the same content


def pytest_configure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        handle, name = tempfile.mkstemp(prefix="cantine-test-units-", suffix=".json")
        os.close(handle)
        os.environ[UNITS] = name  # inherited by the workers, started later (pytest_sessionstart)


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput") and os.environ.get(UNITS):
        Path(os.environ.pop(UNITS)).unlink(missing_ok=True)


def pytest_xdist_make_scheduler(config, log):
    """`-n N` (`--dist load`, the default): xdist's load scheduling, by work unit instead of by test. Units go
    out largest first, then in collection order, so the transactional tests (units of one test, collected last)
    are the last that each worker runs, after every other test it runs. (xdist's own `--dist loadgroup`
    relies on renaming test ids, which pytest 9.2 no longer allows.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        units = None

        def _split_scope(self, nodeid):
            if self.units is None:
                try:
                    self.units = json.loads(Path(os.environ[UNITS]).read_text() or "{}")
                except (KeyError, OSError, ValueError):
                    self.units = {}  # one unit per test, in collection order: xdist's load scheduling
            return self.units.get(nodeid) or nodeid

    return WorkUnitScheduling(config, log)
