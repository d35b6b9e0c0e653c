"""ma cantine's published Table Schemas, read from the JSON files themselves (never hand-copied rules).

`load(name)` gives a `Schema` whose fields validate a cell: required, type (string, number, integer, date,
year, boolean, any), pattern, enum (with ma cantine's `enum_multiple` extension), unique. Messages are French,
written after ma cantine's (Validata's) so that a person who knows the national service reads the same words.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

SCHEMA_DIR = Path(__file__).parent / "schemas"
IMPORT_FORMATS = (
    "achats_siret",
    "achats_id",
    "achats_siret_old",
    "achats_id_old",
    "cantines_creer",
    "cantines_modifier",
    "cantines_gestionnaires",
    "bilans_simple_siret",
    "bilans_simple_id",
    "bilans_detaille",
    "diagnostics",
    "diagnostics_cc",
    "diagnostics_complets",
    "diagnostics_complets_cc",
    "diagnostics_admin",
)
OPENDATA_FORMATS = ("schema_cantines", "schema_teledeclarations")
NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
DECIMAL_COMMA_RE = re.compile(r"^-?\d+,\d+$")
INTEGER_RE = re.compile(r"^-?\d+$")


def schema_path(name: str) -> Path:
    folder = "export_opendata" if name in OPENDATA_FORMATS else "imports"
    return SCHEMA_DIR / folder / f"{name}.json"


@dataclass
class Field:
    name: str
    type: str
    title: str = ""
    format: str = "default"
    required: bool = False
    unique: bool = False
    pattern: re.Pattern | None = None
    enum: tuple = ()
    enum_multiple: bool = False
    separator: str = ","
    true_values: tuple = ("true", "True", "TRUE", "1")
    false_values: tuple = ("false", "False", "FALSE", "0")
    doc_enum: tuple = ()

    @classmethod
    def from_json(cls, data):
        constraints = data.get("constraints") or {}
        pattern = constraints.get("pattern")
        return cls(
            name=data["name"],
            type=data.get("type", "string"),
            title=data.get("title", ""),
            format=data.get("format") or "default",
            required=bool(constraints.get("required")),
            unique=bool(constraints.get("unique")),
            pattern=re.compile(pattern) if pattern else None,
            enum=tuple(constraints.get("enum") or ()),
            enum_multiple=bool(constraints.get("enum_multiple")),
            separator=constraints.get("enum_multiple_seperator") or data.get("doc_enum_multiple_seperator") or ",",
            true_values=tuple(data.get("trueValues") or cls.true_values),
            false_values=tuple(data.get("falseValues") or cls.false_values),
            doc_enum=tuple(data.get("doc_enum") or constraints.get("enum") or ()),
        )

    def check(self, value: str):
        """(python value, None) or (None, French message) for one cell's text."""
        text = value.strip()
        if not text:
            if self.required:
                return None, _("La valeur est obligatoire et doit être renseignée")
            if self.type == "boolean" and "" in self.false_values:
                return False, None
            return None, None
        if self.pattern is not None and not self.pattern.match(value):
            expected = ", ".join(self.doc_enum)
            message = _("%(value)s ne respecte pas le motif imposé") % {"value": text}
            if expected:
                message += " " + _("(valeurs acceptées : %(values)s)") % {"values": expected}
            return None, message
        if self.enum:
            parts = [part.strip() for part in text.split(self.separator)] if self.enum_multiple else [text]
            wrong = [part for part in parts if part not in self.enum]
            if wrong:
                return None, _("« %(value)s » ne fait pas partie des valeurs acceptées : %(values)s") % {
                    "value": wrong[0],
                    "values": ", ".join(self.enum),
                }
        if self.type == "number":
            if DECIMAL_COMMA_RE.match(text):  # 90,11: a French spreadsheet's decimal comma (see docs/donnees.md)
                text = text.replace(",", ".")
            if not NUMBER_RE.match(text):
                return None, _(
                    "La valeur ne doit comporter que des chiffres et le point comme séparateur décimal "
                    "(vous avez écrit « %(value)s »)"
                ) % {"value": text}
            try:
                return Decimal(text), None
            except InvalidOperation:  # pragma: no cover - the pattern above excludes it
                return None, _("Nombre invalide")
        if self.type in ("integer", "year"):
            if not INTEGER_RE.match(text):
                return None, _("La valeur doit être un nombre entier (vous avez écrit « %(value)s »)") % {"value": text}
            return int(text), None
        if self.type == "date":
            pattern = self.format if self.format.startswith("%") else "%Y-%m-%d"
            try:
                return datetime.datetime.strptime(text, pattern).date(), None
            except ValueError:
                return None, _("La date doit être écrite sous la forme `aaaa-mm-jj`")
        if self.type == "boolean":
            if text in self.true_values:
                return True, None
            if text in self.false_values:
                return False, None
            return None, _("Valeur non reconnue « %(value)s » (valeurs acceptées : %(values)s)") % {
                "value": text,
                "values": ", ".join(v for v in (*self.true_values, *self.false_values) if v),
            }
        return text, None


@dataclass
class Schema:
    name: str
    title: str
    fields: list = field(default_factory=list)

    @property
    def field_names(self):
        return [f.name for f in self.fields]

    @property
    def path(self) -> Path:
        return schema_path(self.name)


@lru_cache
def load(name: str) -> Schema:
    data = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return Schema(name=name, title=data.get("title", name), fields=[Field.from_json(f) for f in data["fields"]])


def detect(header) -> str | None:
    """The import format whose field names are exactly `header` (then the one sharing the most names)."""
    names = [str(cell).strip().lstrip("\ufeff") for cell in header]
    while names and not names[-1]:
        names.pop()
    best, best_score = None, 0
    for name in IMPORT_FORMATS:
        fields = load(name).field_names
        if names == fields:
            return name
        score = len(set(names) & set(fields)) / len(set(names) | set(fields))  # Jaccard
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 0.5 else None
