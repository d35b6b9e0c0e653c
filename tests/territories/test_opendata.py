import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from territories import opendata
from territories.models import OpenDataFile
from territories.tableschema import validate_csv, validate_rows


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert not text.startswith("\ufeff")  # plain UTF-8 for open data
    return list(csv.DictReader(io.StringIO(text)))


def get_schema(client, slug):
    response = client.get(f"/donnees/schemas/{slug}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


REGISTRY_BRETAGNE = {"École Rennes", "EHPAD Brest", "Collège Quimper", "Lycée Vannes"}


class TestRegistry:
    def test_csv_is_streamed_and_equals_the_filtered_set(self, client, world):
        response = client.get("/donnees/registre-cantines.csv?region=53")
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="registre-cantines-region-53.csv"' in response["Content-Disposition"]
        rows = csv_rows(response)
        assert {row["nom"] for row in rows} == REGISTRY_BRETAGNE  # published or not
        brest = next(row for row in rows if row["nom"] == "EHPAD Brest")
        assert brest["departement_code"] == "29" and brest["region"] == "Bretagne"
        assert brest["categories_secteurs"] == "social" and brest["taux_bio"] == "20.00"
        assert brest["objectifs_egalim_atteints"] == "true"
        assert brest["page_publique"] == f"http://testserver/cantines/{world['brest'].pk}-ehpad-brest/"
        quimper = next(row for row in rows if row["nom"] == "Collège Quimper")
        assert quimper["taux_bio"] == "" and quimper["bilan_publie_annee"] == ""

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("department=29", {"EHPAD Brest", "Collège Quimper"}),
            ("departement=29", {"EHPAD Brest", "Collège Quimper"}),  # the French names of the first links
            ("sector=company", {"Restaurant Paris"}),
            ("secteur=company", {"Restaurant Paris"}),
            ("region=53&sector=education", {"École Rennes", "Collège Quimper", "Lycée Vannes"}),
            ("departement=972&department=29", {"EHPAD Brest", "Collège Quimper"}),  # the English name wins
            ("", REGISTRY_BRETAGNE | {"Cuisine Fort-de-France", "Restaurant Paris"}),
        ],
    )
    def test_filters(self, client, world, query, expected):
        assert {row["nom"] for row in csv_rows(client.get(f"/donnees/registre-cantines.csv?{query}"))} == expected

    def test_csv_json_and_xlsx_hold_the_same_rows_and_match_the_schema(self, client, world):
        schema = get_schema(client, "registre-cantines")
        csv_text = body(client.get("/donnees/registre-cantines.csv?region=53")).decode()
        assert validate_csv(schema, csv_text) == []
        from_csv = list(csv.DictReader(io.StringIO(csv_text)))

        response = client.get("/donnees/registre-cantines.json?region=53")
        assert response.streaming and response["Content-Type"] == "application/json"
        from_json = json.loads(body(response))
        assert validate_rows(schema, from_json) == []
        assert [row["nom"] for row in from_json] == [row["nom"] for row in from_csv]
        assert from_json[0].keys() == from_csv[0].keys()
        brest = next(row for row in from_json if row["nom"] == "EHPAD Brest")
        assert brest["taux_bio"] == 20.0 and brest["objectifs_egalim_atteints"] is True
        assert brest["couverts_par_jour"] == 120

        response = client.get("/donnees/registre-cantines.xlsx?region=53")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
        lines = list(sheet.iter_rows(values_only=True))
        assert list(lines[0]) == [field["name"] for field in schema["fields"]]
        typed = [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
        for row in typed:  # openpyxl reads dates back as datetimes
            if row["date_inscription"] is not None:
                row["date_inscription"] = row["date_inscription"].date()
        assert validate_rows(schema, typed) == []
        assert [row["nom"] for row in typed] == [row["nom"] for row in from_csv]

    def test_hidden_canteens_are_not_exported(self, client, db):
        from tests.factories import CanteenFactory

        CanteenFactory(name="Mess de la base", line_ministry="armees", sectors=["armed_forces"])
        CanteenFactory(name="École visible")
        assert {row["nom"] for row in csv_rows(client.get("/donnees/registre-cantines.csv"))} == {"École visible"}

    def test_invalid_filters_are_400_and_unknown_formats_404(self, client, db):
        assert client.get("/donnees/registre-cantines.csv?region=99").status_code == 400
        assert client.get("/donnees/registre-cantines.pdf").status_code == 404
        assert client.get("/donnees/inconnu.csv").status_code == 404
        assert client.get("/donnees/schemas/inconnu.json").status_code == 404


class TestDeclarations:
    def test_only_published_campaigns_rates_and_no_euro_amount(self, client, world, published):
        schema = get_schema(client, "resultats-campagnes")
        names = [field["name"] for field in schema["fields"]]
        for forbidden in ("total", "montant", "euro", "cout", "achats"):
            assert not any(forbidden in name for name in names), forbidden
        response = client.get("/donnees/resultats-campagnes.csv")
        text = body(response).decode()
        assert validate_csv(schema, text) == []
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {row["nom"] for row in rows} == {
            "École Rennes",
            "EHPAD Brest",
            "Cuisine Fort-de-France",
            "Restaurant Paris",
        }
        amounts = {"100000", "300000", "60000", "150000", "200000", "50000", "30000", "10000", "5000", "20000"}
        cells = {cell.removesuffix(".00") for row in rows for cell in row.values()}
        assert not cells & amounts  # no declared euro amount in any cell
        rennes = next(row for row in rows if row["nom"] == "École Rennes")
        assert (rennes["annee"], rennes["taux_bio"], rennes["taux_egalim"]) == ("2024", "10.00", "30.00")
        assert rennes["statut_qualite"] == "not_met" and rennes["objectifs_egalim_atteints"] == "false"
        from_json = json.loads(body(client.get("/donnees/resultats-campagnes.json?department=972")))
        assert [row["nom"] for row in from_json] == ["Cuisine Fort-de-France"]
        assert validate_rows(schema, from_json) == []
        assert not set(from_json[0]) - set(names)

    def test_campaign_filter(self, client, world, published):
        response = client.get("/donnees/resultats-campagnes.csv?campaign=2024&region=53")
        assert len(csv_rows(response)) == 2
        assert 'filename="resultats-campagnes-campaign-2024-region-53.csv"' in response["Content-Disposition"]
        assert len(csv_rows(client.get("/donnees/resultats-campagnes.csv?campagne=2024&region=53"))) == 2  # alias
        assert client.get("/donnees/resultats-campagnes.csv?campaign=2023").status_code == 400  # not published
        assert client.get("/donnees/resultats-campagnes.csv?campagne=2023").status_code == 400


class TestPageAndWeeklyFiles:
    def test_page_links_the_filtered_downloads_and_schemas(self, client, world, published):
        html = client.get("/donnees/?region=53").content.decode()
        assert "/donnees/registre-cantines.csv?region=53" in html
        assert "/donnees/resultats-campagnes.xlsx?region=53" in html
        assert "/donnees/schemas/registre-cantines.json" in html
        assert "4 lignes avec ces filtres" in html and "2 lignes avec ces filtres" in html
        assert "Pas encore générés" in html

    def test_weekly_command_writes_valid_files_and_the_page_shows_their_date(self, client, world, published):
        out = io.StringIO()
        call_command("export_open_data", stdout=out)
        assert OpenDataFile.objects.count() == 6
        record = OpenDataFile.objects.get(dataset="registre-cantines", format="csv")
        assert record.rows == 6
        response = client.get("/donnees/fichiers/registre-cantines.csv")
        assert response.status_code == 200
        text = body(response).decode()
        assert validate_csv(opendata.DATASETS["registre-cantines"].schema(), text) == []
        html = client.get("/donnees/").content.decode()
        assert "généré le" in html and "/donnees/fichiers/resultats-campagnes.xlsx" in html
        assert client.get("/donnees/fichiers/inconnu.csv").status_code == 404


def test_schemas_are_valid_table_schemas(client, db):
    from territories.tableschema import check_descriptor

    for slug in opendata.DATASETS:
        schema = get_schema(client, slug)
        assert check_descriptor(schema) == []
        assert schema["path"].endswith(f"/donnees/schemas/{slug}.json")
        assert all(field.get("description") for field in schema["fields"])


def test_rates_are_truncated_not_rounded(client, campaign):
    from tests.factories import CanteenFactory

    from .conftest import declare, purchases

    canteen = CanteenFactory(name="Presque")
    declare(canteen, **purchases(100000, "19999.99", "49999.99"))
    from tests.factories import CampaignPublicationFactory

    CampaignPublicationFactory(campaign=campaign)
    row = csv_rows(client.get("/donnees/resultats-campagnes.csv"))[0]
    assert (row["taux_bio"], row["taux_egalim"]) == ("19.99", "49.99")
    assert Decimal(row["taux_bio"]) < 20
