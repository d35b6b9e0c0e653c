"""The poster as people read it (issue 16): each status written once with its measures (not « NON ATTEINT » five
times), the meat-and-fish rate with its target where the rule applies (a Mayotte canteen meeting its overseas
bio and EGAlim targets is « non atteint » because of it), and the QR code only when the public page shows the
poster's year."""

from decimal import Decimal
from html import unescape

import pytest

from diagnostic import poster
from tests.canteens.test_documents import pdf_text
from tests.factories import CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


def poster_of(client, canteen, year=2024):
    response = client.get(f"/mes-cantines/{canteen.pk}/diagnostics/{year}/affiche.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


@pytest.fixture
def manager(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_each_status_is_written_once(client, manager):
    canteen = CanteenFactory(managers=[manager])
    # nothing answered but the purchases, far below the targets: every measure is missed or incomplete
    YearlyDiagnosticFactory(canteen=canteen, bio=Decimal("1000"), siqo=Decimal("0"), other_egalim=Decimal("0"))
    text = poster_of(client, canteen).upper()
    assert text.count("NON ATTEINT") == 1, text


def test_mayotte_shows_the_meat_and_fish_rate_that_explains_the_verdict(client, manager):
    canteen = CanteenFactory(managers=[manager], city_insee_code="97611", city="Mamoudzou")
    # bio 3 % and EGAlim 16 % meet Mayotte's 2024 targets (2 % and 5 %); meat and fish 10 % misses 60 %
    YearlyDiagnosticFactory(
        canteen=canteen,
        total=Decimal("100000"),
        bio=Decimal("3000"),
        siqo=Decimal("13000"),
        environmental=Decimal("0"),
        other_egalim=Decimal("0"),
        meat_fish_total=Decimal("30000"),
        meat_fish_egalim=Decimal("3000"),
        is_published=True,
    )
    text = poster_of(client, canteen)
    assert "de viandes et poissons durables et de qualité (EGAlim)" in text
    assert "10,0 %" in text and "objectif : 60 %" in text
    page = unescape(client.get(canteen.get_public_url()).content.decode()).replace("\u202f", " ").replace("\xa0", " ")
    assert "Viandes et poissons durables et de qualité (EGAlim)" in page and "objectif : 60 %" in page


def test_no_qr_code_while_the_year_is_not_published(client, manager, monkeypatch):
    from canteens.views import diagnostics as views

    contexts = []

    def capture(context):
        contexts.append(context)
        return poster.render_poster(context)

    monkeypatch.setattr(views, "render_poster", capture)
    canteen = CanteenFactory(managers=[manager], name="École du Port")
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, is_published=False)
    text = poster_of(client, canteen)
    assert contexts[-1]["qr"] is None and contexts[-1]["public_url"] is None
    assert "/cantines/" not in text and "Retrouvez le détail" not in text
    diagnostic.is_published = True
    diagnostic.save()
    text = poster_of(client, canteen)
    assert contexts[-1]["qr"] and f"/cantines/{canteen.pk}-" in text
