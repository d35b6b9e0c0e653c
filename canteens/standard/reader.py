"""Read an uploaded CSV or XLSX into rows of text cells, with the size bounds of the security issue.

CSV: separator `,` `;` or tab (detected on the header line), UTF-8 with or without BOM, else Windows-1252
(which covers Latin-1's printable characters). XLSX: read with python-calamine, but only after the archive's
declared sizes and the sheet's declared dimensions were checked (a few KB can declare gigabytes or a cell at
XFD1048576). Every cell comes back as text, as ma cantine's Validata sees it: numbers without a useless `.0`,
dates as `aaaa-mm-jj`.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from home.spreadsheets import SpreadsheetRefused, UnreadableCsvLine, check_xlsx, csv_records

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed size of one member


class FileRefused(Exception):
    """The file cannot be read at all (size, format, encoding, archive)."""


@dataclass
class Table:
    rows: list  # list of lists of str; rows[0] is the header line (line 1 of the file)
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"


def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(raw: bytes) -> Table:
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as error:
        raise FileRefused(_("Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8.")) from error
    if "\x00" in text[:4096]:
        raise FileRefused(_("Ce fichier n'est pas un fichier texte CSV : enregistrez-le en CSV ou en .xlsx."))
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    rows = []
    try:
        for row in csv_records(text, delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise FileRefused(_("Le fichier compte plus de 60 000 lignes : découpez-le en plusieurs fichiers."))
    except UnreadableCsvLine as error:
        raise FileRefused(
            _("Ligne %(line)s illisible (guillemet non fermé ou cellule trop longue) : vérifiez le fichier.")
            % {"line": error.line}
        ) from error
    while rows and not rows[-1]:
        rows.pop()
    return Table(rows=rows, encoding=encoding, delimiter=delimiter, kind="csv")


def check_archive(raw: bytes):
    """Refuse a zip bomb before any XML is parsed: declared member sizes and compression ratios."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise FileRefused(_("Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx.")) from error
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(_("Ce fichier Excel est anormalement compressé : il n'est pas lu."))
    if total > MAX_UNCOMPRESSED:
        raise FileRefused(_("Ce fichier Excel est trop volumineux une fois décompressé (100 Mo au plus)."))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "OUI" if value else ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def read_xlsx(raw: bytes) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    check_archive(raw)
    try:  # the extent of the sheets too (a far cell makes calamine allocate the dense range): home/spreadsheets.py
        verified = check_xlsx(io.BytesIO(raw))
    except SpreadsheetRefused as error:
        raise FileRefused(str(error)) from error
    try:
        workbook = CalamineWorkbook.from_filelike(verified)
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, Exception) as error:  # calamine raises several kinds on a broken file
        raise FileRefused(_("Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx.")) from error
    height, width = sheet.total_height, sheet.total_width
    if height > MAX_ROWS or height * min(width, MAX_COLUMNS) > MAX_CELLS:
        raise FileRefused(_("Le fichier compte plus de 60 000 lignes : découpez-le en plusieurs fichiers."))
    rows = []
    try:
        for row in sheet.iter_rows():
            rows.append([cell_text(value) for value in row[:MAX_COLUMNS]])
    except Exception as error:  # a broken sheet inside a valid archive
        raise FileRefused(_("Ce fichier Excel ne peut pas être lu : enregistrez-le au format .xlsx.")) from error
    for row in rows:  # calamine pads every row to the sheet's width
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return Table(rows=rows, kind="xlsx")


def read(raw: bytes, filename: str = "") -> Table:
    if len(raw) > MAX_BYTES:
        raise FileRefused(
            _("Ce fichier est trop grand, merci d'utiliser un fichier de moins de 10 Mo (%(size)s Mo).")
            % {"size": f"{len(raw) / 1024 / 1024:.1f}".replace(".", ",")}
        )
    name = (filename or "").lower()
    if raw[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return read_xlsx(raw)
    if name.endswith(".xls") or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(_("Format non pris en charge : enregistrez le fichier en .xlsx ou en .csv."))
    return read_csv(raw)
