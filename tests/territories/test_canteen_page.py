"""A canteen's public page, /cantines/<id>-<slug>/ (territories owns /cantines/: docs/decisions/0011-url-prefixes.md):
its published years only, French and English, the canonical slug (docs/decisions/0006-canteen-public-page.md)."""

from decimal import Decimal

import pytest

from tests.factories import CanteenFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen_a(db):
    return CanteenFactory(name="École des Lilas")


@pytest.fixture
def diagnostic_a(canteen_a):
    return YearlyDiagnosticFactory(canteen=canteen_a, year=2024)


def test_only_published_years_are_shown(client, canteen_a, diagnostic_a):
    YearlyDiagnosticFactory(canteen=canteen_a, year=2023, bio=Decimal("12345"), is_published=False)
    url = f"/cantines/{canteen_a.pk}-ecole-des-lilas/"
    html = client.get(url).content.decode()
    assert "École des Lilas" in html and "pas encore publié" in html
    diagnostic_a.is_published = True
    diagnostic_a.save()
    html = client.get(url).content.decode()
    assert "Bilan 2024" in html and "25,0\u00a0%" in html and "Bilan 2023" not in html


def test_public_page_and_poster_in_english(client, canteen_a, diagnostic_a):
    diagnostic_a.is_published = True
    diagnostic_a.save()
    html = client.get(f"/en/cantines/{canteen_a.pk}-ecole-des-lilas/").content.decode()
    assert "Results 2024" in html and "Organic products" in html and "Produits bio" not in html
    assert "Primary school (nursery and elementary)" in html

    import io

    from pypdf import PdfReader

    from diagnostic import poster

    context = poster.poster_context("School", diagnostic_a.evaluate(canteen_a), lang="en")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(poster.render_poster(context))).pages)
    text = " ".join(text.split())
    assert "organic products" in text and "The five measures of the EGAlim law" in text
    assert "produits bio" not in text


def test_wrong_slug_redirects_and_unknown_canteen_is_404(client, canteen_a):
    response = client.get(f"/cantines/{canteen_a.pk}-autre-nom/")
    assert response.status_code == 301 and response["Location"] == f"/cantines/{canteen_a.pk}-ecole-des-lilas/"
    assert client.get("/cantines/999999-x/").status_code == 404
    assert client.get(f"/en/cantines/{canteen_a.pk}-ecole-des-lilas/").status_code == 200
