"""The anonymous diagnostic's poster, /diagnostic/resultats/affiche.pdf (diagnostic:poster): built from the answers
kept in the session, by the same diagnostic/poster.py as the manager's (tests/canteens/test_documents.py). Its rate
limit: tests/security/test_poster.py."""

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class TestAnonymousPoster:
    def test_poster_from_the_anonymous_diagnostic_session(self, client):
        client.post("/diagnostic/", {"department": "974", "year": "2025", "daily_meals": "150"})
        client.post(
            "/diagnostic/qualite/",
            {"total": "10000", "bio": "1200", "siqo": "800", "environmental": "0", "other_egalim": "500"},
        )
        response = client.get(
            "/diagnostic/resultats/affiche.pdf", {"name": "Cantine de Saint-Denis", "note": "Bon appétit"}
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Cantine de Saint-Denis" in text and "2025" in text
        assert "12,0" in text  # bio 1 200 / 10 000
        assert "13,0" in text  # EGAlim excluding bio: 1 300 / 10 000
        assert "Bon appétit" in text

    def test_the_french_names_of_old_links_are_still_read(self, client):
        client.post("/diagnostic/", {"department": "35", "year": "2024", "state_restaurant": "no"})
        response = client.get("/diagnostic/resultats/affiche.pdf", {"nom": "Cantine des Lilas", "message": "Miam"})
        text = pdf_text(response.content)
        assert "Cantine des Lilas" in text and "Miam" in text
        # both given (a link edited by hand): the English name wins
        response = client.get(
            "/diagnostic/resultats/affiche.pdf",
            {"name": "Cantine des Roses", "nom": "Cantine des Lilas", "note": "Bon appétit", "message": "Miam"},
        )
        text = pdf_text(response.content)
        assert "Cantine des Roses" in text and "Cantine des Lilas" not in text and "Miam" not in text

    def test_without_answers_it_sends_back_to_the_diagnostic(self, client):
        response = client.get("/diagnostic/resultats/affiche.pdf")
        assert response.status_code == 302 and response["Location"] == "/diagnostic/"
