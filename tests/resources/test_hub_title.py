"""The hub's <title> says what the list shows (issue 16, RGAA 8.6): its active filters and its page number."""

import re
from html import unescape

import pytest

from tests.factories import bulk_create_resources

pytestmark = pytest.mark.django_db


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)).strip()


def test_hub_title_has_its_filters_and_page(client, resource_index):
    bulk_create_resources(resource_index, 40)
    plain = title(client.get("/ressources/"))
    assert plain == f"{resource_index.title} — ma cantine"
    filtered = title(client.get("/ressources/?measure=quality&measure=waste&page=2"))
    assert filtered.startswith(f"{resource_index.title} — ")
    assert " — page 2 sur 2 — ma cantine" in filtered
    response = client.get("/ressources/?measure=quality")
    labels = [active.label for active in response.context["active_filters"]]
    assert labels and all(label in title(response) for label in labels)
    assert title(client.get("/ressources/?q=gaspillage")).startswith(
        f"{resource_index.title} — Recherche : « gaspillage »"
    )
