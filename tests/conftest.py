"""Fixtures shared by every app's tests: a French site with its English translation; the order and the work units
of the parallel run (`make test`: pytest-xdist, one test database per worker)."""

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from wagtail.models import Locale, Page, Site

from tests import dbtemplate
from tests.factories import HomePageFactory

# Test databases are thrown away: their commits need not wait for the disk (≈ 5 ms each here). libpq reads PGOPTIONS,
# so this reaches every connection of the session — workers, the template's migration, the live site's gunicorn and
# `load_demo` — which start after this module is imported. An explicit PGOPTIONS wins.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")


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


@contextmanager
def shared_transaction(django_db_blocker):
    """A transaction around a group of tests (a module, a package): what fixtures of that scope create is shared by
    its tests, whose own transactions (pytest-django's `db`) become savepoints, and is rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # durable blocks of the code under test stay allowed, as in TestCase
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """`shared_transaction` around the module (tests/admin/conftest.py has its package-scoped twin)."""
    with shared_transaction(django_db_blocker):
        yield


@pytest.fixture(params=[131_072, 2**31 - 2], ids=["csv-default-limit", "csv-limit-raised"])
def csv_limit(request):
    """csv.field_size_limit, set for the test (and restored): csv's default, or as frictionless leaves it
    process-wide once its CSV parser is imported (2³¹ - 2; tests/territories/test_national.py, maybe in the same
    worker). CSV uploads have a limit of their own (home.spreadsheets.csv_records) that must hold either way."""
    import csv

    before = csv.field_size_limit(request.param)
    yield request.param
    csv.field_size_limit(before)


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


def build_site_once(django_db_blocker, **builds):
    """For a module-scoped fixture (after `module_transaction`): the French site (`make_home_page`) and, for each
    `name=build` in order, `build(site)` under that name, `site` holding what is built so far (`locales`,
    `home_page`, the earlier builds), built once in the module's transaction. The test-scoped fixture gives each
    test `copy.deepcopy()` of it: tests run in savepoints, so what they write is rolled back, and what they
    change on the objects is their own (tests/module_site.py, tests/search/module_corpus.py,
    tests/resources/test_hub.py, tests/diagnostic/test_resources.py, tests/home/test_english_leftovers.py)."""
    with django_db_blocker.unblock():
        locales = make_locales()
        site = {"locales": locales, "home_page": make_home_page(locales)}
        for name, build in builds.items():
            site[name] = build(site)
    return site


def new_resource_index(site):
    """A `build_site_once` build: a resource index under the home page."""
    from tests.factories import ResourceIndexPageFactory

    return ResourceIndexPageFactory(parent=site["home_page"])


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
        config.cantine_template = dbtemplate.start(config)  # migrated while the workers start and collect


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput") and os.environ.get(UNITS):
        Path(os.environ.pop(UNITS)).unlink(missing_ok=True)
    if getattr(config, "cantine_template", None):
        config.cantine_template.finish()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """In a parallel run on PostgreSQL, this worker's test database is a copy of the template database that the
    controller migrated once (tests/dbtemplate.py): Django's `migrate` then has nothing left to apply."""
    template = dbtemplate.ready_template()
    if template:
        from django.conf import settings

        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template


def pytest_xdist_make_scheduler(config, log):
    """`-n N` (`--dist load`, the default): xdist's load scheduling, by work unit instead of by test. Units go
    out largest first, then in collection order, so the transactional tests (units of one test, collected last)
    are the last that each worker runs, after every other test it runs. (xdist's own `--dist loadgroup`
    relies on renaming test ids, which pytest 9.2 no longer allows.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        """xdist's LoadScopeScheduling keys a unit's tests by node id, and schemathesis gives its generated tests
        (tests/api/test_schema.py, one per API operation) a single node id: only one of them would run. Here a
        unit's tests are keyed by their index in the collection, which is also what the workers are sent."""

        units = None

        def _split_scope(self, nodeid):
            if self.units is None:
                try:
                    self.units = json.loads(Path(os.environ[UNITS]).read_text() or "{}")
                except (KeyError, OSError, ValueError):
                    self.units = {}  # one unit per test, in collection order: xdist's load scheduling
            return self.units.get(nodeid) or nodeid

        def schedule(self):
            assert self.collection_is_completed
            if self.collection is not None:  # a node added later
                for node in self.nodes:
                    self._reschedule(node)
                return
            if not self._check_nodes_have_same_collection():
                self.log("**Different tests collected, aborting run**")
                return
            self.collection = list(next(iter(self.registered_collections.values())))
            if not self.collection:
                return
            queue = {}
            for index, nodeid in enumerate(self.collection):
                queue.setdefault(self._split_scope(nodeid), {})[index] = False
            order = sorted(queue, key=lambda scope: -len(queue[scope])) if config.option.loadscopereorder else queue
            for scope in order:
                self.workqueue[scope] = queue[scope]
            for _ in range(len(self.nodes) - len(self.workqueue)):  # more workers than units
                node, _work = self.assigned_work.popitem()
                node.shutdown()
            for node in self.nodes:
                self._assign_work_unit(node)
            for node in self.nodes:
                self._reschedule(node)

        def _assign_work_unit(self, node):
            scope, work_unit = self.workqueue.popitem(last=False)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            node.send_runtest_some([index for index, completed in work_unit.items() if not completed])

        def mark_test_complete(self, node, item_index, duration=0):
            scope = self._split_scope(self.registered_collections[node][item_index])
            self.assigned_work[node][scope][item_index] = True
            self._reschedule(node)

        def remove_node(self, node):
            workload = self.assigned_work.pop(node)
            pending = [index for unit in workload.values() for index, completed in unit.items() if not completed]
            if not pending:
                return None
            self.workqueue.update(workload)  # a crashed node: its unfinished units go back to the queue
            for other in self.assigned_work:
                self._reschedule(other)
            return self.collection[pending[0]]

    return WorkUnitScheduling(config, log)
