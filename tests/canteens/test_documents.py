"""Poster and receipt PDFs (text extracted with pypdf), teledeclaration windows and snapshots."""

import datetime
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from canteens import declaration
from canteens.models import Teledeclaration
from diagnostic import poster
from home.pdf import qr_data_uri
from tests.factories import CampaignFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_tagged(content: bytes, lang: str):
    """A tagged PDF (structure tree, /MarkInfo /Marked) whose /Lang is `lang`: what screen readers need."""
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert root.get("/Lang") == lang
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def open_campaign(year=2024, today=None):
    today = today or timezone.localdate()
    return CampaignFactory(
        year=year,
        declaration_start=today - datetime.timedelta(days=1),
        declaration_end=today + datetime.timedelta(days=1),
        correction_start=today + datetime.timedelta(days=2),
        correction_end=today + datetime.timedelta(days=5),
    )


class TestPoster:
    def test_poster_shows_the_figures_of_the_year_and_the_year_before(self, client, manager_a, canteen_a, diagnostic_a):
        YearlyDiagnosticFactory(canteen=canteen_a, year=2023, total=Decimal("80000"), bio=Decimal("8000"))
        diagnostic_a.poster_note = "Nos menus sont préparés sur place chaque matin."
        diagnostic_a.answers = {"information": {"informs_diners": True}}
        diagnostic_a.is_published = True  # the QR code and address only for a published year
        diagnostic_a.save()
        client.force_login(manager_a)
        response = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/affiche.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert round(float(box.width) / 72 * 25.4) == 210 and round(float(box.height) / 72 * 25.4) == 297  # A4
        text = pdf_text(response.content)
        assert "École des Lilas" in text
        assert "2024" in text
        assert "25,0" in text  # bio 25 000 / 100 000
        assert "30,0" in text  # EGAlim excluding bio: (15 000 + 5 000 + 10 000) / 100 000
        assert "10,0" in text  # 2023: bio 8 000 / 80 000
        assert "Label Rouge" in text and "Haute valeur environnementale" in text
        assert "Qualité et durabilité des produits" in text and "Information des convives" in text
        assert "Nos menus sont préparés sur place chaque matin." in text
        assert f"/cantines/{canteen_a.pk}-ecole-des-lilas/" in text
        assert_tagged(response.content, "fr")
        assert "met" not in text.replace("mets", "").replace("Met", "")  # no status code

    def test_five_measure_badges_and_the_qr_code_of_the_public_page(
        self, client, manager_a, canteen_a, diagnostic_a, monkeypatch
    ):
        from canteens.views import diagnostics as views

        diagnostic_a.is_published = True
        diagnostic_a.save()
        rendered = {}

        def capture(context):
            rendered["context"] = context
            rendered["html"] = render_to_string("diagnostic/poster.html", context)
            return poster.render_poster(context)

        monkeypatch.setattr(views, "render_poster", capture)
        client.force_login(manager_a)
        response = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/affiche.pdf")
        text = " ".join(pdf_text(response.content).split())
        labels = [measure["label"] for measure in rendered["context"]["summary"]["measures"]]
        assert len(labels) == 5
        for label in labels:
            assert label in text
        public_url = f"http://testserver/cantines/{canteen_a.pk}-ecole-des-lilas/"
        qr = qr_data_uri(public_url)
        assert rendered["context"]["qr"] == qr and f'<img src="{qr}"' in rendered["html"]
        assert "Année précédente" not in text and "L'année précédente" not in text  # no 2023 diagnostic

    def test_qr_code_is_an_svg_data_uri(self):
        assert qr_data_uri("https://example.org/cantines/1-x/").startswith("data:image/svg+xml;base64,")

    def test_weasyprint_failure_gives_a_clear_503(self, client, manager_a, canteen_a, diagnostic_a, monkeypatch):
        import weasyprint

        def broken(*args, **kwargs):
            raise OSError("cannot load library 'pango'")

        monkeypatch.setattr(weasyprint, "HTML", broken)
        client.force_login(manager_a)
        response = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/affiche.pdf")
        assert response.status_code == 503
        assert "ne peut pas être créé pour le moment" in response.content.decode()

    def test_poster_note_is_limited_to_700_characters(self, client, manager_a, canteen_a, diagnostic_a):
        client.force_login(manager_a)
        response = client.post(
            f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/",
            {"mode": "simple", "total": "100000", "poster_note": "x" * 701},
        )
        assert response.status_code == 400
        assert "au plus 700 caractères" in response.content.decode()


class TestDeclaration:
    def test_summary_shows_cost_per_meal_and_warnings(self, client, manager_a, canteen_a, diagnostic_a):
        open_campaign()
        canteen_a.yearly_meal_count = 4000  # 100 000 € / 4 000 meals = 25 € a meal
        canteen_a.save()
        client.force_login(manager_a)
        html = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/").content.decode()
        assert "25.00 €" in html or "25,00 €" in html
        assert "au-dessus de 20 €" in html
        assert "Télédéclarer" in html

    def test_submit_stores_an_immutable_snapshot_and_gives_a_receipt(self, client, manager_a, canteen_a, diagnostic_a):
        open_campaign()
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
        assert client.post(url, {"action": "submit"}).status_code == 302
        sent = Teledeclaration.objects.get()
        assert (sent.version, sent.status, sent.submitted_by) == (1, "submitted", manager_a)
        assert sent.snapshot["canteen"]["name"] == "École des Lilas"
        assert sent.snapshot["inputs"]["purchases"]["total"] == "100000.00"
        assert sent.snapshot["results"]["rates"]["bio"] == "25.00"
        assert sent.snapshot["cost_per_meal"] == "3.33"
        before = dict(sent.snapshot)

        # Later edits of the canteen and of the diagnostic leave the snapshot unchanged.
        canteen_a.name = "Nouveau nom"
        canteen_a.daily_meal_count = 999
        canteen_a.save()
        diagnostic_a.bio = Decimal("1")
        diagnostic_a.save()
        sent.refresh_from_db()
        assert sent.snapshot == before
        with pytest.raises(ValueError, match="immutable"):
            sent.save()

        receipt = client.get(f"{url}justificatif-v1.pdf")
        assert receipt.status_code == 200
        text = pdf_text(receipt.content)
        assert "École des Lilas" in text and "Nouveau nom" not in text
        assert "Version 1" in text
        # Read as a French document: words for the statuses, French number formatting, a tagged PDF in French.
        flat = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
        assert "100 000,00 € HT" in flat and "25,0 %" in flat and "3,33 €" in flat
        assert "not_met" not in text and "met" not in text.replace("mets", "")
        assert "100000.00" not in text and "25.00" not in text and "3.33" not in text
        assert_tagged(receipt.content, "fr")

        # The declaration page shows what was declared, not the canteen as edited since.
        canteen_a.yearly_meal_count = 4000
        canteen_a.save()
        html = client.get(url).content.decode()
        assert "Données déclarées" in html
        assert f"<dd>École des Lilas — {canteen_a.siret}</dd>" in html
        assert "3,33\u00a0€" in html  # the formatting helper: decimal comma, no-break space
        assert "25,00\u00a0€" not in html and "25,00 €" not in html and "au-dessus de 20 €" not in html

        # Editing the diagnostic is closed while it is declared.
        assert client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/").status_code == 302

    def test_cancel_and_resubmit_makes_a_new_version(self, manager_a, canteen_a, diagnostic_a):
        open_campaign()
        first = declaration.submit(canteen_a, diagnostic_a, manager_a)
        with pytest.raises(declaration.DeclarationRefused, match="déjà télédéclarée"):
            declaration.submit(canteen_a, diagnostic_a, manager_a)
        declaration.cancel(first, manager_a)
        diagnostic_a.bio = Decimal("30000")
        diagnostic_a.save()
        second = declaration.submit(canteen_a, diagnostic_a, manager_a)
        first.refresh_from_db()
        assert (first.status, first.snapshot["inputs"]["purchases"]["bio"]) == ("cancelled", "25000.00")
        assert (second.version, second.snapshot["inputs"]["purchases"]["bio"]) == (2, "30000.00")

    def test_correction_window_allows_cancel_and_resubmit(self, manager_a, canteen_a, diagnostic_a):
        campaign = open_campaign()
        first = declaration.submit(canteen_a, diagnostic_a, manager_a)
        in_corrections = campaign.correction_start
        declaration.cancel(first, manager_a, today=in_corrections)
        assert declaration.submit(canteen_a, diagnostic_a, manager_a, today=in_corrections).version == 2

    @pytest.mark.parametrize("offset", [-30, 30])
    def test_declaration_outside_the_window_is_refused(self, client, manager_a, canteen_a, diagnostic_a, offset):
        today = timezone.localdate()
        open_campaign(today=today + datetime.timedelta(days=offset))
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
        html = client.get(url).content.decode()
        assert "lecture seule" in html and 'value="submit"' not in html
        response = client.post(url, {"action": "submit"}, follow=True)
        assert "pas ouverte" in response.content.decode()
        assert not Teledeclaration.objects.exists()

    def test_no_campaign_no_declaration(self, manager_a, canteen_a, diagnostic_a):
        with pytest.raises(declaration.DeclarationRefused):
            declaration.submit(canteen_a, diagnostic_a, manager_a)

    def test_cancellation_after_the_window_is_refused(self, manager_a, canteen_a, diagnostic_a):
        campaign = open_campaign()
        sent = declaration.submit(canteen_a, diagnostic_a, manager_a)
        with pytest.raises(declaration.DeclarationRefused, match="close"):
            declaration.cancel(sent, manager_a, today=campaign.correction_end + datetime.timedelta(days=1))
        sent.refresh_from_db()
        assert sent.status == "submitted"


def test_public_json_has_only_published_years(client, canteen_a, diagnostic_a):
    YearlyDiagnosticFactory(canteen=canteen_a, year=2023, is_published=True)
    data = client.get(f"/api/v1/canteens/{canteen_a.pk}/").json()
    assert data["name"] == "École des Lilas" and data["department"] == "35"
    assert [year["year"] for year in data["published_years"]] == [2023]
    assert data["published_years"][0]["rates"]["bio"] == "25.00"
    assert data["published_years"][0]["rates"]["egalim_excluding_bio"] == "30.00"
    assert data["public_url"].endswith(f"/cantines/{canteen_a.pk}-ecole-des-lilas/")
    assert client.get("/api/v1/canteens/999999/").status_code == 404


def test_openapi_schema_documents_the_public_canteen_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["paths"]["/api/v1/canteens/{id}/"]["get"]["tags"] == ["canteens"]


@pytest.mark.parametrize("note", ["W" * 700, ("Un message aux convives.\n" * 40)[:700]])
def test_poster_stays_on_one_page_in_the_worst_case(note):
    from egalim.rules import DiagnosticInput, evaluate

    def evaluation(year):
        purchases = {"total": "1000", "bio": "100", "siqo": "50", "environmental": "0", "other_egalim": "0"}
        return evaluate(DiagnosticInput.from_dict({"year": year, "department": "972", "purchases": purchases}))

    context = poster.poster_context(
        "Restaurant administratif inter-ministériel de la Cité administrative de Fort-de-France et environs",
        evaluation(2024),
        previous=evaluation(2023),
        note=note,
        public_url="https://ma-cantine.example/cantines/123456-restaurant-administratif-inter-ministeriel/",
    )
    assert len(PdfReader(io.BytesIO(poster.render_poster(context))).pages) == 1


def test_declaration_page_and_receipt_in_english(client, manager_a, canteen_a, diagnostic_a):
    open_campaign()
    client.force_login(manager_a)
    url = f"/en/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
    html = client.get(url).content.decode()
    assert "Declaration 2024" in html and "Food cost per meal" in html and "Télédéclarer" not in html
    client.post(url, {"action": "submit"})
    text = pdf_text(client.get(f"{url}justificatif-v1.pdf").content)
    assert "Declaration receipt" in text and "Organic rate" in text and "25.0%" in text
    assert "€100,000.00 excl. VAT" in text and "not_met" not in text
