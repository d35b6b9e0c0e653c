"""The pipeline's common parts: errors and the report, the Table Schema checks of the header and the rows, and
finding the canteens a file names (with the person's right on each)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Canteen
from ..permissions import can
from ..validators import normalize_identifier


class ConcurrentChange(Exception):
    """Found under the lock: what was checked changed meanwhile (str(error) is the message)."""


CENT = Decimal("0.01")
# sectors of the State's restaurants, the only ones with a line ministry (as in ma cantine)
STATE_SECTORS = {"admin_state", "admin_inter", "armed_forces", "public_bodies", "prison"}
MAX_ERRORS = 1000
# Other apps may widen who may import into a canteen (territory officers): f(user, canteen, action) -> bool.
EDITOR_HOOKS = []
# Formats loaded by other apps (the national campaign files): name → (detect(raw) -> bool, load(raw, filename,
# user, dry_run) -> a report with as_dict() and accepted)
EXTRA_FORMATS = {}


def may(user, canteen, action) -> bool:
    return can(user, canteen, action) or any(hook(user, canteen, action) for hook in EDITOR_HOOKS)


@dataclass
class Error:
    message: str
    row: int | None = None
    column: int | None = None
    header: str | None = None
    field: str | None = None
    value: str | None = None

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "field": self.field,
            "value": self.value,
            "message": str(self.message),
        }


@dataclass
class Record:
    row: int
    values: dict  # field name → python value
    cells: dict  # field name → (column number, header, text)


@dataclass
class Report:
    format: str | None = None
    rows: int = 0
    errors: list = field(default_factory=list)
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    preview: list = field(default_factory=list)
    saved: bool = False
    table: object = None

    @property
    def accepted(self):
        return not self.errors

    def error(self, message, record=None, name=None, **extra):
        if len(self.errors) >= MAX_ERRORS:
            return
        if record is not None and name is not None and name in record.cells:
            column, header, value = record.cells[name]
            self.errors.append(Error(message, record.row, column, header, name, value))
        else:
            self.errors.append(Error(message, record.row if record else extra.get("row"), field=name))

    def as_dict(self):
        return {
            "format": self.format,
            "accepted": self.accepted,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": [error.as_dict() for error in self.errors],
            "preview": self.preview,
        }


# --- Table Schema checks --------------------------------------------------------------------------------------


def check_header(header, fields, report):
    names = [f.name for f in fields]
    header = [cell.strip().lstrip("\ufeff") if isinstance(cell, str) else cell for cell in header]
    while len(header) > len(names) and not str(header[-1]).strip():
        header = header[:-1]  # trailing empty header cells of a spreadsheet: not columns
    if len(header) < len(names):
        missing = [name for name in names if name not in header]
        report.errors.append(
            Error(
                _(
                    "Première ligne du fichier incorrecte : elle doit contenir les bons noms de colonnes et dans le "
                    "bon ordre (%(expected)s). Colonnes manquantes : %(missing)s."
                )
                % {"expected": ", ".join(names), "missing": ", ".join(missing) or _("aucune (ordre incorrect)")},
                row=1,
                field="en-tête",
                value=", ".join(str(cell) for cell in header),
            )
        )
        return
    for index, name in enumerate(names):
        if header[index] != name:
            report.errors.append(
                Error(
                    _("Valeur incorrecte vous avez écrit « %(wrong)s » au lieu de « %(right)s »")
                    % {"wrong": header[index], "right": name},
                    row=1,
                    column=index + 1,
                    header=str(header[index]),
                    field=name,
                    value=str(header[index]),
                )
            )
    extra = len(header) - len(names)
    if extra > 0:
        report.errors.append(
            Error(
                _(
                    "%(count)s colonnes supplémentaires : supprimez les %(count)s colonnes en excès et toutes les "
                    "données présentes dans ces dernières (un espace ou un symbole invisible peut suffire)."
                )
                % {"count": extra},
                row=1,
                column=len(names) + 1,
                field="en-tête",
                value=", ".join(str(cell) for cell in header[len(names) :]),
            )
        )


def check_rows(table, fmt, report) -> list:
    fields = fmt.fields
    width = len(fields)
    header = table.rows[0]
    records, seen = [], {f.name: {} for f in fields if f.unique}
    for line, row in enumerate(table.rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            report.error(_("ligne vide : supprimez-la"), row=line)
            continue
        report.rows += 1
        if table.kind == "xlsx":
            row = row + [""] * (width - len(row))
        if len(row) != width and not (len(row) > width and not any(str(c).strip() for c in row[width:])):
            report.error(_("La ligne n'a pas le même nombre de cellules que l'en-tête"), row=line)
        values, cells, ok = {}, {}, True
        for index, f in enumerate(fields):
            text = str(row[index]) if index < len(row) else ""
            cells[f.name] = (index + 1, str(header[index]) if index < len(header) else f.name, text)
            record = Record(line, values, cells)
            if index >= len(row):
                values[f.name] = None
                continue
            value, message = f.check(text)
            if message:
                ok = False
                report.error(message, record, f.name)
                continue
            values[f.name] = value
            if f.unique and value not in (None, ""):
                if value in seen[f.name]:
                    ok = False
                    report.error(
                        _("« %(value)s » figure déjà ligne %(line)s : une seule ligne par valeur de %(field)s")
                        % {"value": text.strip(), "line": seen[f.name][value], "field": f.name},
                        record,
                        f.name,
                    )
                else:
                    seen[f.name][value] = line
        if ok:
            records.append(Record(line, values, cells))
    return records


def _identifier(value) -> str:
    return normalize_identifier(value)


def find_canteens(records, key, report, user, action):
    """{record row: canteen} for the records whose `key` (siret or cantine_id) names a canteen `user` may
    `action`; an error on the others."""
    wanted = {_identifier(r.values.get(key)) for r in records if r.values.get(key) not in (None, "")}
    if key == "siret":
        found = {c.siret: c for c in Canteen.objects.filter(siret__in=wanted)}
    else:
        ids = {int(Decimal(value)) for value in wanted if value.replace(".", "", 1).isdigit()}
        found = {str(c.pk): c for c in Canteen.objects.filter(pk__in=ids)}
    result = {}
    for record in records:
        value = _identifier(record.values.get(key))
        if key == "cantine_id" and value.endswith(".0"):
            value = value[:-2]
        canteen = found.get(value)
        if canteen is None:
            if key == "siret":
                message = _("Une cantine avec le siret « %(value)s » n'existe pas sur la plateforme.")
            else:
                message = _("Une cantine avec l'id « %(value)s » n'existe pas sur la plateforme.")
            report.error(message % {"value": value}, record, key)
        elif not may(user, canteen, action):
            report.error(_("Vous n'êtes pas un gestionnaire de cette cantine."), record, key)
        else:
            result[record.row] = canteen
    return result


def _split(text):
    return [part.strip() for part in str(text or "").split(",") if part.strip()]
