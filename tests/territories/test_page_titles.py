"""List pages' titles say what they show (issue 16, RGAA 8.6): the chosen filters and the page number, on the
registry and the officers' follow-up (the hub: tests/resources/test_hub_title.py)."""

import re
from html import unescape

import pytest

from territories import registry

pytestmark = pytest.mark.django_db


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)).strip()


def test_registry_title_has_its_filters_and_page(client, world, monkeypatch):
    assert title(client.get("/cantines/")) == "Trouver une cantine — ma cantine"
    assert title(client.get("/cantines/?departement=35&q=rennes")) == (
        "Trouver une cantine — rennes — 35 — Ille-et-Vilaine — ma cantine"
    )
    monkeypatch.setattr(registry, "PAGE_SIZE", 1)
    assert title(client.get("/cantines/?page=2")).startswith("Trouver une cantine — page 2 sur ")
    # an invalid value is not echoed
    assert title(client.get("/cantines/?departement=xx")) == "Erreur : Trouver une cantine — ma cantine"


def test_follow_up_title_has_its_status(client, world, officer):
    client.force_login(officer.user)
    response = client.get("/territoires/suivi/?statut=no_manager")
    assert title(response) == "Suivi des cantines du territoire — Sans gestionnaire — ma cantine"


def test_list_counts_have_thousands_separators(client, world, monkeypatch):
    """« 12 345 cantines », not « 12345 cantines » (issue 16: separators everywhere, egalim/formatting.py)."""
    from django.core.paginator import Paginator

    monkeypatch.setattr(Paginator, "count", property(lambda self: 12345))
    html = unescape(client.get("/cantines/").content.decode())
    assert "12\u202f345 cantines" in html
    english = unescape(client.get("/en/cantines/").content.decode())
    assert "12,345 canteens" in english
