"""The national open data (ma cantine's schema_cantines.json / schema_teledeclarations.json): the files at the
Contract's URLs validate with frictionless (0 errors), on edge cases; the national campaign files load as
history (every line accounted for, twice without change, counts per region equal to the file's); round trip."""

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count
from frictionless import Resource, Schema

from canteens import declaration as declarations
from canteens.models import Canteen, Teledeclaration
from canteens.standard.schema import schema_path
from territories import national
from territories.models import CampaignPublication, DeclarationStats
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

# the two national campaign files shipped with the standard's schemas (Licence Ouverte)
OPENDATA = Path(__file__).resolve().parents[2] / "canteens" / "standard" / "schemas" / "opendata"


def frictionless_errors(content: bytes, schema_name: str, tmp_path, extension="csv"):
    path = tmp_path / f"file.{extension}"
    path.write_bytes(content)
    schema = Schema.from_descriptor(json.loads(schema_path(schema_name).read_text()))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_columns_are_the_schema_files_fields():
    for dataset_columns, name in (
        (national.REGISTRY_COLUMNS, "schema_cantines"),
        (national.CAMPAIGN_COLUMNS, "schema_teledeclarations"),
    ):
        fields = [f["name"] for f in json.loads(schema_path(name).read_text())["fields"]]
        assert dataset_columns == fields


@pytest.fixture
def edge_cases(db):
    """Accents and quotes, multi-sector, a central kitchen and its satellite, overseas, armed forces."""
    manager = UserFactory()
    canteens = {
        "quotes": CanteenFactory(
            name='Cantine « L\'Étoile », dite "la grande"',
            sectors=["school_primary", "school_middle", "nursery"],
            managers=[manager],
        ),
        "central": CanteenFactory(name="Cuisine centrale", production_type="central", city_insee_code="97411"),
        "mayotte": CanteenFactory(name="École de Mamoudzou", city_insee_code="97611"),
        "spm": CanteenFactory(name="Saint-Pierre", city_insee_code="97502"),
        "formula": CanteenFactory(name='=HYPERLINK("http://x")'),
        "army": CanteenFactory(name="Mess", economic_model="public", line_ministry="armees", sectors=["admin_state"]),
        "army_sector": CanteenFactory(name="Caserne", sectors=["armed_forces"]),
    }
    canteens["satellite"] = CanteenFactory(
        name="Satellite", production_type="satellite", central_kitchen_siret=canteens["central"].siret
    )
    campaign = CampaignFactory(year=2024)
    CampaignPublication.objects.create(campaign=campaign)
    for key in ("quotes", "central", "mayotte", "army", "army_sector"):
        canteen = canteens[key]
        diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024)
        Teledeclaration.objects.create(
            canteen=canteen,
            year=2024,
            version=1,
            snapshot=declarations.snapshot(canteen, diagnostic, diagnostic.evaluate(canteen)),
            submitted_by=manager,
        )
    return canteens


@pytest.mark.django_db
def test_registry_and_campaign_validate_against_the_national_schemas(client, edge_cases, tmp_path):
    for url, schema_name in (
        ("/donnees/national/registre-cantines", "schema_cantines"),
        ("/donnees/national/campagne-td-2024", "schema_teledeclarations"),
    ):
        csv_response = client.get(url + ".csv")
        assert csv_response.status_code == 200
        content = body(csv_response)
        assert frictionless_errors(content, schema_name, tmp_path) == []
        xlsx_response = client.get(url + ".xlsx")
        assert xlsx_response.status_code == 200
        assert frictionless_errors(body(xlsx_response), schema_name, tmp_path, "xlsx") == []
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        names = {row.get("name") or row.get("canteen_name") for row in rows}
        assert "Mess" not in names  # a hidden ministry (armed forces): Canteen.objects.public(), the one rule
        assert "Caserne" in names or url.endswith("2024")  # a sector alone hides nothing, as on its public page
        assert '\'=HYPERLINK("http://x")' in names or url.endswith("2024")
    registry = {
        int(r["id"]): r
        for r in csv.DictReader(io.StringIO(body(client.get("/donnees/national/registre-cantines.csv")).decode()))
    }
    # every public canteen, published or not (the satellite, Saint-Pierre…): Canteen.objects.public(), not listed()
    assert set(registry) == set(Canteen.objects.public().values_list("pk", flat=True))
    assert set(registry) > set(Canteen.objects.listed().values_list("pk", flat=True))
    campaign = list(csv.DictReader(io.StringIO(body(client.get("/donnees/national/campagne-td-2024.csv")).decode())))
    assert len(campaign) == 4  # quotes, central, mayotte, army_sector: not the hidden ministry's « Mess »
    quotes = edge_cases["quotes"]
    assert registry[quotes.pk]["sector_list"].count(",") == 2
    assert registry[quotes.pk]["declaration_donnees_2024"] == "true"
    assert registry[edge_cases["satellite"].pk]["central_producer_siret"] == edge_cases["central"].siret
    assert registry[edge_cases["mayotte"].pk]["department"] == "976"
    for row in campaign:  # the campaign's canteen_id joins the registry's id
        assert int(row["canteen_id"]) in registry
        # YearlyDiagnosticFactory: total 100,000, bio 25,000, EGAlim 55,000 with bio → 0.25 and 0.30 without bio
        assert Decimal(row["teledeclaration_ratio_bio"]) == Decimal("0.25")
        assert Decimal(row["teledeclaration_ratio_egalim_hors_bio"]) == Decimal("0.30")
    assert client.get("/donnees/national/campagne-td-2023.csv").status_code == 404  # not published
    schema = client.get("/donnees/national/schema-cantines.json")
    assert schema.status_code == 200 and schema.content == schema_path("schema_cantines").read_bytes()
    assert client.get("/donnees/national/schema-teledeclarations.json").status_code == 200
    page = client.get("/donnees/").content.decode()
    assert "/donnees/national/registre-cantines.csv" in page and "/donnees/national/campagne-td-2024.csv" in page


@pytest.mark.django_db(transaction=False)
def test_national_campaign_files_load_as_history(client, tmp_path):
    """One run per session: both national files (8,170 lines), then the second again (about 40 s)."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    for year in (2021, 2022):
        raw = (OPENDATA / f"campagne_td_{year}.csv").read_bytes()
        report = national.load_campaign(raw, f"campagne_td_{year}.csv", admin)
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert report.accepted, report.errors
        assert report.rows == len(rows)
        # every line accounted for: loaded, or refused with its reason
        assert report.created["declarations"] + len(report.refused) == len(rows)
        assert all(item["message"] for item in report.refused)
        expected = Counter(row["canteen_region"] for row in rows)
        loaded = {
            (region or ""): count
            for region, count in DeclarationStats.objects.filter(year=year)
            .values_list("region_id")
            .annotate(Count("pk"))
        }
        assert loaded == dict(expected)
    canteens, declarations_count = Canteen.objects.count(), Teledeclaration.objects.count()
    assert canteens == len({r.canteen_id for r in Teledeclaration.objects.all()})
    again = national.load_campaign((OPENDATA / "campagne_td_2022.csv").read_bytes(), "again.csv", admin)
    assert again.created == {"canteens": 0, "declarations": 0}
    assert (Canteen.objects.count(), Teledeclaration.objects.count()) == (canteens, declarations_count)
    # round trip: the export of a loaded campaign is the national file's lines (id and canteen_id kept)
    exported = body(client.get("/donnees/national/campagne-td-2021.csv"))
    assert frictionless_errors(exported, "schema_teledeclarations", tmp_path) == []
    original = list(csv.reader(io.StringIO(national._clean((OPENDATA / "campagne_td_2021.csv").read_text("utf-8")))))
    assert sorted(csv.reader(io.StringIO(exported.decode()))) == sorted(original)
    registry = body(client.get("/donnees/national/registre-cantines.csv"))
    assert frictionless_errors(registry, "schema_cantines", tmp_path) == []


@pytest.mark.django_db
def test_only_administrators_load_national_files():
    report = national.load_campaign(b"id\n1\n", "x.csv", UserFactory())
    assert not report.accepted


@pytest.mark.django_db
def test_an_unreadable_national_file_is_refused_with_its_line():
    """An unterminated quote swallowing the rest of the file: a refusal with its line, not a 500, nothing saved."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    header = (OPENDATA / "campagne_td_2022.csv").read_text("utf-8-sig").splitlines()[0]
    raw = f'{header}\n1,"{"x" * 200_000}\n2,3\n'.encode()
    report = national.load_campaign(raw, "campagne.csv", admin)
    assert not report.accepted
    assert [error["message"][:9] for error in report.errors] == ["Ligne 2 i"]
    assert not Teledeclaration.objects.exists() and not Canteen.objects.exists()


def test_csv_dict_rows_are_dictreader_rows():
    from home.spreadsheets import csv_dict_rows

    text = 'a,b,c\n1,2,3\n\n4,5\n6,7,8,9,10\n"x, y",,"z\nw"\n'
    assert csv_dict_rows(text, ",") == list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.django_db
def test_epci_from_the_commune_and_as_a_filter(client):
    rennes = CanteenFactory(name="Rennes", city_insee_code="35238", economic_model="public")
    brest = CanteenFactory(name="Brest", city_insee_code="29019")
    assert (rennes.epci, rennes.epci_name) == ("243500139", "Rennes Métropole")
    assert brest.epci and brest.epci != rennes.epci
    YearlyDiagnosticFactory(canteen=rennes, year=2024, is_published=True)
    YearlyDiagnosticFactory(canteen=brest, year=2024, is_published=True)
    page = client.get("/cantines/", {"epci": "243500139"})
    assert "Rennes" in page.content.decode() and ">Brest<" not in page.content.decode()
    export = body(client.get("/donnees/registre-cantines.csv", {"epci": "243500139"})).decode()
    assert len(export.strip().splitlines()) == 2 and "Rennes" in export
    assert client.get("/donnees/registre-cantines.csv", {"epci": "12"}).status_code == 400
    registry = list(csv.DictReader(io.StringIO(body(client.get("/donnees/national/registre-cantines.csv")).decode())))
    row = next(r for r in registry if r["name"] == "Rennes")
    assert (row["epci"], row["epci_lib"], row["postal_code"]) == ("243500139", "Rennes Métropole", "35000")
