"""The national-format import page and the import_file command: preview before saving, confirm, the error report,
permissions per canteen (managers, another manager, territory officers, administrators)."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from canteens.models import Purchase, YearlyDiagnostic
from tests.factories import CanteenFactory, TerritoryOfficerFactory, UserFactory

FILES = Path(__file__).parent / "ma_cantine_files"
SIRET = "21010034300016"
URL = "/mes-cantines/importer/"


def upload(client, name, content=None, **extra):
    content = content if content is not None else (FILES / name).read_bytes()
    return client.post(URL, {"file": SimpleUploadedFile(Path(name).name, content), **extra})


@pytest.mark.django_db
def test_manager_previews_then_confirms(client):
    manager = UserFactory()
    canteen = CanteenFactory(siret=SIRET, managers=[manager])
    client.force_login(manager)
    response = upload(client, "achats/purchases_good.csv")
    assert response.status_code == 200
    assert Purchase.objects.count() == 0  # a preview saves nothing
    page = response.content.decode()
    assert "Confirmer l&#x27;import" in page or "Confirmer l'import" in page
    preview = response.context["result"]["preview"]
    assert preview[0]["canteen"] == canteen.name and preview[0]["purchases"] == 8 and preview[0]["year"] == 2022
    token = response.context["token"]
    confirmed = client.post(f"{URL}{token}/confirmer/")
    assert confirmed.status_code == 302
    assert Purchase.objects.filter(canteen=canteen).count() == 8
    purchase = Purchase.objects.get(description="Pommes, vertes 7")
    assert (purchase.local, purchase.local_definition, purchase.local_km) == (True, "KM", 200)
    assert (
        YearlyDiagnostic.objects.get(canteen=canteen, year=2022).total
        == purchase.amount * 7 + Purchase.objects.get(description="Pommes, rouges, local").amount
    )
    # the same file again: refused, nothing doubled
    again = upload(client, "achats/purchases_good.csv")
    assert again.status_code == 422
    assert "déjà été utilisé" in again.content.decode()
    assert Purchase.objects.count() == 8


@pytest.mark.django_db
def test_errors_and_the_downloadable_report(client):
    manager = UserFactory()
    CanteenFactory(siret=SIRET, managers=[manager])
    client.force_login(manager)
    response = upload(client, "achats/purchases_bad_one_error.csv")
    assert response.status_code == 422
    error = response.context["result"]["errors"][0]
    assert error == {
        "row": 3,
        "column": 5,
        "header": "prix_ht",
        "field": "prix_ht",
        "value": "A bad price",
        "message": error["message"],
    }
    token = response.context["token"]
    report = client.get(f"{URL}{token}/erreurs.xlsx")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "erreurs"
    assert rows[2][4] == "A bad price" and "prix_ht" in rows[2][-1]
    assert rows[1][-1] in (None, "")
    csv_report = client.get(f"{URL}{token}/erreurs.csv").content.decode("utf-8-sig")
    assert csv_report.splitlines()[0].endswith(";erreurs")
    # another person cannot read it
    client.force_login(UserFactory())
    assert client.get(f"{URL}{token}/erreurs.xlsx").status_code == 404
    assert client.post(f"{URL}{token}/confirmer/").status_code == 404


@pytest.mark.django_db
def test_another_manager_and_an_officer(client):
    owner, other = UserFactory(), UserFactory()
    canteen = CanteenFactory(siret=SIRET, managers=[owner])  # Rennes, 35
    client.force_login(other)
    response = upload(client, "achats/purchases_good.csv")
    assert response.status_code == 422
    assert {e["field"] for e in response.context["result"]["errors"]} == {"siret"}
    officer = TerritoryOfficerFactory(departments=["35"]).user
    client.force_login(officer)
    response = upload(client, "achats/purchases_good.csv", format="achats_siret")
    assert response.status_code == 200, response.context["result"]["errors"]
    client.post(f"{URL}{response.context['token']}/confirmer/")
    assert Purchase.objects.filter(canteen=canteen).count() == 8
    elsewhere = TerritoryOfficerFactory(departments=["972"]).user
    client.force_login(elsewhere)
    assert upload(client, "achats/purchases_good_old.csv").status_code == 422


@pytest.mark.django_db
def test_anonymous_and_bad_input(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 200
    assert client.post(URL, {}).status_code == 400
    response = upload(client, "x.xlsx", b"PK\x03\x04not a zip")
    assert response.status_code == 422
    assert response.context["result"]["errors"][0]["row"] is None
    assert client.get("/mes-cantines/importer/schemas/achats_siret.json").json()["name"] == "import-achats-siret"
    assert client.get("/mes-cantines/importer/schemas/nope.json").status_code == 404
    english = client.get("/en/mes-cantines/importer/").content.decode()
    assert "Import a file in the national format" in english and "Check the file" in english


@pytest.mark.django_db
def test_import_file_command(capsys):
    manager = UserFactory(email="gestion@example.org")
    CanteenFactory(siret=SIRET, managers=[manager])
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_file", str(FILES / "achats/purchases_bad_one_error.csv"), user="gestion@example.org")
    assert exit_status.value.code == 1
    result = json.loads(capsys.readouterr().out)
    assert result["format"] == "achats_siret" and result["accepted"] is False and result["rows"] == 2
    assert result["errors"][0]["row"] == 3 and result["errors"][0]["header"] == "prix_ht"
    call_command("import_file", str(FILES / "achats/purchases_good.csv"), user="gestion@example.org", dry_run=True)
    result = json.loads(capsys.readouterr().out)
    assert result["accepted"] and result["created"] == {"purchases": 8} and Purchase.objects.count() == 0
    call_command("import_file", str(FILES / "achats/purchases_good.csv"), user="gestion@example.org")
    assert json.loads(capsys.readouterr().out)["accepted"] and Purchase.objects.count() == 8


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_is_saved_once():
    """Two threads import one purchase file for one canteen at the same time: one import, 8 purchases."""
    import importlib
    import threading

    from django.apps import apps
    from django.db import connection

    from canteens.standard.pipeline import run
    from territories.models import Department

    if not Department.objects.exists():  # emptied by an earlier transactional test (loaded by a migration)
        importlib.import_module("territories.migrations.0002_load_territories").load(apps, None)
    manager = UserFactory()
    CanteenFactory(siret=SIRET, managers=[manager])
    raw = (FILES / "achats/purchases_good.csv").read_bytes()
    barrier, reports = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            reports.append(run(raw, "achats.csv", manager))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(report.accepted for report in reports) == [False, True]
    assert Purchase.objects.count() == 8
