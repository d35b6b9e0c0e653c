"""Loading the national registry of canteens (ma cantine's `schema_cantines.json`: the « registre national des
cantines » of data.gouv.fr, and this site's own /donnees/national/registre-cantines.csv) back into the database.

Each line is a canteen, matched by its national id (`id`, kept in `Canteen.national_id`), then by SIRET; a
line matched nowhere creates the canteen, with the national id as its own id when that id is free (so that the
campaign files' `canteen_id` still joins). A matched canteen takes the line's values only when the line is at
least as recent as the canteen (`modification_date`), so loading a file twice, or an older file, changes nothing.
Creation and modification dates are kept as the file has them, so that exporting again gives the same lines.

What the file derives and this loader does not store: `postal_code` and `department`/`region` (from the
commune), `declaration_donnees_<year>` (from the declarations: load the campaign files for them),
`active_on_ma_cantine` (whether a manager is registered: managers are never in open data), `logo`, `groupe_id`.
Armed-forces canteens are never in the file, and a line naming them is refused.
"""

import datetime
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canteens.models import Canteen
from canteens.standard import codes
from canteens.validators import commune_code_error, department_of_commune, is_valid_siret, not_covered_message

from .epci import epci_of
from .models import Department
from .national import (
    REGISTRY_COLUMNS,
    SIRET_RE,
    LoadReport,
    _int,
    _reset_sequences,
    _split_list,
    read_national_file,
)

FORMULA_ESCAPE = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def detect_registry(raw: bytes) -> bool:
    first = raw[:4096].decode("utf-8-sig", errors="ignore").split("\n", 1)[0].strip().split(",")
    return sorted(first) == sorted(REGISTRY_COLUMNS)


def _text(value):
    """A cell as written: the apostrophe that neutralised a formula in the export is not part of the value."""
    value = (value or "").strip()
    return value[1:] if value.startswith(FORMULA_ESCAPE) else value


def _stamp(text):
    try:
        value = datetime.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _count(text):
    number = _int(text)
    return number if number is not None else 0


def canteen_fields(row) -> dict:
    """The Canteen fields a registry line gives (identity apart)."""
    sectors, _unknown = codes.sectors_of(row.get("sector_list"))
    insee = _text(row.get("city_insee_code")).upper()
    insee = insee if commune_code_error(insee) is None else ""
    ministry = _text(row.get("line_ministry"))
    return {
        "name": _text(row.get("name"))[:255] or _("Cantine sans nom"),
        "city": _text(row.get("city"))[:255],
        "city_insee_code": insee,
        "epci": _text(row.get("epci"))[:9] or epci_of(insee)[0],
        "epci_name": _text(row.get("epci_lib"))[:255] or epci_of(insee)[1],
        "pat": [
            {"code": code, "name": name}
            for code, name in zip(_split_list(row.get("pat_list")), _split_list(row.get("pat_lib_list")), strict=False)
        ],
        "economic_model": codes.economic_model(row.get("economic_model")) or "",
        "management_type": codes.management(row.get("management_type")) or "",
        "production_type": codes.production(row.get("production_type")) or "",
        "central_kitchen_siret": _text(row.get("central_producer_siret"))[:14],
        "daily_meal_count": _count(row.get("daily_meal_count")),
        "yearly_meal_count": _count(row.get("yearly_meal_count")),
        "sectors": sectors[:3],
        "line_ministry": (codes.ministry(ministry) or "") if ministry else "",
    }


def load_registry(raw: bytes, filename: str, user, dry_run: bool = False) -> LoadReport:
    """Load a registry file (schema_cantines). Administrators only, like the campaign files."""
    from .stats import rebuild_canteens_of

    started = time.monotonic()
    report = LoadReport(format="schema_cantines")
    rows = read_national_file(
        raw,
        user,
        report,
        _("Seuls les administrateurs chargent le registre national des cantines."),
        lambda header: sorted(header) == sorted(REGISTRY_COLUMNS),
        _("Les colonnes ne sont pas celles du schéma national des cantines."),
    )
    if rows is None:
        return report
    created, unchanged, updated = [], 0, 0
    with transaction.atomic():
        by_national = {c.national_id: c for c in Canteen.objects.filter(national_id__isnull=False)}
        wanted = {_text(row.get("siret")) for row in rows}
        by_siret = {c.siret: c for c in Canteen.objects.filter(siret__in=wanted - {""})}
        taken_ids = set(Canteen.objects.values_list("pk", flat=True))
        ids = {_int(row.get("id")) for row in rows} - {None}
        by_pk = {c.pk: c for c in Canteen.objects.filter(pk__in=ids, national_id__isnull=True)}
        territories = set(Department.objects.values_list("code", flat=True))
        dates = []  # (canteen, created, modified) kept as the file has them
        for line, row in enumerate(rows, start=2):
            national_id, siret = _int(row.get("id")), _text(row.get("siret"))
            siren = _text(row.get("siren_unite_legale"))
            fields = canteen_fields(row)
            if message := not_covered_message(_text(row.get("city_insee_code")) or _text(row.get("department"))):
                report.refused.append({"row": line, "id": row.get("id"), "message": str(message)})
                continue
            # the one rule of Canteen.objects.public(): the ministry hides a canteen, a sector alone does not
            if Canteen.hides(fields["line_ministry"]):
                report.refused.append({"row": line, "id": row.get("id"), "message": str(_("Cantine des armées."))})
                continue
            canteen = by_national.get(national_id)
            if canteen is None and SIRET_RE.match(siret):
                canteen = by_siret.get(siret)
            own = by_pk.get(national_id)  # a line of this site's own export: the same canteen, same identity
            if canteen is None and own is not None and (own.siret, own.siren_unite_legale) == (siret, siren):
                canteen = own
            modified = _stamp(row.get("modification_date"))
            if canteen is not None:
                if canteen is not own and canteen.national_id is None and national_id not in by_national:
                    canteen.national_id = national_id  # the file's id: kept to match its later files
                    by_national[national_id] = canteen
                changes = {name: value for name, value in fields.items() if getattr(canteen, name) != value}
                newer = modified is not None and (canteen.updated_at is None or modified > canteen.updated_at)
                if changes and newer:
                    for name, value in changes.items():
                        setattr(canteen, name, value)
                    canteen.department = department_of_commune(canteen.city_insee_code) or ""
                    canteen.territory_department_id = canteen.department if canteen.department in territories else None
                    canteen.save()
                    dates.append((canteen, None, modified))
                    updated += 1
                else:
                    unchanged += 1
                continue
            identity = {}
            if SIRET_RE.match(siret) and is_valid_siret(siret):
                identity["siret"] = siret
            elif len(siren) == 9 and siren.isdigit():
                identity["siren_unite_legale"] = siren
            else:
                report.refused.append({"row": line, "id": row.get("id"), "message": str(_("Ni SIRET ni SIREN."))})
                continue
            canteen = Canteen(**fields, **identity)
            if national_id and national_id not in taken_ids:
                canteen.pk = national_id  # the file's id, when free: the campaign files still join
                taken_ids.add(national_id)
            if national_id and national_id not in by_national:
                canteen.national_id = national_id
            if national_id:
                by_national[national_id] = canteen
            canteen.department = department_of_commune(canteen.city_insee_code) or ""
            canteen.territory_department_id = canteen.department if canteen.department in territories else None
            if canteen.siret:
                by_siret[canteen.siret] = canteen
            created.append(canteen)
            dates.append((canteen, _stamp(row.get("creation_date")), modified))
        Canteen.objects.bulk_create(created, batch_size=1000)  # no save signals: the statistics are rebuilt below
        for canteen, created_at, updated_at in dates:  # bulk_update does not touch auto_now fields
            canteen.created_at = created_at or canteen.created_at
            canteen.updated_at = updated_at or canteen.updated_at
        Canteen.objects.bulk_update([canteen for canteen, *_dates in dates], ["created_at", "updated_at"], 1000)
        _reset_sequences()
        rebuild_canteens_of([canteen.pk for canteen, *_dates in dates])
        if dry_run:
            transaction.set_rollback(True)
    report.created = {"canteens": len(created)}
    report.updated = {"canteens": updated, "canteens_unchanged": unchanged}
    report.seconds = time.monotonic() - started
    return report
