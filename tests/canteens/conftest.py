import pytest
from django.core.cache import cache

from tests.factories import CanteenFactory, UserFactory, YearlyDiagnosticFactory


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager_a(db):
    return UserFactory(email="a@example.org", first_name="Alice")


@pytest.fixture
def manager_b(db):
    return UserFactory(email="b@example.org", first_name="Bruno")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", is_staff=True)


@pytest.fixture
def canteen_a(manager_a):
    return CanteenFactory(name="École des Lilas", managers=[manager_a])


@pytest.fixture
def canteen_b(manager_b):
    return CanteenFactory(name="Collège Jean Moulin", managers=[manager_b])


@pytest.fixture
def diagnostic_a(canteen_a):
    return YearlyDiagnosticFactory(canteen=canteen_a, year=2024)
