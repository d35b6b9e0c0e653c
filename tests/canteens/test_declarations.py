"""Teledeclaration as the campaign asks: completeness (the rules' table), implausible values confirmed, the
campaign's dates, a central kitchen declaring for its satellites, every version kept and exported."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from canteens import declaration
from canteens.models import Campaign, Teledeclaration, YearlyDiagnostic
from territories.models import DeclarationStats
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory


def open_campaign(year=2024, today=None):
    today = today or timezone.localdate()
    return CampaignFactory(
        year=year,
        declaration_start=today - datetime.timedelta(days=1),
        declaration_end=today + datetime.timedelta(days=1),
        correction_start=today + datetime.timedelta(days=2),
        correction_end=today + datetime.timedelta(days=5),
    )


def test_an_empty_diagnostic_is_refused_with_every_missing_value(client, manager_a, canteen_a):
    open_campaign()
    empty = YearlyDiagnostic.objects.create(canteen=canteen_a, year=2024)
    with pytest.raises(declaration.DeclarationIncomplete) as refusal:
        declaration.submit(canteen_a, empty, manager_a)
    assert set(refusal.value.errors) == {
        "total",
        "bio",
        "siqo",
        "environmental",
        "other_egalim",
    }
    assert not Teledeclaration.objects.exists()

    client.force_login(manager_a)
    url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
    html = client.get(url).content.decode()
    assert "5 valeurs obligatoires manquent" in html
    assert f'href="/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/#id_bio"' in html
    assert 'value="submit"' not in html
    response = client.post(url, {"action": "submit"}, follow=True)
    assert "incomplète" in response.content.decode()
    assert not Teledeclaration.objects.exists()


def test_a_partial_diagnostic_lists_what_is_left(manager_a, canteen_a):
    open_campaign()
    partial = YearlyDiagnosticFactory(canteen=canteen_a, year=2024, bio=None, environmental=None)
    with pytest.raises(declaration.DeclarationIncomplete) as refusal:
        declaration.submit(canteen_a, partial, manager_a)
    assert sorted(refusal.value.errors) == ["bio", "environmental"]
    assert "Montants obligatoires non renseignés" in str(refusal.value)


def test_implausible_values_need_an_explicit_confirmation(client, manager_a, canteen_a):
    open_campaign()
    canteen_a.yearly_meal_count = 1000  # 100 000 € / 1 000 meals = 100 € a meal
    canteen_a.save()
    YearlyDiagnosticFactory(canteen=canteen_a, year=2024)
    client.force_login(manager_a)
    url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/teledeclaration/"
    html = client.get(url).content.decode()
    assert 'name="confirm" value="cost_per_meal_high"' in html
    response = client.post(url, {"action": "submit"}, follow=True)
    assert "invraisemblables" in response.content.decode()
    assert not Teledeclaration.objects.exists()
    client.post(url, {"action": "submit", "confirm": "cost_per_meal_high"})
    sent = Teledeclaration.objects.get()
    assert sent.confirmed_warnings == ["cost_per_meal_high"]


def test_outside_the_campaign_the_refusal_gives_the_dates(manager_a, canteen_a, diagnostic_a):
    campaign = open_campaign(today=timezone.localdate() + datetime.timedelta(days=30))
    with pytest.raises(declaration.OutsideCampaign) as refusal:
        declaration.submit(canteen_a, diagnostic_a, manager_a)
    start = campaign.declaration_start
    assert f"du {start.day}" in str(refusal.value) and str(start.year) in str(refusal.value)


def test_a_campaign_closed_early_refuses_declarations(manager_a, canteen_a, diagnostic_a):
    campaign = open_campaign()
    campaign.closed_on = timezone.localdate()
    campaign.save()
    with pytest.raises(declaration.OutsideCampaign, match="close le"):
        declaration.submit(canteen_a, diagnostic_a, manager_a)
    campaign.declaration_end += datetime.timedelta(days=10)  # extending does not reopen a closed campaign
    campaign.save()
    assert Campaign.objects.get().phase() is None


def test_snapshot_keeps_the_declarant_the_territory_and_the_new_content(manager_a, canteen_a):
    open_campaign(year=2025)
    canteen_a.epci, canteen_a.epci_name = "243500139", "Rennes Métropole"
    canteen_a.pat = [{"code": "PAT-35-1", "name": "PAT du Pays de Rennes"}]
    canteen_a.save()
    diagnostic = YearlyDiagnosticFactory(
        canteen=canteen_a,
        year=2025,
        meat_poultry_total=Decimal("20000"),
        meat_poultry_egalim=Decimal("12000"),
        meat_poultry_france=Decimal("15000"),
        fish_seafood_total=Decimal("10000"),
        fish_seafood_egalim=Decimal("0"),
        bio_fair_trade=Decimal("1000"),
        has_waste_plan=False,
        vegetarian_menu_type="alternatives",
        communication_supports=["display", "website"],
        answers={
            "waste": {"diagnostic_done": True, "actions": []},
            "diversification": {"vegetarian_frequency": "daily", "plan": False},
            "plastic": {"cooking_containers": True, "serving_containers": True, "bottles": True, "tableware": True},
            "information": {"informs_diners": True},
        },
    )
    assert (diagnostic.meat_fish_total, diagnostic.meat_fish_egalim) == (Decimal("30000"), Decimal("12000"))
    sent = declaration.submit(canteen_a, diagnostic, manager_a)
    assert sent.applicant_snapshot == {"id": manager_a.pk, "name": manager_a.get_full_name(), "email": "a@example.org"}
    territory = sent.snapshot["territory"]
    assert (territory["region"], territory["region_name"], territory["epci"]) == ("53", "Bretagne", "243500139")
    assert territory["pat"] == [{"code": "PAT-35-1", "name": "PAT du Pays de Rennes"}]
    declared = sent.snapshot["inputs"]["declared"]
    assert declared["meat_poultry_france"] == "15000.00" and declared["fish_seafood_egalim"] == "0.00"
    assert declared["bio_fair_trade"] == "1000.00" and declared["other_egalim_fair_trade"] is None
    assert declared["has_waste_plan"] is False and declared["vegetarian_menu_type"] == "alternatives"
    assert sent.mode == "site"


@pytest.fixture
def central(manager_a):
    kitchen = CanteenFactory(name="Cuisine centrale", production_type="central", managers=[manager_a])
    satellites = [
        CanteenFactory(
            name=f"Satellite {n}",
            production_type="satellite",
            central_kitchen_siret=kitchen.siret,
            managers=[UserFactory(email=f"s{n}@example.org")],
            confirmed_central_kitchen=kitchen,
        )
        for n in range(3)
    ]
    # A fourth satellite names the SIRET but its managers never confirmed: not declared for.
    CanteenFactory(name="Satellite non confirmé", production_type="satellite", central_kitchen_siret=kitchen.siret)
    return kitchen, satellites


def test_a_central_kitchen_declares_for_its_three_satellites(client, manager_a, central):
    kitchen, satellites = central
    open_campaign()
    diagnostic = YearlyDiagnosticFactory(canteen=kitchen, year=2024)
    with pytest.raises(declaration.DeclarationIncomplete) as refusal:
        declaration.submit(kitchen, diagnostic, manager_a)
    assert list(refusal.value.errors) == ["central_kitchen_mode"]
    diagnostic.central_kitchen_mode = "all"
    diagnostic.save()

    sent = declaration.submit(kitchen, diagnostic, manager_a)
    assert sent.mode == "central_all"
    names = ["Satellite 0", "Satellite 1", "Satellite 2"]
    assert [satellite["name"] for satellite in sent.satellites_snapshot] == names
    made = Teledeclaration.objects.filter(central_declaration=sent).order_by("canteen__name")
    assert [d.canteen.name for d in made] == ["Satellite 0", "Satellite 1", "Satellite 2"]
    assert {d.status for d in made} == {"submitted"}
    assert made[0].snapshot["central_kitchen"]["id"] == kitchen.pk
    assert made[0].snapshot["canteen"]["name"] == "Satellite 0"
    # The pooled statistics count the central kitchen's amounts once.
    assert DeclarationStats.objects.filter(year=2024).count() == 1

    # Each satellite sees the declaration, and cannot declare or cancel it itself.
    satellite = satellites[1]
    client.force_login(satellite.managers.get())
    html = client.get(f"/mes-cantines/{satellite.pk}/diagnostics/2024/teledeclaration/").content.decode()
    assert "par sa cuisine centrale, Cuisine centrale" in html and 'value="cancel"' not in html
    own = YearlyDiagnosticFactory(canteen=satellite, year=2024)
    with pytest.raises(declaration.DeclarationRefused, match="déclare déjà"):
        declaration.submit(satellite, own, satellite.managers.get())

    # Cancelling the central kitchen's declaration cancels the satellites' ones.
    declaration.cancel(sent, manager_a)
    assert set(Teledeclaration.objects.values_list("status", flat=True)) == {"cancelled"}


def test_central_kitchen_declaring_supplies_only(manager_a, central):
    kitchen, satellites = central
    open_campaign(year=2025)
    diagnostic = YearlyDiagnosticFactory(canteen=kitchen, year=2024, central_kitchen_mode="appro")
    diagnostic.year = 2025
    diagnostic.meat_poultry_total = diagnostic.fish_seafood_total = Decimal("15000")
    diagnostic.meat_poultry_egalim = diagnostic.fish_seafood_egalim = Decimal("5000")
    diagnostic.has_waste_plan = True
    diagnostic.vegetarian_menu_type = "unique"
    diagnostic.communication_supports = ["display"]
    diagnostic.answers = {
        "waste": {"diagnostic_done": True, "actions": ["portions"]},
        "diversification": {"vegetarian_frequency": "weekly", "plan": True},
        "plastic": {"cooking_containers": True, "serving_containers": True, "bottles": True, "tableware": True},
        "information": {"informs_diners": True},
    }
    diagnostic.save()
    sent = declaration.submit(kitchen, diagnostic, manager_a)
    assert sent.mode == "central_appro" and not Teledeclaration.objects.filter(central_declaration=sent).exists()
    # The satellite declares the rest, without purchase amounts.
    satellite = satellites[0]
    own = YearlyDiagnostic.objects.create(
        canteen=satellite, year=2025, answers=diagnostic.answers, has_waste_plan=True, vegetarian_menu_type="unique"
    )
    own.communication_supports = ["display"]
    own.save()
    made = declaration.submit(satellite, own, satellite.managers.get())
    assert made.mode == "satellite_without_appro"


def test_every_version_is_kept_and_exportable(client, manager_a, canteen_a, diagnostic_a):
    open_campaign()
    first = declaration.submit(canteen_a, diagnostic_a, manager_a)
    declaration.cancel(first, manager_a)
    diagnostic_a.bio = Decimal("30000")
    diagnostic_a.save()
    declaration.submit(canteen_a, diagnostic_a, manager_a)
    client.force_login(manager_a)
    response = client.get(f"/mes-cantines/{canteen_a.pk}/teledeclarations.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(row["version"], row["status"], row["bio"]) for row in rows] == [
        ("1", "cancelled", "25000.00"),
        ("2", "submitted", "30000.00"),
    ]
    assert rows[0]["submitted_by"] == "a@example.org"
    response = client.get(f"/mes-cantines/{canteen_a.pk}/teledeclarations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))][:5] == [
        "canteen_id",
        "name",
        "siret",
        "year",
        "version",
    ]
    assert sheet.max_row == 3
    # Another manager gets a 404.
    client.force_login(UserFactory(email="other@example.org"))
    assert client.get(f"/mes-cantines/{canteen_a.pk}/teledeclarations.csv").status_code == 404


def test_the_incomplete_declaration_message_uses_gettext_plurals():
    """No « valeur(s) obligatoire(s) » pseudo plural: one value, several values, in French and in English."""
    from types import SimpleNamespace

    from django.utils import translation

    from canteens.declaration import DeclarationIncomplete

    def missing(count):
        return [SimpleNamespace(field=f"f{n}", message=lambda lang: "manque") for n in range(count)]

    with translation.override("fr"):
        assert str(DeclarationIncomplete(missing(1))) == "La déclaration est incomplète : 1 valeur obligatoire manque."
        assert str(DeclarationIncomplete(missing(5))).endswith(": 5 valeurs obligatoires manquent.")
    with translation.override("en"):
        assert str(DeclarationIncomplete(missing(1))) == "The declaration is incomplete: 1 mandatory value is missing."
        assert str(DeclarationIncomplete(missing(5))).endswith(": 5 mandatory values are missing.")
