"""Blank vs zero in a canteen's entry: the form says to type 0, blanks stay blank, and a declaration whose
mandatory amounts are blank is refused with the list of what is missing (0 is accepted)."""

from decimal import Decimal

import pytest

from canteens.models import Teledeclaration, YearlyDiagnostic
from tests.canteens.test_documents import open_campaign

pytestmark = pytest.mark.django_db

SIMPLE = {
    "mode": "simple",
    "total": "420 000",
    "bio": "6300",
    "siqo": "4000",
    "environmental": "",  # left blank: « non renseigné », not 0
    "other_egalim": "3500",
    "meat_fish_total": "",
    "meat_fish_egalim": "",
}


def test_blank_stays_blank_zero_stays_zero_and_blank_mandatory_amounts_refuse_the_declaration(
    client, manager_a, canteen_a
):
    client.force_login(manager_a)
    edit = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/"
    html = client.get(edit).content.decode()
    assert "indiquez 0 s&#x27;il n&#x27;y a aucun achat" in html or "indiquez 0 s'il n'y a aucun achat" in html

    assert client.post(edit, SIMPLE).status_code == 302
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024)
    assert diagnostic.environmental is None and diagnostic.siqo == Decimal("4000")

    open_campaign()
    url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
    page = client.get(url).content.decode()
    assert "Montants obligatoires non renseignés : Dont achats sur critères environnementaux." in page.replace(
        "&#x27;", "'"
    )
    response = client.post(url, {"action": "submit"}, follow=True)
    assert not Teledeclaration.objects.exists()
    text = response.content.decode().replace("&#x27;", "'")
    assert "Montants obligatoires non renseignés : Dont achats sur critères environnementaux." in text

    # 0 is an answer: « no purchase on environmental criteria ». The declaration goes through.
    assert client.post(edit, {**SIMPLE, "environmental": "0"}).status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.environmental == Decimal("0")
    client.post(url, {"action": "submit"})
    sent = Teledeclaration.objects.get()
    assert sent.snapshot["inputs"]["purchases"]["environmental"] in ("0", "0.00")
