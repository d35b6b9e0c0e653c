"""The search corpus built and indexed once for a module (`build_site_once` in tests/conftest.py), as the hub's
in tests/resources/test_hub.py: each test runs in a savepoint and gets a copy of the objects. A module opts in by
naming these fixtures at its top level (tests/search/test_postgresql.py)."""

import copy

import pytest

from tests.conftest import build_site_once, new_resource_index

from .conftest import build_corpus


@pytest.fixture(scope="module")
def shared_corpus_site(module_transaction, django_db_blocker):
    return build_site_once(
        django_db_blocker,
        resource_index=new_resource_index,
        corpus=lambda site: build_corpus(site["home_page"], site["resource_index"]),
    )


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
