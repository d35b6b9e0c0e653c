"""Streamed writers of a dataset's rows: CSV and JSON as byte chunks, XLSX through a temporary file."""

import csv
import datetime
import json
import tempfile
from decimal import Decimal

from home.spreadsheets import neutralise


def _text(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like object csv.writer writes one line into; `pop()` hands the line over."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def pop(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def iter_csv(dataset, rows, *, bom=False, batch=200):
    """CSV (UTF-8, comma, header = the schema's field names) as byte chunks of about `batch` lines."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(dataset.names)
    chunk = [("\ufeff" if bom else "") + line.pop()]
    for row in rows:
        writer.writerow([_text(neutralise(value)) for value in row])
        chunk.append(line.pop())
        if len(chunk) >= batch:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value == "":
        return None
    return value


def iter_json(dataset, rows, *, batch=200):
    """A JSON array of objects (keys = the schema's field names), streamed; missing values are null."""
    names = dataset.names
    first = True
    chunk = ["["]
    for row in rows:
        item = json.dumps(
            {name: _json_value(value) for name, value in zip(names, row, strict=True)}, ensure_ascii=False
        )
        chunk.append(("\n" if first else ",\n") + item)
        first = False
        if len(chunk) >= batch:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    chunk.append("\n]\n")
    yield "".join(chunk).encode("utf-8")


def write_xlsx(dataset, rows, target=None):
    """An XLSX workbook (one sheet, header = the field names) streamed by xlsxwriter in constant-memory mode
    (each row goes to a temporary file as it arrives, text inline, no shared-string table) into `target` (a
    binary file; a new temporary file by default), returned rewound.

    Every text cell goes through `neutralise` (home/spreadsheets.py) and is written with `write_string`:
    xlsxwriter's generic `write()` would turn a text starting with "=" into a formula and a URL into a link.
    Measured on 20,000 rows × 24 columns: 2.9 s of CPU against 4.9 s with openpyxl (docs/qualite.md)."""
    import xlsxwriter

    target = target or tempfile.TemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet(dataset.slug[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for column, name in enumerate(dataset.names):
        sheet.write_string(0, column, name, bold)
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(index, column, neutralise(value))
            elif isinstance(value, bool):
                write_boolean(index, column, value)
            elif isinstance(value, (int, float, Decimal)):
                write_number(index, column, float(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(index, column, value, date_format)
            else:
                write_string(index, column, neutralise(str(value)))
    workbook.close()
    target.seek(0)
    return target
