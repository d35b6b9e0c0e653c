"""The error report: the imported spreadsheet itself with an « erreurs » column (CSV or XLSX), every cell
neutralised (home/spreadsheets.py) so that a formula in the uploaded file is never evaluated when reopened."""

import csv
import io
from collections import defaultdict

from home.spreadsheets import csv_row, xlsx_row


def _lines(report):
    """Rows of the file with, for each, the messages of its errors (row 1 is the header)."""
    messages = defaultdict(list)
    general = []
    for error in report.errors:
        text = error.message if error.header is None else f"{error.header} : {error.message}"
        if error.value not in (None, "") and error.row and error.row > 1:
            text += f" (« {error.value} »)"
        if error.row:
            messages[error.row].append(str(text))
        else:
            general.append(str(text))
    rows = report.table.rows if report.table is not None else []
    width = max((len(row) for row in rows), default=0)
    for number, row in enumerate(rows, start=1):
        cells = list(row) + [""] * (width - len(row))
        if number == 1:
            yield cells + ["erreurs"]
        else:
            yield cells + [" ; ".join(messages.get(number, []))]
    if general:
        yield [""] * width + [" ; ".join(general)]


def error_csv(report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in _lines(report):
        writer.writerow(csv_row(line))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def error_xlsx(report) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("erreurs")
    for line in _lines(report):
        sheet.append(xlsx_row(sheet, line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
