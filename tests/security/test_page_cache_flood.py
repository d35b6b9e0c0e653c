"""Finding 13: the page cache could be flooded with junk query strings (`/ressources/?junk=N`: every one a miss
stored for 300 s in a Redis shared with the rate-limit counters). The key holds only the parameters pages read
(PAGE_CACHE_PARAMETERS); a junk request gets the cached page and a junk miss is never stored. The Redis
maxmemory policy is documented in docs/exploitation.md."""

from pathlib import Path

import pytest
from django.core.cache import cache

from home.models import SiteSettings
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hub(settings, home_page):
    settings.PAGE_CACHE_SECONDS = 60
    SiteSettings.load()
    index = ResourceIndexPageFactory(parent=home_page)
    ResourcePageFactory(parent=index, title="Fiche bio", measures=["quality"])
    cache.clear()
    return index


def page_cache_entries():
    return [key for key in cache._cache if "page-cache:" in key and "generation" not in key]  # LocMemCache


def test_junk_parameters_store_nothing(client, hub):
    assert client.get(hub.url)["X-Page-Cache"] == "miss"
    stored = len(page_cache_entries())
    for number in range(20):
        response = client.get(f"{hub.url}?junk={number}")
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit"  # the clean page
    assert len(page_cache_entries()) == stored


def test_a_junk_parameter_on_a_cold_cache_is_rendered_not_stored(client, hub):
    response = client.get(f"{hub.url}?junk=1&measure=quality")
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert page_cache_entries() == []
    assert client.get(f"{hub.url}?measure=quality")["X-Page-Cache"] == "miss"


def test_the_parameters_pages_read_are_keyed_in_a_stable_order(client, hub):
    assert client.get(f"{hub.url}?measure=quality&sort=title")["X-Page-Cache"] == "miss"
    assert client.get(f"{hub.url}?sort=title&measure=quality")["X-Page-Cache"] == "hit"
    assert client.get(f"{hub.url}?measure=waste&sort=title")["X-Page-Cache"] == "miss"


def test_the_redis_eviction_policy_is_documented():
    text = (ROOT / "docs" / "exploitation.md").read_text()
    assert "maxmemory-policy" in text and "volatile-lru" in text
