import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate limits count in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
