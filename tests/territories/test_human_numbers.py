"""Documents meant for people write large numbers with the formatting helper (egalim/formatting.py): « 112 000 »,
« 25,30 » (narrow no-break space, decimal comma), in the campaign report (page and PDF) and the mail-merge check
page. The machine files (open data, the report's CSV/XLSX) keep plain numbers for their schema and spreadsheets."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from home.pdf import PDFUnavailable, render_pdf
from tests.canteens.test_documents import pdf_text

pytestmark = pytest.mark.django_db

RATES = {"bio": Decimal("25.30"), "egalim": Decimal("48.05")}
REPORT = {
    "year": 2024,
    "registered": 112000,
    "participating": 98765,
    "participation": Decimal("88.18"),
    "declared_by_central": 12345,
    "outliers": 1002,
    "rate_labels": {"bio": "Part de bio", "egalim": "Part EGAlim"},
    "objective_labels": {"bio": "bio"},
    "national": {"declarations": 98765, "rates": RATES, "objectives": {"bio": Decimal("12.50")}},
    "tables": {"category": [{"label": "Scolaire", "declarations": 45678, "rates": RATES, "objectives": {}}]},
    "method": "Méthode.",
}
CONTEXT = {"report": REPORT, "published": True, "charts": [], "titles": {"category": "Par catégorie"}}


def flat(text):
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_the_campaign_report_writes_counts_and_rates_for_people():
    with translation.override("fr"):
        html = flat(render_to_string("territories/_report_body.html", CONTEXT))
    assert "Cantines inscrites : 112 000" in html
    assert "Cantines ayant télédéclaré : 98 765 (participation 88,18 %)" in html
    assert "dont déclarées par leur cuisine centrale : 12 345" in html
    assert "Déclarations aberrantes exclues des taux : 1 002" in html
    assert "<td>45 678</td>" in html and "<td>25,30</td>" in html and "<td>12,50</td>" in html
    assert "112000" not in html and "25.30" not in html
    with translation.override("en"):
        english = flat(render_to_string("territories/_report_body.html", CONTEXT))
    assert "112,000" in english and "25.30" in english


def test_the_campaign_report_pdf_writes_counts_for_people():
    try:
        with translation.override("fr"):
            content = render_pdf("territories/report_pdf.html", CONTEXT)
    except PDFUnavailable:  # pragma: no cover - WeasyPrint is installed where the tests run
        pytest.skip("WeasyPrint unavailable")
    text = flat(pdf_text(content))
    assert "Cantines inscrites : 112 000" in text and "88,18" in text and "112000" not in text


def test_the_mail_merge_check_page_counts_canteens_for_people():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post("/territoires/suivi/publipostage/")
    request.user = AnonymousUser()
    preview = {"total": 1500, "counts": [("Télédéclarée", 1200)], "mismatched": 1200, "expected_labels": [], "rows": []}
    with translation.override("fr"):
        html = flat(
            render_to_string(
                "territories/mail_merge.html",
                {"preview": preview, "template": {"name": "Relance"}, "filter_items": [], "selected": []},
                request=request,
            )
        )
    assert "1 500 cantines destinataires" in html and "Télédéclarée : 1 200" in html
    assert "1 200 cantines ne sont pas dans le cas du modèle « Relance »" in html
