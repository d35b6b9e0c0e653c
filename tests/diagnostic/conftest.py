"""Fixtures of the diagnostic tests: a clean cache (rate limits count there) and no API rate limit by default."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    cache.clear()
    settings.EGALIM_API_RATE_LIMIT = None
    yield
    cache.clear()
