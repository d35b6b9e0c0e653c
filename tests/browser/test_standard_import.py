"""The national-format import page (/mes-cantines/importer/) in Chromium: a refused file shows its errors (alert,
table with row, column, header, value) and its report with an « erreurs » column downloads; a good file shows its
preview, saves nothing until « Confirmer l'import », then is saved once."""

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import MANAGER_EMAIL, MANAGER_PASSWORD, site_login

pytestmark = pytest.mark.browser
FILES = Path(__file__).resolve().parents[1] / "canteens" / "ma_cantine_files" / "achats"
URL = "/mes-cantines/importer/"
TEST_SIRET = "21010034300016"  # the SIRET of ma cantine's test files, replaced by the demo manager's canteen's


def manager_canteen(live_site):
    """(id, SIRET, name) of a canteen the demo manager manages, with a SIRET and no 2025 declaration."""
    code = (
        "import json\n"
        "from canteens.models import Canteen, Teledeclaration\n"
        f"c = Canteen.objects.filter(managers__email={MANAGER_EMAIL!r}).exclude(siret='')"
        ".exclude(pk__in=Teledeclaration.objects.filter(year=2025).values('canteen_id')).order_by('pk').first()\n"
        "print(json.dumps([c.pk, c.siret, c.name]))"
    )
    return json.loads(live_site.shell(code).strip().splitlines()[-1])


def purchases_of(live_site, pk):
    code = "from canteens.models import Purchase\n"
    code += f"print(Purchase.objects.filter(canteen_id={pk}, date__year=2025).count())"
    return int(live_site.shell(code).strip().splitlines()[-1])


def file_for(tmp_path, name, siret):
    """One of ma cantine's test files, for the demo manager's canteen and the year 2025."""
    text = (FILES / name).read_text(encoding="utf-8").replace(TEST_SIRET, siret).replace("2022-", "2025-")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(page, path):
    page.goto(URL)
    page.get_by_label("Fichier").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_load_state()


def test_manager_uploads_sees_errors_then_previews_and_confirms(page, live_site, tmp_path):
    pk, siret, name = manager_canteen(live_site)
    before = purchases_of(live_site, pk)
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)

    # a refused file: the errors, each with its place in the file, and the report to download
    check(page, file_for(tmp_path, "purchases_bad_one_error.csv", siret))
    alert = page.get_by_role("alert").filter(has_text="est refusé")
    assert "1 erreur, rien n'est enregistré" in alert.inner_text()
    row = page.locator("table", has_text="Message").locator("tbody tr").first
    cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
    assert cells[:4] == ["3", "5", "prix_ht", "A bad price"]
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Le fichier avec une colonne « erreurs » (Excel)").click()
    report = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][-1] == "erreurs" and "prix_ht" in rows[2][-1]
    assert purchases_of(live_site, pk) == before

    # a good file: the preview, nothing saved before the confirmation
    check(page, file_for(tmp_path, "purchases_good.csv", siret))
    preview = page.locator("table", has_text="Ce que le fichier va changer")
    assert name in preview.inner_text() and "2025" in preview.inner_text()
    assert purchases_of(live_site, pk) == before
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_url("**/mes-cantines/")
    assert "importé : 8 purchases" in page.get_by_text("importé").first.inner_text()
    assert purchases_of(live_site, pk) == before + 8
