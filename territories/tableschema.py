"""A small Table Schema (https://specs.frictionlessdata.io/table-schema/) validator.

Covers what the open-data schemas of this app use: field types string (formats default, uri), integer,
number, boolean, date, datetime and year; constraints required, unique, pattern (anchored, as the spec
says), enum, minimum, maximum, minLength, maxLength; `missingValues`. It checks the descriptor itself, CSV
files (header and every cell) and typed rows (JSON objects, XLSX cells), and reports each error with its
row number and field. Used by the tests and by `manage.py export_open_data`, which refuses to publish a file
that does not match its schema. (frictionless-py does this and far more, with a dozen dependencies.)
"""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}
CONSTRAINTS = {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"}
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
URI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")


class SchemaError(ValueError):
    pass


def check_descriptor(schema: dict) -> list[str]:
    """Errors of the descriptor itself (an empty list when it is valid)."""
    errors = []
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return ["`fields` must be a non-empty list"]
    names = [field.get("name") for field in fields]
    if len(set(names)) != len(names):
        errors.append("field names must be unique")
    for field in fields:
        name = field.get("name")
        if not isinstance(name, str) or not name:
            errors.append(f"a field has no name: {field}")
        if field.get("type", "string") not in TYPES:
            errors.append(f"{name}: unknown type {field.get('type')!r}")
        unknown = set(field.get("constraints", {})) - CONSTRAINTS
        if unknown:
            errors.append(f"{name}: unknown constraints {sorted(unknown)}")
        pattern = field.get("constraints", {}).get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as error:
                errors.append(f"{name}: invalid pattern ({error})")
    if not isinstance(schema.get("missingValues", [""]), list):
        errors.append("`missingValues` must be a list")
    return errors


class _Invalid(Exception):
    pass


def cast(field: dict, value):
    """`value` (a CSV string, or a native value from JSON/XLSX) as the field's type; _Invalid when it is not."""
    kind = field.get("type", "string")
    if kind == "string":
        if not isinstance(value, str):
            raise _Invalid(f"not a string: {value!r}")
        if field.get("format") == "uri" and not URI_RE.match(value):
            raise _Invalid(f"not a URI: {value!r}")
        return value
    if kind in ("integer", "year"):
        if isinstance(value, bool):
            raise _Invalid(f"not an integer: {value!r}")
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
            number = int(value)
        else:
            raise _Invalid(f"not an integer: {value!r}")
        if kind == "year" and not 0 <= number <= 9999:
            raise _Invalid(f"not a year: {value!r}")
        return number
    if kind == "number":
        if isinstance(value, bool):
            raise _Invalid(f"not a number: {value!r}")
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        if isinstance(value, str) and re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value):
            try:
                return Decimal(value)
            except InvalidOperation as error:
                raise _Invalid(f"not a number: {value!r}") from error
        raise _Invalid(f"not a number: {value!r}")
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if value in field.get("trueValues", TRUE_VALUES):
            return True
        if value in field.get("falseValues", FALSE_VALUES):
            return False
        raise _Invalid(f"not a boolean: {value!r}")
    if kind == "date":
        if isinstance(value, datetime.datetime):
            raise _Invalid(f"not a date: {value!r}")
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError as error:
                raise _Invalid(f"not a date: {value!r}") from error
        raise _Invalid(f"not a date: {value!r}")
    if kind == "datetime":
        if isinstance(value, datetime.datetime):
            return value
        try:
            return datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError) as error:
            raise _Invalid(f"not a datetime: {value!r}") from error
    raise _Invalid(f"unknown type {kind}")


def _check_constraints(field, value, typed, seen):
    constraints = field.get("constraints", {})
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        raise _Invalid(f"{value!r} does not match {constraints['pattern']}")
    if "enum" in constraints:
        allowed = []
        for option in constraints["enum"]:
            try:
                allowed.append(cast(field, option))
            except _Invalid:
                allowed.append(option)
        if typed not in allowed:
            raise _Invalid(f"{value!r} is not one of {constraints['enum']}")
    for name, compare in (("minimum", lambda a, b: a < b), ("maximum", lambda a, b: a > b)):
        if name in constraints and compare(typed, cast(field, constraints[name])):
            raise _Invalid(f"{value!r} breaks {name} {constraints[name]}")
    if isinstance(typed, str):
        if "minLength" in constraints and len(typed) < constraints["minLength"]:
            raise _Invalid(f"{value!r} is shorter than {constraints['minLength']}")
        if "maxLength" in constraints and len(typed) > constraints["maxLength"]:
            raise _Invalid(f"{value!r} is longer than {constraints['maxLength']}")
    if constraints.get("unique"):
        key = (field["name"], typed)
        if key in seen:
            raise _Invalid(f"{value!r} is not unique")
        seen.add(key)


def validate_rows(schema: dict, rows, *, header=None, max_errors=100) -> list[str]:
    """Errors of `rows` (dicts or sequences in the order of the fields) against `schema`.

    CSV cells are strings and an empty cell (a `missingValues` entry) is a missing value; for typed rows
    (JSON, XLSX) None is the missing value.
    """
    errors = check_descriptor(schema)
    if errors:
        return [f"schema: {error}" for error in errors]
    fields = schema["fields"]
    names = [field["name"] for field in fields]
    if header is not None and list(header) != names:
        return [f"header {list(header)} differs from the schema's fields {names}"]
    missing_values = set(schema.get("missingValues", [""]))
    seen = set()
    for number, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            extra = set(row) - set(names)
            if extra:
                errors.append(f"row {number}: unknown fields {sorted(extra)}")
            cells = [row.get(name) for name in names]
        else:
            cells = list(row)
            if len(cells) != len(names):
                errors.append(f"row {number}: {len(cells)} cells for {len(names)} fields")
                continue
        for field, value in zip(fields, cells, strict=True):
            missing = value is None or (isinstance(value, str) and value in missing_values)
            if missing:
                if field.get("constraints", {}).get("required"):
                    errors.append(f"row {number}, {field['name']}: required value missing")
                continue
            try:
                typed = cast(field, value)
                _check_constraints(field, value, typed, seen)
            except _Invalid as error:
                errors.append(f"row {number}, {field['name']}: {error}")
        if len(errors) >= max_errors:
            errors.append("too many errors, stopped")
            break
    return errors


def validate_csv(schema: dict, text, **kwargs) -> list[str]:
    """Errors of a CSV file (comma-separated, first line the header) against `schema`: `text` is a string or a
    text file (read line by line)."""
    reader = csv.reader(io.StringIO(text) if isinstance(text, str) else text)
    header = next(reader, None)
    if header is None:
        return ["empty file"]
    return validate_rows(schema, reader, header=header, **kwargs)
