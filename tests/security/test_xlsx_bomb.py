"""Finding 5: the XLSX purchase import was an XML bomb (300 KB inflating to 300 MB: 7.5 s CPU, 1.2 GB). The
archive's declared sizes, compression ratios and each sheet's extent are checked before any parser runs
(home/spreadsheets.py check_xlsx); the refused file gets a French message. bench/xlsx_bomb.py times it."""

import io
import zipfile

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile

from canteens import imports
from home import spreadsheets

pytestmark = pytest.mark.django_db


def template_with(name, data):
    """The import template with one member replaced (or added), compressed as hard as zlib can."""
    source = zipfile.ZipFile(io.BytesIO(imports.template_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy:
        for item in source.infolist():
            if item.filename != name:
                copy.writestr(item.filename, source.read(item.filename))
        copy.writestr(name, data)
    return out.getvalue()


def shared_strings(megabytes):
    unit = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    count = megabytes * 1024 * 1024 // len(unit)
    return (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d">' % count
        + unit * count
        + b"</sst>"
    )


@pytest.fixture
def parser_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the parser must not see this file")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


def test_a_shared_strings_bomb_is_refused_before_parsing(client, parser_must_not_run, canteen_a, manager_a):
    bomb = template_with("xl/sharedStrings.xml", shared_strings(70))
    assert len(bomb) < 400 * 1024  # a few hundred KB that inflate to 70 MB
    client.force_login(manager_a)
    response = client.post(f"/mes-cantines/{canteen_a.pk}/import/", {"file": SimpleUploadedFile("achats.xlsx", bomb)})
    assert response.status_code == 400
    assert "trop volumineux une fois décompressé ou anormalement compressé" in response.content.decode()


def test_an_abnormal_compression_ratio_is_refused(parser_must_not_run):
    bomb = template_with("xl/sharedStrings.xml", shared_strings(5))  # 5 MB, ratio far above 200
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="anormalement compressé"):
        list(spreadsheets.xlsx_rows(io.BytesIO(bomb)))


def test_a_member_larger_than_it_declares_is_refused():
    """A member whose declared size is smaller than what its deflate stream gives: zipfile checks the CRC."""
    data = template_with("xl/sharedStrings.xml", shared_strings(1))
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/sharedStrings.xml")
    real = info.file_size.to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    forged = data.replace(real, lie)  # the local header and the central directory both declare 1,000 bytes
    assert forged != data
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="ne peut pas être lu"):
        list(spreadsheets.xlsx_rows(io.BytesIO(forged)))


def test_an_ordinary_workbook_is_still_read():
    rows = list(spreadsheets.xlsx_rows(io.BytesIO(imports.template_xlsx())))
    assert rows[0] == imports.TEMPLATE_HEADERS and len(rows) == 1 + len(imports.TEMPLATE_ROWS)


def test_cells_without_references_are_counted(parser_must_not_run, monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_COLUMNS", 5)
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 6 + b"</row></sheetData></worksheet>"
    )
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="200 colonnes"):
        list(spreadsheets.xlsx_rows(io.BytesIO(template_with("xl/worksheets/sheet1.xml", sheet))))


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="ZZ200000" t="inlineStr">',
        b'<c\tr="ZZ200000" t="inlineStr">',  # not the usual spelling: the exact scan reads it
        b'<c t="inlineStr" r="ZZ200000">',
        b"<c t=\"inlineStr\" r='ZZ200000'>",
        b'<x:c r="ZZ200000" t="inlineStr">',
    ],
)
def test_a_far_cell_is_found_however_it_is_written(parser_must_not_run, cell):
    closing = b"</x:c>" if cell.startswith(b"<x:") else b"</c>"
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + cell
        + b"<is><t>x</t></is>"
        + closing
        + b"</row></sheetData></worksheet>"
    )
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="60 000 lignes ou 200 colonnes"):
        list(spreadsheets.xlsx_rows(io.BytesIO(template_with("xl/worksheets/sheet1.xml", sheet))))
