"""Issue 16's « Smaller » and « Accessibility beyond axe » items checked without a browser: icon buttons keep
their text (DSFR: a `fr-btns-group` of icon buttons needs `fr-btns-group--icon-left`, or the buttons render as
icon-only squares), flash messages are announced (role alert / status)."""

import re
from pathlib import Path

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]


def templates():
    for path in ROOT.rglob("*.html"):
        if not {".venv", "node_modules", "var"} & set(path.relative_to(ROOT).parts):
            yield path


def test_every_group_of_icon_buttons_shows_their_text():
    bad = []
    for path in templates():
        text = path.read_text()
        for match in re.finditer(r'<ul class="(fr-btns-group[^"]*)"[^>]*>(.*?)</ul>', text, re.S):
            classes, body = match.groups()
            in_header = "fr-header__tools" in text[max(0, match.start() - 300) : match.start()]
            if "fr-btn--icon-left" in body and "fr-btns-group--icon-left" not in classes and not in_header:
                bad.append(f"{path.relative_to(ROOT)}: {classes}")
    assert not bad, bad


def test_the_results_and_canteen_list_buttons_have_text(client, home_page):
    html = render_to_string("canteens/canteen_list.html", {"canteens": []})
    assert 'fr-btns-group--icon-left"' in html or "fr-btns-group--icon-left " in html
    assert "Ajouter une cantine" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "level, role",
    [
        (constants.ERROR, "alert"),
        (constants.WARNING, "alert"),
        (constants.SUCCESS, "status"),
        (constants.INFO, "status"),
    ],
)
def test_flash_messages_have_a_role(home_page, level, role):
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    request._messages.add(level, "Un message")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string("base.html", {}, request=request)
    assert re.search(rf'<div class="fr-alert[^"]*" role="{role}">\s*<p>Un message</p>', html), html[:0]


@pytest.mark.parametrize("met, green", [(True, True), (False, False), (None, False)])
def test_the_poster_bio_box_is_green_only_when_the_target_is_met(met, green):
    summary = {
        "year": 2025,
        "rates": {"bio": "8,0\u00a0%", "egalim_excluding_bio": "10,0\u00a0%"},
        "rates_met": {"bio": met},
        "thresholds": {"bio": "20\u00a0%", "egalim": "50\u00a0%"},
        "measures": [],
        "labels": [],
    }
    html = render_to_string("diagnostic/poster.html", {"name": "Cantine", "summary": summary, "year": 2025})
    assert ('class="figure bio"' in html) is green
