import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail

from canteens.models import Canteen, ManagerInvitation, YearlyDiagnostic
from egalim.rules import RuleInputError
from tests.factories import CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Restaurant scolaire des Capucins",
    "siret": "213 401 722 01787",
    "siren_unite_legale": "",
    "city_insee_code": "34172",
    "city": "Montpellier",
    "sectors": ["school_primary", "school_middle"],
    "management_type": "direct",
    "production_type": "on_site",
    "central_kitchen_siret": "",
    "economic_model": "public",
    "line_ministry": "",
    "daily_meal_count": "350",
    "yearly_meal_count": "50000",
}


def post_canteen(client, **changes):
    return client.post("/mes-cantines/nouvelle/", {**VALID, **changes})


class TestCanteenForm:
    def test_create_canteen(self, client, manager_a):
        client.force_login(manager_a)
        assert client.get("/mes-cantines/nouvelle/").status_code == 200
        response = post_canteen(client)
        canteen = Canteen.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/mes-cantines/{canteen.pk}/"
        assert canteen.siret == "21340172201787"
        assert canteen.department == "34"
        assert list(canteen.managers.all()) == [manager_a]
        assert canteen.sectors == ["school_primary", "school_middle"]

    @pytest.mark.parametrize(
        "changes, field_error",
        [
            ({"siret": "21340172201788"}, "la clé de contrôle ne correspond pas"),
            ({"siret": "2134017220178"}, "Le SIRET compte 14 chiffres"),
            ({"siret": "", "siren_unite_legale": ""}, "Indiquez le SIRET de la cantine ou, à défaut, le SIREN"),
            ({"city_insee_code": "3417"}, "Le code INSEE de la commune compte 5 caractères"),
            ({"city_insee_code": "97625"}, "commune n&#x27;a le code INSEE 97625"),  # Mayotte's range, no commune
            (
                {"sectors": ["school_primary", "school_middle", "school_high", "university"]},
                "Choisissez de 1 à 3 secteurs dans la liste.",
            ),
            ({"sectors": []}, "Choisissez au moins un secteur."),
            ({"daily_meal_count": "2"}, "Au moins 3 couverts par jour."),
            ({"yearly_meal_count": "400"}, "Au moins 420 couverts par an."),
            ({"daily_meal_count": "600", "yearly_meal_count": "500"}, "doit être supérieur au nombre par jour"),
            ({"production_type": "satellite"}, "Indiquez le SIRET de la cuisine centrale"),
            ({"economic_model": "private", "line_ministry": "justice"}, "Seul un restaurant public"),
        ],
    )
    def test_form_errors_in_french(self, client, manager_a, changes, field_error):
        client.force_login(manager_a)
        response = post_canteen(client, **changes)
        assert response.status_code == 400
        assert response.content.decode().count(field_error) == 2  # at its field and in the error summary
        assert not Canteen.objects.exists()

    def test_site_without_siret_uses_the_siren_of_its_legal_unit(self, client, manager_a):
        client.force_login(manager_a)
        post_canteen(client, siret="", siren_unite_legale="213401722")
        assert Canteen.objects.get().identifier == "213401722"

    def test_registered_siret_offers_to_ask_the_managers(self, client, manager_a, manager_b, canteen_b):
        client.force_login(manager_a)
        html = post_canteen(client, siret=canteen_b.siret).content.decode()
        assert "Une cantine est déjà enregistrée avec ce SIRET." in html and "Collège Jean Moulin" not in html
        assert f"/mes-cantines/rejoindre/?siret={canteen_b.siret}" in html
        response = client.post("/mes-cantines/rejoindre/", {"siret": canteen_b.siret})
        assert response.status_code == 302
        assert mail.outbox[0].to == ["b@example.org"]
        assert "a@example.org" in mail.outbox[0].body
        assert not canteen_b.managers.filter(pk=manager_a.pk).exists()  # only the managers can add someone

    def test_state_restaurant_and_edit(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        data = {**VALID, "siret": canteen_a.siret, "line_ministry": "justice", "sectors": ["prison"]}
        assert client.post(f"/mes-cantines/{canteen_a.pk}/modifier/", data).status_code == 302
        canteen_a.refresh_from_db()
        assert canteen_a.state_restaurant and canteen_a.line_ministry == "justice"
        # The rules then apply the State's meat and fish target (100 %), from 2024; otherwise not.
        diagnostic = YearlyDiagnosticFactory(canteen=canteen_a, year=2024)
        assert diagnostic.evaluate(canteen_a).applied_thresholds["meat_fish_egalim"] == 100
        canteen_a.line_ministry = ""
        assert diagnostic.evaluate(canteen_a).applied_thresholds["meat_fish_egalim"] < 100


class TestManagers:
    def test_inviting_an_existing_user_adds_them(self, client, manager_a, manager_b, canteen_a):
        client.force_login(manager_a)
        response = client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"email": "B@example.org"})
        assert response.status_code == 302
        assert canteen_a.managers.filter(pk=manager_b.pk).exists()
        assert mail.outbox[0].to == ["b@example.org"]

    def test_invitation_is_accepted_when_the_invited_person_signs_up(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"email": "nouvelle@example.org"})
        assert ManagerInvitation.objects.filter(canteen=canteen_a, email="nouvelle@example.org").exists()
        assert "/compte/inscription/" in mail.outbox[0].body
        client.logout()
        client.post(
            "/compte/inscription/",
            {
                "first_name": "Nora",
                "last_name": "Petit",
                "email": "nouvelle@example.org",
                "password1": "une phrase de passe longue",
                "password2": "une phrase de passe longue",
            },
        )
        activation = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
        client.post(activation)
        html = client.get("/mes-cantines/").content.decode()
        assert "École des Lilas" in html
        assert not ManagerInvitation.objects.exists()

    def test_remove_manager_but_keep_one(self, client, manager_a, manager_b, canteen_a):
        canteen_a.managers.add(manager_b)
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/gestionnaires/"
        client.post(url, {"remove": manager_b.pk})
        assert list(canteen_a.managers.all()) == [manager_a]
        html = client.post(url, {"remove": manager_a.pk}, follow=True).content.decode()
        assert "au moins un gestionnaire" in html
        assert list(canteen_a.managers.all()) == [manager_a]

    def test_cannot_remove_someone_from_another_canteen(self, client, manager_a, manager_b, canteen_a, canteen_b):
        client.force_login(manager_a)
        response = client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"remove": manager_b.pk})
        assert response.status_code == 404
        assert canteen_b.managers.filter(pk=manager_b.pk).exists()


class TestYearlyDiagnostic:
    def test_simple_mode_answers_and_dashboard(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2025/"
        assert "Pas encore de diagnostic" in client.get(url).content.decode()
        data = {
            "mode": "simple",
            "total": "10 000",
            "bio": "1000",
            "siqo": "500",
            "environmental": "0",
            "other_egalim": "0",
            "meat_fish_total": "4000",
            "meat_fish_egalim": "1000",
            "waste-diagnostic_done": "yes",
            "plastic-bottles": "no",
            "diversification-vegetarian_frequency": "weekly",
        }
        response = client.post(url + "modifier/", data)
        assert response.status_code == 302
        diagnostic = YearlyDiagnostic.objects.get(canteen=canteen_a, year=2025)
        assert diagnostic.total == Decimal("10000") and diagnostic.mode == "simple"
        assert diagnostic.answers == {
            "waste": {"diagnostic_done": True, "actions": []},
            "plastic": {"bottles": False},
            "diversification": {"vegetarian_frequency": "weekly"},
        }
        html = client.get(url).content.decode()
        assert "10,0\u00a0%" in html  # bio
        assert "15,0\u00a0%" in html  # EGAlim
        assert "Pas d&#x27;action de réduction du gaspillage" in html or "Pas d'action de réduction" in html
        assert "Bouteilles d&#x27;eau en plastique" in html or "Bouteilles d'eau en plastique" in html
        assert "/ressources/?measure=plastic&amp;gap=plastic.bottles" in html

    def test_detailed_mode_sums_the_families(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/"
        assert 'name="meat_poultry__total"' in client.get(url + "?mode=detailed").content.decode()
        data = {
            "mode": "detailed",
            "meat_poultry__total": "1000",
            "meat_poultry__siqo": "600",
            "fish_seafood__total": "500",
            "fish_seafood__bio": "100",
            "fruits_vegetables__total": "2000",
            "fruits_vegetables__bio": "800",
        }
        assert client.post(url, data).status_code == 302
        diagnostic = YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024)
        assert (diagnostic.total, diagnostic.bio, diagnostic.siqo) == (Decimal(3500), Decimal(900), Decimal(600))
        assert (diagnostic.meat_fish_total, diagnostic.meat_fish_egalim) == (Decimal(1500), Decimal(700))
        assert diagnostic.family_detail["meat_poultry"] == {"total": "1000", "siqo": "600"}

    def test_inconsistent_amounts_are_refused_with_french_messages(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/modifier/"
        response = client.post(url, {"mode": "simple", "total": "100", "bio": "200"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Les achats bio ne peuvent pas dépasser le total des achats." in html
        html = client.post(url, {"mode": "detailed", "dairy__bio": "20"}).content.decode()
        assert "Indiquez le total des achats de cette famille de produits." in html
        assert not YearlyDiagnostic.objects.exists()

    def test_prefill_from_last_year_and_history(self, client, manager_a, canteen_a, diagnostic_a):
        diagnostic_a.answers = {"information": {"informs_diners": True}}
        diagnostic_a.save()
        client.force_login(manager_a)
        html = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2025/").content.decode()
        assert "Reprendre les données de 2024" in html
        response = client.post(f"/mes-cantines/{canteen_a.pk}/diagnostics/2025/reprendre/")
        assert response["Location"] == f"/mes-cantines/{canteen_a.pk}/diagnostics/2025/modifier/"
        copy = YearlyDiagnostic.objects.get(canteen=canteen_a, year=2025)
        assert copy.total == diagnostic_a.total and copy.answers == diagnostic_a.answers
        assert client.post(f"/mes-cantines/{canteen_a.pk}/diagnostics/2023/reprendre/").status_code == 302
        assert not YearlyDiagnostic.objects.filter(year=2023).exists()
        html = client.get(f"/mes-cantines/{canteen_a.pk}/").content.decode()
        assert "Historique des taux d&#x27;achats" in html or "Historique des taux d'achats" in html
        assert html.count("25,0\u00a0%") == 2  # bio 2024 and 2025

    def test_dashboard_query_count_does_not_grow_with_history(
        self, client, manager_a, canteen_a, django_assert_max_num_queries
    ):
        client.force_login(manager_a)
        for year in range(2022, 2026):
            YearlyDiagnosticFactory(canteen=canteen_a, year=year)
        client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/")
        with django_assert_max_num_queries(16):
            response = client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/")
        assert response.status_code == 200

    def test_year_outside_the_rules_is_404(self, client, manager_a, canteen_a):
        client.force_login(manager_a)
        assert client.get(f"/mes-cantines/{canteen_a.pk}/diagnostics/2019/").status_code == 404


class TestPublication:
    def test_manager_publishes_and_hides_a_year(self, client, manager_a, canteen_a, diagnostic_a):
        client.force_login(manager_a)
        url = f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/publication/"
        client.post(url, {"publish": "1"})
        diagnostic_a.refresh_from_db()
        assert diagnostic_a.is_published
        client.post(url, {"publish": "0"})
        diagnostic_a.refresh_from_db()
        assert not diagnostic_a.is_published


def test_satellite_links_to_its_central_kitchen(manager_a):
    central = CanteenFactory(production_type="central", managers=[UserFactory()])
    satellite = CanteenFactory(production_type="satellite", central_kitchen_siret=central.siret, managers=[manager_a])
    assert satellite.central_kitchen() == central
    assert list(central.satellites()) == []  # until the satellite's managers agree
    satellite.confirmed_central_kitchen = central
    satellite.save()
    assert list(central.satellites()) == [satellite]


def test_armed_forces_canteens_have_no_public_page(client, manager_a):
    """Like the territories' lists, the public page, its JSON and the poster's QR code never show a defence site."""
    canteen = CanteenFactory(
        name="Mess de la base", managers=[manager_a], economic_model="public", line_ministry="armees"
    )
    YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True)
    assert client.get(canteen.get_public_url()).status_code == 404
    assert client.get(f"/api/v1/canteens/{canteen.pk}/").status_code == 404
    listing = client.get("/api/v1/canteens/")
    assert listing.status_code == 200 and "Mess de la base" not in listing.content.decode()
    client.force_login(manager_a)
    html = client.get(f"/mes-cantines/{canteen.pk}/diagnostics/2024/").content.decode()
    assert "n'ont pas de page publique" in html and "Publier cette année" not in html
    assert canteen.get_public_url() not in client.get(canteen.get_absolute_url()).content.decode()
    import io

    from pypdf import PdfReader

    pdf = client.get(f"/mes-cantines/{canteen.pk}/diagnostics/2024/affiche.pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mess de la base" in text and "/cantines/" not in text  # no public URL (nor QR code) on the poster


def test_join_requests_are_rate_limited(client, settings, manager_a, canteen_b):
    """Each join request e-mails the managers: a logged-in person cannot flood them."""
    settings.MAGIC_LINK_RATE_LIMIT = "2/m"
    client.force_login(manager_a)
    url = "/mes-cantines/rejoindre/"
    assert [client.post(url, {"siret": canteen_b.siret}).status_code for _attempt in range(3)] == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_canteen_form_in_english(client, manager_a, canteen_a):
    client.force_login(manager_a)
    html = client.get("/en/mes-cantines/nouvelle/").content.decode()
    assert "Add a canteen" in html and "SIREN of the legal unit" in html and "Primary school" in html
    response = client.post("/en/mes-cantines/nouvelle/", {**VALID, "siret": "21340172201788", "daily_meal_count": "2"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This SIRET is not valid (the check digit does not match)" in html and "At least 3 meals a day." in html
    html = client.get("/en/mes-cantines/").content.decode()
    assert "École des Lilas" in html and "Add a canteen" in html


def unevaluable_canteen(**fields):
    """A canteen with a published year the rules cannot evaluate: its commune code (an old Corsican one, 20xxx)
    has no known department, so `diagnostic.evaluate()` raises RuleInputError."""
    canteen = CanteenFactory(city_insee_code="20004", city="Ajaccio", **fields)
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True)
    with pytest.raises(RuleInputError):
        diagnostic.evaluate(canteen)
    return canteen


def stored_rows():
    from territories.models import CanteenStats

    return {row.canteen_id: row for row in CanteenStats.objects.all()}


def assert_stored_rules_are_the_querysets():
    """CanteenStats.hidden / .listed / .published_year hold Canteen.objects.public() / .listed() and the last
    published year, row by row."""
    rows = stored_rows()
    assert set(rows) == set(Canteen.objects.values_list("pk", flat=True))
    assert {pk for pk, row in rows.items() if row.listed} == set(Canteen.objects.listed().values_list("pk", flat=True))
    assert {pk for pk, row in rows.items() if not row.hidden} == set(
        Canteen.objects.public().values_list("pk", flat=True)
    )
    last_years = {}
    for canteen_id, year in YearlyDiagnostic.objects.filter(is_published=True).values_list("canteen_id", "year"):
        last_years[canteen_id] = max(year, last_years.get(canteen_id, year))
    assert {pk: row.published_year for pk, row in rows.items() if row.published_year is not None} == last_years


def test_the_stored_listed_flag_is_the_listed_rule(db, django_capture_on_commit_callbacks):
    """territories.CanteenStats.listed (the registry's, the map's and the statistics' filter) holds, row by row,
    the rule of Canteen.objects.listed(): public (not armed forces) and at least one published year — whether or
    not the rules can evaluate that year — after the signals, `rebuild_canteens_of` and `rebuild` alike."""
    from territories import stats

    published = CanteenFactory(name="Publiée")
    YearlyDiagnosticFactory(canteen=published, year=2024, is_published=True)
    draft = CanteenFactory(name="Brouillon")
    YearlyDiagnosticFactory(canteen=draft, year=2024, is_published=False)
    CanteenFactory(name="Sans diagnostic")
    barracks = CanteenFactory(name="Mess", line_ministry="armees")
    YearlyDiagnosticFactory(canteen=barracks, year=2024, is_published=True)
    older = CanteenFactory(name="Ancienne année publiée")
    YearlyDiagnosticFactory(canteen=older, year=2023, is_published=True)
    YearlyDiagnosticFactory(canteen=older, year=2024, is_published=False)
    unevaluable = unevaluable_canteen(name="Commune sans département")
    withdrawn = CanteenFactory(name="Dépubliée")
    diagnostic = YearlyDiagnosticFactory(canteen=withdrawn, year=2024, is_published=True)
    diagnostic.is_published = False
    diagnostic.save()
    deleted = CanteenFactory(name="Bilan supprimé")
    with django_capture_on_commit_callbacks(execute=True):
        YearlyDiagnosticFactory(canteen=deleted, year=2024, is_published=True).delete()
    moved = CanteenFactory(name="Passée aux armées")
    YearlyDiagnosticFactory(canteen=moved, year=2024, is_published=True)
    moved.line_ministry = "armees"
    moved.save()

    expected = {published.pk, older.pk, unevaluable.pk}
    assert set(Canteen.objects.listed().values_list("pk", flat=True)) == expected
    assert_stored_rules_are_the_querysets()  # kept by the signals
    row = stored_rows()[unevaluable.pk]
    assert (row.listed, row.published_year, row.bio_rate, row.egalim_rate, row.objectives_met) == (
        True,
        2024,
        None,
        None,
        None,
    )
    assert stored_rows()[older.pk].published_year == 2023
    stats.rebuild_canteens_of(list(Canteen.objects.values_list("pk", flat=True)))  # bulk loaders' path
    assert_stored_rules_are_the_querysets()
    stats.rebuild()
    assert_stored_rules_are_the_querysets()
    assert barracks.pk not in {pk for pk, row in stored_rows().items() if not row.hidden}


def test_the_public_rule_has_one_home():
    """Issue 20: « may this canteen be shown » is written once, in canteens/models/canteen.py (`public()`,
    `listed()`, `Canteen.hides`); no other application module reads the hidden ministries or filters on the line
    ministry (a copy, `_visible()`, lived in api/views/declarations.py)."""
    base = Path(__file__).resolve().parents[2]
    homes = {"canteens/choices.py", "canteens/models/canteen.py"}
    copies = set()
    for app in (
        "accounts",
        "api",
        "bench",
        "canteens",
        "config",
        "diagnostic",
        "egalim",
        "home",
        "resources",
        "search",
        "territories",
    ):
        for path in (base / app).rglob("*.py"):
            name = str(path.relative_to(base))
            if "migrations" in path.parts or name in homes:
                continue
            text = path.read_text(encoding="utf-8")
            copies |= {(name, word) for word in ("HIDDEN_MINISTRIES", "line_ministry__") if word in text}
    assert copies == set()
