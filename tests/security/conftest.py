"""Fixtures of the security tests: the territories' hand-checked world and the resources' editorial tree."""

import pytest
from django.core.cache import cache

from tests.resources.conftest import resource_index  # noqa: F401
from tests.territories.conftest import campaign, officer, world  # noqa: F401


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate-limit counters and cached pages live in the cache: every test starts from an empty one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager_a(db):
    from tests.factories import UserFactory

    return UserFactory(email="gestion-a@example.org")


@pytest.fixture
def canteen_a(manager_a):
    from tests.factories import CanteenFactory

    return CanteenFactory(name="École des Lilas", managers=[manager_a])
