"""One import pipeline for ma cantine's national formats: read → check against the Table Schema → check against
the database (canteens, permissions) → preview → save, all or nothing.

    report = run(raw_bytes, filename, user, format_name=None, dry_run=True)
    report.as_dict()  # {"format", "accepted", "rows", "created", "updated", "errors": [...], "preview": [...]}

Each error carries the row (line of the file, the header being line 1), the column (1-based) and its header,
the schema field, the cell's value and a French message; file-level errors have `row`/`column` None.
"""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from . import schema
from .canteen_rows import plan_canteens_create, plan_canteens_update, plan_managers
from .combined import plan_combined
from .core import (  # noqa: F401 - the pipeline's names for the other apps
    EDITOR_HOOKS,
    EXTRA_FORMATS,
    ConcurrentChange,
    Error,
    Report,
    check_header,
    check_rows,
    may,
)
from .detailed import plan_detailed_diagnostics
from .figures import plan_simple_diagnostics
from .purchases import plan_purchases
from .reader import FileRefused, read

PLANNERS = {
    "achats_siret": plan_purchases,
    "achats_id": plan_purchases,
    "achats_siret_old": plan_purchases,
    "achats_id_old": plan_purchases,
    "cantines_creer": plan_canteens_create,
    "cantines_modifier": plan_canteens_update,
    "cantines_gestionnaires": plan_managers,
    "bilans_simple_siret": plan_simple_diagnostics,
    "bilans_simple_id": plan_simple_diagnostics,
    "bilans_detaille": plan_detailed_diagnostics,
    "diagnostics": plan_combined,
    "diagnostics_cc": plan_combined,
    "diagnostics_admin": plan_combined,
    "diagnostics_complets": plan_combined,
    "diagnostics_complets_cc": plan_combined,
}


def run(raw: bytes, filename: str, user, format_name: str | None = None, dry_run: bool = False) -> Report:
    report = Report(format=format_name)
    report.filename = filename or ""
    try:
        table = read(raw, filename)
    except FileRefused as error:
        report.errors.append(Error(str(error)))
        return report
    report.table = table
    if not table.rows:
        report.errors.append(Error(_("Le fichier est vide.")))
        return report
    if format_name is None:
        format_name = report.format = schema.detect(table.rows[0])
        if format_name is None:
            report.errors.append(
                Error(
                    _(
                        "Format non reconnu : la première ligne doit contenir les noms de colonnes d'un des modèles "
                        "de ma cantine (par exemple %(example)s)."
                    )
                    % {"example": ", ".join(schema.load("achats_siret").field_names)},
                    row=1,
                    value=", ".join(str(cell) for cell in table.rows[0]),
                )
            )
            return report
    elif format_name not in schema.IMPORT_FORMATS:
        report.errors.append(Error(_("Format inconnu « %(value)s ».") % {"value": format_name}))
        return report
    fmt = schema.load(format_name)
    check_header(table.rows[0], fmt.fields, report)
    if report.errors:
        return report
    records = check_rows(table, fmt, report)
    if report.errors:
        return report
    if report.rows == 0:
        report.errors.append(Error(_("Le fichier ne contient aucune ligne sous la ligne d'en-tête.")))
        return report
    planner = PLANNERS[format_name]
    digest = hashlib.sha256(raw).hexdigest()
    save = planner(records, report, user, digest)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            save()
    except ConcurrentChange as error:  # another request saved first: nothing of this one is saved
        report.errors.append(Error(str(error)))
        return report
    report.saved = True
    return report
