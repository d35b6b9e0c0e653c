"""The French home page with its English translation, built once for a module (`module_transaction` in
tests/conftest.py) instead of once per test: each test runs in a savepoint and gets a copy of the objects, as
with tests/search/module_corpus.py. A module opts in by naming these fixtures at its top level:

    shared_home_site, home_site, locales, home_page = (
        module_site.shared_home_site, module_site.home_site, module_site.locales, module_site.home_page
    )

`home_page_en` (tests/conftest.py) then gives the shared page's translation."""

import copy

import pytest

from tests.conftest import build_site_once


@pytest.fixture(scope="module")
def shared_home_site(module_transaction, django_db_blocker):
    return build_site_once(django_db_blocker)


@pytest.fixture
def home_site(shared_home_site, db):
    return copy.deepcopy(shared_home_site)


@pytest.fixture
def locales(home_site):
    return home_site["locales"]


@pytest.fixture
def home_page(home_site):
    return home_site["home_page"]
