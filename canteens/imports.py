"""Purchase import from CSV or XLSX: every line is validated; on any error nothing is saved.

Columns (French headers, any order, case and accents ignored): date, description, fournisseur, famille,
labels (optional), montant HT. CSV encoding (UTF-8 or Windows-1252) and separator are detected.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from diagnostic.validation import validate_amount
from egalim.families import FAMILY_COLUMNS, family_label
from egalim.rules import FAMILIES, FIRST_YEAR, LABEL_GROUPS, LAST_YEAR, group_for_labels
from home.spreadsheets import SpreadsheetRefused, UnreadableCsvLine, csv_records, xlsx_rows

from .models import Purchase, PurchaseImport, YearlyDiagnostic

MAX_BYTES = 10 * 1024 * 1024
MAX_LINES = 50_000
MAX_ERRORS_SHOWN = 200
# A few KB of XLSX can declare a cell at XFD1048576: openpyxl would then pad every row to 16,384 columns, a
# million times. Only the first MAX_COLUMNS columns are read, and at most MAX_ROWS lines, empty ones included.
MAX_COLUMNS = 50
MAX_ROWS = MAX_LINES + 10_000

# column key → accepted headers (normalised)
COLUMNS = {
    "date": ("date", "date d'achat", "date de livraison", "date de facture"),
    "description": ("description", "produit", "libelle", "designation"),
    "supplier": ("fournisseur", "fournisseurs"),
    "family": ("famille", "famille de produits", "categorie"),
    "labels": ("labels", "label", "caracteristiques", "signes de qualite"),
    "amount": ("montant ht", "montant", "prix ht", "montant hors taxes", "montant (ht)", "montant ht (eur)"),
}
REQUIRED_COLUMNS = ("date", "description", "supplier", "family", "amount")
COLUMN_NAMES = {
    "date": "date",
    "description": "description",
    "supplier": "fournisseur",
    "family": "famille",
    "labels": "labels",
    "amount": "montant HT",
}
TEMPLATE_HEADERS = ["date", "description", "fournisseur", "famille", "labels", "montant HT"]
TEMPLATE_ROWS = [
    ["15/01/2024", "Carottes", "Ferme des Prés", "Fruits et légumes", "Bio", "120,50"],
    ["16/01/2024", "Poulet fermier", "Volailles d'ici", "Viandes et volailles", "Label Rouge, fermier", "340,00"],
    ["17/01/2024", "Comté", "Fromagerie du Jura", "Produits laitiers (beurre, œufs, fromages)", "AOP", "89,90"],
    ["18/01/2024", "Pain", "Boulangerie Martin", "Boulangerie", "", "45,00"],
]
# Words that people write in the labels column and that the rules do not count as EGAlim.
NOT_EGALIM_MENTIONS = ("local", "circuit court", "origine france")


def normalise(text) -> str:
    text = str(text or "").replace("œ", "oe").replace("Œ", "OE").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"\s+", " ", text)


def _family_lookup():
    """Family names of the file (French, or English) → codes, whatever the language of the page."""
    lookup = {}
    with translation.override("fr"):
        for code in FAMILIES:
            french, english = family_label(code, "fr"), family_label(code, "en")
            lookup[normalise(code)] = code
            lookup[normalise(french)] = code
            lookup.setdefault(normalise(english), code)
            lookup.setdefault(normalise(french.split(" (")[0]), code)  # "Produits laitiers"
    return lookup


def suggest_family(text) -> str | None:
    """The family a name not in the list most likely means, in the page's language: a word of a family's name
    (« Volaille » → « Viandes et volailles »), else the closest name (« Fruit et legume »). None if nothing is near."""
    import difflib

    key = normalise(text)
    if not key:
        return None
    lookup = _family_lookup()
    singular = key.rstrip("s")
    for name, code in lookup.items():
        if singular and singular in {word.rstrip("s") for word in re.split(r"[^a-z]+", name) if len(word) > 3}:
            return family_label(code, translation.get_language())
    close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.75)
    return family_label(lookup[close[0]], translation.get_language()) if close else None


def _label_lookup():
    """Label names of the file (French, then English) → codes, whatever the language of the page.

    Full names win over their parts ("AOC / AOP" gives "AOC" and "AOP"); French names win over English ones."""
    lookup = {}
    with translation.override("fr"):
        for lang in ("fr", "en"):
            names = {}
            for group in LABEL_GROUPS.values():
                for label in group.labels:
                    names[normalise(label.code)] = label.code
                    names[normalise(label.label_for(lang))] = label.code
                if len(group.labels) == 1:
                    names[normalise(group.label_for(lang))] = group.labels[0].code  # "Bio"
            if lang == "fr":
                lookup.update(names)
            else:
                for key, code in names.items():
                    lookup.setdefault(key, code)
            for group in LABEL_GROUPS.values():
                for label in group.labels:
                    for part in re.split(r"\s*/\s*|\s*\(|\)", label.label_for(lang)):  # "AOC / AOP", "(HVE)"
                        if part.strip():
                            lookup.setdefault(normalise(part), label.code)
    lookup.setdefault("ab", "agriculture_biologique")
    lookup.setdefault("rup", "rup")
    lookup.setdefault("fermier", "fermier")
    lookup.setdefault("produit de la ferme", "fermier")
    return lookup


def accepted_values():
    """For the import page: the families and labels the columns accept (names from the rules)."""
    return {
        "families": [str(label) for label in FAMILIES.values()],
        "labels": [
            (group.label_for("fr"), [label.label_for("fr") for label in group.labels])
            for group in LABEL_GROUPS.values()
        ],
    }


class ImportRefused(Exception):
    """The whole file is refused (size, format, headers, line count) before or while reading its lines."""


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number, message)
    error_count: int = 0

    def add_error(self, line, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append((line, message))


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8."))


def _csv_rows(upload):
    text = _decode(upload.read())
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv_records(text, delimiter)
    except UnreadableCsvLine as error:  # a cell over the limit, an unterminated quote...: the file, not a 500
        raise ImportRefused(
            _("Ligne %(line)s illisible (guillemet non fermé ou cellule trop longue) : vérifiez le fichier.")
            % {"line": error.line}
        ) from error


def _xlsx_rows(upload):
    """The first sheet, read by home.spreadsheets.xlsx_rows(): member sizes, compression ratios and the sheet's
    extent are checked on the archive before python-calamine parses anything (an XML bomb is refused in
    milliseconds, with a French message)."""
    try:
        for row in xlsx_rows(upload, max_columns=MAX_COLUMNS):
            yield ["" if value is None else value for value in row]
    except SpreadsheetRefused as error:
        raise ImportRefused(str(error)) from error


def _rows(upload):
    name = (upload.name or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if name.endswith(".xlsx") or head == b"PK\x03\x04":
        return _xlsx_rows(upload)
    if name.endswith((".xls", ".ods")):
        raise ImportRefused(_("Format non pris en charge : enregistrez le fichier en .xlsx ou en .csv."))
    return _csv_rows(upload)


def _header_map(header):
    accepted = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    positions = {}
    for index, title in enumerate(header):
        key = accepted.get(normalise(title))
        if key and key not in positions:
            positions[key] = index
    missing = [COLUMN_NAMES[key] for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        raise ImportRefused(
            _("Colonnes manquantes : %(missing)s. La première ligne doit contenir : %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(TEMPLATE_HEADERS)}
        )
    return positions


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_amount(value):
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value).strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in text and "." in text:  # 1.234,56
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _cell(row, positions, key):
    index = positions.get(key)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def parse(upload) -> ImportResult:
    """Read and validate every line of `upload` (a Django UploadedFile). Raises ImportRefused for the file."""
    if upload.size > MAX_BYTES:
        raise ImportRefused(
            _("Le fichier dépasse 10 Mo (%(size)s Mo) : découpez-le en plusieurs fichiers.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    families, labels = _family_lookup(), _label_lookup()
    result = ImportResult()
    positions = None
    count = 0
    for line, row in enumerate(_rows(upload), start=1):
        if line > MAX_ROWS:
            raise ImportRefused(
                _(
                    "Le fichier compte plus de 60 000 lignes, lignes vides comprises : supprimez les lignes vides ou "
                    "découpez-le en plusieurs fichiers."
                )
            )
        if not any(str(cell).strip() for cell in row):
            continue
        if positions is None:
            positions = _header_map(row)
            continue
        count += 1
        if count > MAX_LINES:
            raise ImportRefused(
                _("Le fichier compte plus de 50 000 lignes d'achats : découpez-le en plusieurs fichiers.")
            )
        problems = []
        date = _parse_date(_cell(row, positions, "date"))
        if date is None:
            problems.append(_("date invalide (attendu JJ/MM/AAAA)"))
        elif not FIRST_YEAR <= date.year <= LAST_YEAR:
            problems.append(_("année hors de %(first)s–%(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR})
        description = str(_cell(row, positions, "description"))
        if not description:
            problems.append(_("description manquante"))
        supplier = str(_cell(row, positions, "supplier"))
        if not supplier:
            problems.append(_("fournisseur manquant"))
        family_text = _cell(row, positions, "family")
        family = families.get(normalise(family_text))
        if family is None:
            suggestion = suggest_family(family_text)
            if suggestion:
                problems.append(
                    _("famille inconnue « %(value)s » : vouliez-vous dire « %(suggestion)s » ?")
                    % {"value": family_text, "suggestion": suggestion}
                )
            else:
                problems.append(
                    _("famille inconnue « %(value)s » (familles possibles : %(families)s)")
                    % {
                        "value": family_text,
                        "families": ", ".join(family_label(code, translation.get_language()) for code in FAMILIES),
                    }
                )
        label_codes = []
        for word in re.split(r"[,;|+/]", str(_cell(row, positions, "labels") or "")):
            key = normalise(word)
            if not key or key in NOT_EGALIM_MENTIONS:
                continue
            code = labels.get(key)
            if code is None:
                problems.append(_("label inconnu « %(value)s »") % {"value": word.strip()})
            elif code not in label_codes:
                label_codes.append(code)
        amount = _parse_amount(_cell(row, positions, "amount"))
        if amount is None:
            problems.append(_("montant HT invalide"))
        else:
            try:
                validate_amount(amount)
            except ValidationError as error:
                problems.append(str(error.messages[0]).rstrip(".").lower())
        if problems:
            result.add_error(line, "; ".join(problems) + ".")
        elif not result.error_count:
            result.rows.append(
                Purchase(
                    date=date,
                    description=description[:255],
                    supplier=supplier[:255],
                    family=family,
                    labels=label_codes,
                    amount=amount,
                )
            )
    if positions is None:
        raise ImportRefused(_("Le fichier est vide."))
    if count == 0:
        raise ImportRefused(_("Le fichier ne contient aucune ligne d'achat sous la ligne d'en-tête."))
    if result.error_count:
        result.rows = []
    return result


def aggregate(canteen, year) -> dict:
    """The detailed table {family: {column: Decimal}} of all the canteen's purchases dated `year`."""
    detail = {}
    rows = Purchase.objects.filter(canteen=canteen, date__year=year).values_list("family", "labels", "amount")
    for family, label_codes, amount in rows.iterator(chunk_size=2000):
        cells = detail.setdefault(family, dict.fromkeys(FAMILY_COLUMNS, Decimal(0)))
        cells["total"] += amount
        group = group_for_labels(label_codes, year)
        if group is not None:
            cells[group] += amount
    return detail


def duplicate_of(canteen, result: ImportResult) -> PurchaseImport | None:
    """An earlier import of `canteen` with exactly the same purchases (the same file sent twice), if any.

    The purchases of a year add up, so a second import of one file would double that year's amounts."""
    total = sum((purchase.amount for purchase in result.rows), Decimal(0))
    years = sorted({purchase.date.year for purchase in result.rows})
    new = None
    for batch in canteen.imports.filter(line_count=len(result.rows), total=total).order_by("created_at"):
        if batch.years != years:
            continue
        if new is None:
            new = sorted((p.date, p.description, p.supplier, p.family, p.amount) for p in result.rows)
        fields = ("date", "description", "supplier", "family", "amount")
        if sorted(batch.purchases.values_list(*fields)) == new:
            return batch
    return None


def refusal(canteen, result: ImportResult) -> str | None:
    """Why a file whose every line is valid is still refused (nothing is saved), or None: a year of its purchases
    is already declared, or the same purchases were already imported (they would add up twice)."""
    from .declaration import current

    declared = [year for year in {p.date.year for p in result.rows} if current(canteen, year)]
    if declared:
        return _(
            "Le fichier contient des achats de %(years)s, année déjà télédéclarée : annulez la "
            "déclaration avant d'importer."
        ) % {"years": ", ".join(map(str, sorted(declared)))}
    previous = duplicate_of(canteen, result)
    if previous is not None:
        return _(
            "Ces achats sont déjà importés (fichier « %(name)s » du %(date)s) : les importer de nouveau "
            "doublerait les montants. Rien n'est enregistré."
        ) % {"name": previous.filename, "date": timezone.localtime(previous.created_at).strftime("%d/%m/%Y")}
    return None


def lock_canteen(canteen):
    """Lock the canteen's row until the end of the current transaction. Imports and teledeclarations of a canteen
    take this lock before their checks (« already declared », « already imported »), so two of them sent at the
    same moment run one after the other and the second sees what the first saved."""
    type(canteen).objects.select_for_update().filter(pk=canteen.pk).values_list("pk", flat=True).first()


def save(canteen, result: ImportResult, user, filename) -> PurchaseImport:
    """Store the purchases and fill the diagnostics of their years (detailed mode), all or nothing.

    Raises ImportRefused when, once the canteen is locked, a year turns out declared or the same purchases
    imported (by a request that ran at the same moment)."""
    years = sorted({purchase.date.year for purchase in result.rows})
    with transaction.atomic():
        lock_canteen(canteen)
        if (reason := refusal(canteen, result)) is not None:
            raise ImportRefused(reason)
        batch = PurchaseImport.objects.create(
            canteen=canteen,
            filename=filename[:255],
            line_count=len(result.rows),
            total=sum((purchase.amount for purchase in result.rows), Decimal(0)),
            years=years,
            imported_by=user,
        )
        for purchase in result.rows:
            purchase.canteen = canteen
            purchase.batch = batch
        Purchase.objects.bulk_create(result.rows, batch_size=2000)
        for year in years:
            diagnostic, _created = YearlyDiagnostic.objects.get_or_create(canteen=canteen, year=year)
            diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
            diagnostic.set_purchases_from_detail(aggregate(canteen, year))
            diagnostic.updated_by = user
            diagnostic.save()
    return batch


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Achats"
    sheet.append(TEMPLATE_HEADERS)
    for row in TEMPLATE_ROWS:
        day, month, year = (int(part) for part in row[0].split("/"))
        sheet.append([datetime.date(year, month, day), *row[1:5], float(row[5].replace(",", "."))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
