"""The search corpus built and indexed once for a module (`module_transaction` in tests/conftest.py), as the hub's
in tests/resources/test_hub.py: each test runs in a savepoint and gets a copy of the objects. A module opts in by
naming these fixtures at its top level (tests/search/test_postgresql.py)."""

import copy

import pytest

from tests.conftest import make_home_page, make_locales
from tests.factories import ResourceIndexPageFactory

from .conftest import build_corpus


@pytest.fixture(scope="module")
def shared_corpus_site(module_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        locales = make_locales()
        home_page = make_home_page(locales)
        resource_index = ResourceIndexPageFactory(parent=home_page)
        corpus = build_corpus(home_page, resource_index)
    return {"locales": locales, "home_page": home_page, "resource_index": resource_index, "corpus": corpus}


@pytest.fixture
def corpus_site(shared_corpus_site, db):
    return copy.deepcopy(shared_corpus_site)


@pytest.fixture
def locales(corpus_site):
    return corpus_site["locales"]


@pytest.fixture
def home_page(corpus_site):
    return corpus_site["home_page"]


@pytest.fixture
def resource_index(corpus_site):
    return corpus_site["resource_index"]


@pytest.fixture
def corpus(corpus_site):
    return corpus_site["corpus"]
