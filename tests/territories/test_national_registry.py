"""The national registry (schema_cantines) loaded back: this site's own export and ma cantine's published file
give the same canteens again, idempotently, and exporting again gives the same lines (round trip)."""

import csv
import io
import json

import pytest
from django.utils import timezone

from canteens.models import Canteen, Teledeclaration
from territories import national, national_registry
from tests.factories import UserFactory
from tests.territories.test_national import body, edge_cases  # noqa: F401 - the fixture

ADMIN = {"is_staff": True}


def lines(content):
    return list(csv.DictReader(io.StringIO(content.decode())))


def without_managers(rows):
    """`active_on_ma_cantine` says whether a manager is registered: managers never leave in open data."""
    return [{name: value for name, value in row.items() if name != "active_on_ma_cantine"} for row in rows]


@pytest.mark.django_db
def test_registry_round_trip(client, edge_cases):  # noqa: F811
    admin = UserFactory(**ADMIN)
    registry = body(client.get("/donnees/national/registre-cantines.csv"))
    campaign = body(client.get("/donnees/national/campagne-td-2024.csv"))
    assert len(lines(registry)) == 7  # the armed forces' ministry canteen is never written (a sector hides nothing)
    # into the same database: every line is a canteen it already has, nothing changes
    before = list(Canteen.objects.order_by("pk").values())
    report = national_registry.load_registry(registry, "registre.csv", UserFactory(**ADMIN))
    assert report.accepted and report.created == {"canteens": 0}, report.as_dict()
    assert report.updated == {"canteens": 0, "canteens_unchanged": 7}, report.as_dict()["warnings"]
    assert list(Canteen.objects.order_by("pk").values()) == before
    # into an empty database: the registry, then the campaign, then the same files out
    Teledeclaration.objects.all().delete()
    Canteen.objects.all().delete()
    report = national_registry.load_registry(registry, "registre.csv", admin)
    assert report.accepted and report.created == {"canteens": 7} and report.refused == [], report.as_dict()
    assert national.load_campaign(campaign, "campagne.csv", admin).created["canteens"] == 0
    assert body(client.get("/donnees/national/campagne-td-2024.csv")) == campaign
    again = body(client.get("/donnees/national/registre-cantines.csv"))
    assert without_managers(lines(again)) == without_managers(lines(registry))
    assert {row["active_on_ma_cantine"] for row in lines(again)} == {"false"}
    # twice: nothing changes
    second = national_registry.load_registry(registry, "registre.csv", admin)
    assert second.created == {"canteens": 0} and second.updated == {"canteens": 0, "canteens_unchanged": 7}
    assert body(client.get("/donnees/national/registre-cantines.csv")) == again


NATIONAL_HEADER = ",".join(national.REGISTRY_COLUMNS)


def national_line(**values):
    """A line as ma cantine publishes it (its schema's example values, its own labels and spellings)."""
    row = {
        "id": "71331",
        "name": "Restaurant Scolaire de Marigny-le-Lozon",
        "siret": "20005822000092",
        "siren_unite_legale": "200058220",
        "city": "Grenoble",
        "city_insee_code": "38185",
        "postal_code": "38000",
        "epci": "200040715",
        "epci_lib": "Grenoble-Alpes-Métropole",
        "pat_list": "1294,1295",
        "pat_lib_list": "PAT du Département de l'Isère,PAT de la Grande région grenobloise",
        "department": "38",
        "department_lib": "Isère",
        "region": "84",
        "region_lib": "Auvergne-Rhône-Alpes",
        "economic_model": "public",
        "management_type": "conceded",
        "production_type": "central",
        "central_producer_siret": "",
        "groupe_id": "1",
        "daily_meal_count": "100",
        "yearly_meal_count": "20000",
        "sector_list": "Secondaire collège,Ecole primaire (maternelle et élémentaire)",
        "line_ministry": "Éducation et Jeunesse",
        "logo": "https://www.mangerlocal.fr/static/img/logo.png",
        **{f"declaration_donnees_{year}": "true" for year in national.REGISTRY_YEARS},
        "active_on_ma_cantine": "true",
        "creation_date": "2018-01-01",
        "modification_date": "2018-01-01",
    }
    row.update(values)
    output = io.StringIO()
    csv.writer(output, lineterminator="\n").writerow([row[name] for name in national.REGISTRY_COLUMNS])
    return output.getvalue()


@pytest.mark.django_db
def test_ma_cantine_published_registry_loads_idempotently():
    admin = UserFactory(**ADMIN)
    raw = (
        NATIONAL_HEADER
        + "\n"
        + national_line()
        + national_line(id="71332", siret="", siren_unite_legale="213801855", name="Site sans SIRET")
        + national_line(id="71333", siret="21380185500015", name="Mess", line_ministry="Armées")
    ).encode()
    assert national_registry.detect_registry(raw)
    report = national_registry.load_registry(raw, "registre.csv", admin)
    assert report.accepted and report.created == {"canteens": 2}, report.as_dict()
    assert [item["row"] for item in report.refused] == [4]  # armed forces: never loaded
    canteen = Canteen.objects.get(siret="20005822000092")
    assert (canteen.pk, canteen.national_id, canteen.department, canteen.epci) == (71331, 71331, "38", "200040715")
    assert canteen.sectors == ["school_middle", "school_primary"] and canteen.production_type == "central"
    assert canteen.line_ministry == "education" and canteen.pat[0] == {
        "code": "1294",
        "name": "PAT du Département de l'Isère",
    }
    assert timezone.localtime(canteen.created_at).date().isoformat() == "2018-01-01"
    assert Canteen.objects.get(siren_unite_legale="213801855").pk == 71332
    # the same file again, then an older version of a line: nothing changes; a newer one updates its canteen
    assert national_registry.load_registry(raw, "registre.csv", admin).created == {"canteens": 0}
    older = (NATIONAL_HEADER + "\n" + national_line(name="Ancien nom", modification_date="2017-01-01")).encode()
    assert national_registry.load_registry(older, "r.csv", admin).updated["canteens"] == 0
    newer = (NATIONAL_HEADER + "\n" + national_line(name="Nouveau nom", modification_date="2030-01-01")).encode()
    assert national_registry.load_registry(newer, "r.csv", admin).updated["canteens"] == 1
    assert Canteen.objects.get(pk=71331).name == "Nouveau nom" and Canteen.objects.count() == 2


@pytest.mark.django_db
def test_registry_load_is_for_administrators_and_checks_columns():
    raw = (NATIONAL_HEADER + "\n" + national_line()).encode()
    assert not national_registry.load_registry(raw, "r.csv", UserFactory()).accepted
    refused = national_registry.load_registry(b"id,name\n1,x\n", "r.csv", UserFactory(**ADMIN))
    assert refused.errors[0]["row"] == 1 and not Canteen.objects.exists()


@pytest.mark.django_db
def test_import_file_detects_the_registry(tmp_path):
    admin = UserFactory(**ADMIN)
    path = tmp_path / "registre.csv"
    path.write_text(NATIONAL_HEADER + "\n" + national_line(), encoding="utf-8")
    from django.core.management import call_command

    output = io.StringIO()
    call_command("import_file", str(path), "--user", admin.email, "--dry-run", stdout=output)
    result = json.loads(output.getvalue())
    assert result["format"] == "schema_cantines" and result["accepted"] and result["created"] == {"canteens": 1}
    assert not Canteen.objects.exists()  # dry run


@pytest.mark.django_db
def test_registry_lines_of_collectivities_outside_egalim_are_refused():
    raw = (
        NATIONAL_HEADER
        + "\n"
        + national_line(id="1", siret="", siren_unite_legale="200058220", city_insee_code="98735", department="987")
        + national_line(id="2")
    ).encode()
    report = national_registry.load_registry(raw, "r.csv", UserFactory(**ADMIN))
    assert report.created == {"canteens": 1}
    assert [item["row"] for item in report.refused] == [2]
    assert "Polynésie française" in report.refused[0]["message"]
