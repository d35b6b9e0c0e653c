"""The national open datasets in ma cantine's published schemas (`schema_cantines.json`,
`schema_teledeclarations.json`): the registry, and one file per teledeclaration campaign, as data.gouv.fr has them.

Each dataset's columns are declared once below (name → how to get the value from a row); their order and names
are checked against the schema file itself (tests/territories/test_national.py), which is served unchanged
beside the files. Ratios are 0–1 with four decimals; `ratio_egalim_hors_bio` excludes organic; `id` of the
registry is `canteen_id` of the campaigns. Armed-forces canteens are never written (whatever spelling their
ministry had in the file they came from: `canteens.standard.codes.ministry`).

The campaign files loaded as history (`load_campaign`) keep each line as the national file had it
(`snapshot["national"]`): written back, such a declaration is the same line.
"""

import datetime
import re
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from canteens.choices import Production
from canteens.models import Campaign, Canteen, Teledeclaration
from canteens.standard import codes
from canteens.standard.schema import schema_path
from canteens.validators import commune_code_error, department_of_commune, is_valid_siret, not_covered_message
from home.spreadsheets import UnreadableCsvLine, csv_dict_rows

from .epci import epci_of, postal_code_of
from .models import CampaignPublication, Department

RATIO = Decimal("0.0001")
REGISTRY_YEARS = (2021, 2022, 2023, 2024, 2025)
SCHEMA_FILES = {"schema-cantines": "schema_cantines", "schema-teledeclarations": "schema_teledeclarations"}
HISTORY_SOURCE = "ma-cantine-open-data"


def schema_bytes(slug) -> bytes:
    return schema_path(SCHEMA_FILES[slug]).read_bytes()


def _territories():
    return {
        code: (name, region, region_name or "")
        for code, name, region, region_name in Department.objects.values_list(
            "code", "name", "region_id", "region__name"
        )
    }


def ratio(part, total):
    if part is None or not total:
        return None
    return (Decimal(part) / Decimal(total)).quantize(RATIO, rounding=ROUND_HALF_UP)


def _pat(pats, key):
    return ",".join(str(item.get(key, "")) for item in pats or [] if isinstance(item, dict))


def _sectors(sectors):
    return ",".join(codes.SECTOR_EXPORT.get(code, code) for code in sectors or [])


def _iso(value):
    return value.isoformat() if value else None


@dataclass
class NationalDataset:
    slug: str
    schema: str
    columns: list = field(default_factory=list)

    @property
    def names(self):
        return self.columns


REGISTRY_COLUMNS = [
    "id",
    "name",
    "siret",
    "siren_unite_legale",
    "city",
    "city_insee_code",
    "postal_code",
    "epci",
    "epci_lib",
    "pat_list",
    "pat_lib_list",
    "department",
    "department_lib",
    "region",
    "region_lib",
    "economic_model",
    "management_type",
    "production_type",
    "central_producer_siret",
    "groupe_id",
    "daily_meal_count",
    "yearly_meal_count",
    "sector_list",
    "line_ministry",
    "logo",
    *[f"declaration_donnees_{year}" for year in REGISTRY_YEARS],
    "active_on_ma_cantine",
    "creation_date",
    "modification_date",
]
CAMPAIGN_COLUMNS = [
    "id",
    "applicant_id",
    "teledeclaration_mode",
    "year",
    "version",
    "canteen_id",
    "canteen_siret",
    "canteen_name",
    "canteen_central_kitchen_siret",
    "canteen_city_insee_code",
    "canteen_epci",
    "canteen_epci_lib",
    "canteen_pat_list",
    "canteen_pat_lib_list",
    "canteen_department",
    "canteen_department_lib",
    "canteen_region",
    "canteen_region_lib",
    "canteen_satellite_canteens_count",
    "canteen_economic_model",
    "canteen_management_type",
    "canteen_production_type",
    "canteen_sector_list",
    "canteen_line_ministry",
    "teledeclaration_type",
    "teledeclaration_ratio_bio",
    "teledeclaration_ratio_egalim_hors_bio",
    "creation_date",
]
REGISTRY = NationalDataset("registre-cantines", "schema_cantines", REGISTRY_COLUMNS)


def campaign_dataset(year) -> NationalDataset:
    return NationalDataset(f"campagne-td-{year}", "schema_teledeclarations", CAMPAIGN_COLUMNS)


def registry_rows():
    territories = _territories()
    declared = {
        f"declared_{year}": Exists(
            Teledeclaration.objects.submitted().filter(canteen=OuterRef("pk"), year=year).values("pk")
        )
        for year in REGISTRY_YEARS
    }
    has_manager = Exists(Canteen.managers.through.objects.filter(canteen_id=OuterRef("pk")).values("pk"))
    # Every public canteen (Canteen.objects.public(), docs/decisions/0006), with or without a published year: the
    # registry names the canteens, as their public pages do; lists of published canteens use `.listed()`.
    queryset = Canteen.objects.public().annotate(**declared, active=has_manager).order_by("pk")
    for canteen in queryset.iterator(chunk_size=2000):
        department, region, region_name = territories.get(canteen.department, ("", "", ""))
        yield [
            canteen.pk,
            canteen.name,
            canteen.siret or None,
            canteen.siren_unite_legale or None,
            canteen.city or None,
            canteen.city_insee_code or None,
            postal_code_of(canteen.city_insee_code) or None,
            canteen.epci or None,
            canteen.epci_name or None,
            _pat(canteen.pat, "code") or None,
            _pat(canteen.pat, "name") or None,
            canteen.department or None,
            department or None,
            region or None,
            region_name or None,
            codes.ECONOMIC_MODEL_EXPORT.get(canteen.economic_model),
            codes.MANAGEMENT_EXPORT.get(canteen.management_type),
            codes.PRODUCTION_EXPORT.get(canteen.production_type),
            canteen.central_kitchen_siret or None,
            None,
            canteen.daily_meal_count or None,
            canteen.yearly_meal_count or None,
            _sectors(canteen.sectors) or None,
            codes.MINISTRY_EXPORT.get(canteen.line_ministry) if canteen.line_ministry else None,
            None,
            *[getattr(canteen, f"declared_{year}") for year in REGISTRY_YEARS],
            canteen.active,
            _iso(canteen.created_at),
            _iso(canteen.updated_at),
        ]


def campaign_years() -> list[int]:
    """Years whose declarations may be published: the campaigns whose results an editor has published."""
    return sorted(CampaignPublication.objects.values_list("campaign__year", flat=True))


def campaign_rows(year):
    territories = _territories()
    queryset = (
        Teledeclaration.objects.submitted()
        .filter(year=year)
        .filter(canteen__in=Canteen.objects.public())
        .select_related("canteen", "stats")
        .order_by("pk")
    )
    for declaration in queryset.iterator(chunk_size=2000):
        snapshot = declaration.snapshot or {}
        identity = snapshot.get("canteen") or {}
        if Canteen.hides(codes.ministry(identity.get("line_ministry"))):
            continue  # the same rule on the declaration's snapshot (the canteen's ministry when it declared)
        national = snapshot.get("national")
        if national:  # a line of a national file loaded as history: written back as it was
            row = dict(national)
            row["id"], row["canteen_id"] = declaration.pk, declaration.canteen_id
            yield [row.get(name) or None for name in CAMPAIGN_COLUMNS]
            continue
        canteen = declaration.canteen
        stats = getattr(declaration, "stats", None)
        department = identity.get("department") or canteen.department
        department_name, region, region_name = territories.get(department, ("", "", ""))
        production = identity.get("production_type") or canteen.production_type
        satellites = (
            len(declaration.satellites_snapshot or [])
            if production in (Production.CENTRAL, Production.CENTRAL_SERVING)
            else None
        )
        total = stats.total if stats else None
        yield [
            declaration.pk,
            declaration.submitted_by_id,
            (declaration.mode or "site").upper(),
            declaration.year,
            str(declaration.version),
            declaration.canteen_id,
            identity.get("siret") or None,
            identity.get("name") or canteen.name,
            identity.get("central_kitchen_siret") or None,
            identity.get("city_insee_code") or None,
            canteen.epci or None,
            canteen.epci_name or None,
            _pat(canteen.pat, "code") or None,
            _pat(canteen.pat, "name") or None,
            department or None,
            department_name or None,
            region or None,
            region_name or None,
            satellites or None,
            codes.ECONOMIC_MODEL_EXPORT.get(identity.get("economic_model")),
            codes.MANAGEMENT_EXPORT.get(identity.get("management_type")),
            codes.PRODUCTION_EXPORT.get(production),
            _sectors(identity.get("sectors")) or None,
            codes.MINISTRY_EXPORT.get(identity.get("line_ministry")) if identity.get("line_ministry") else None,
            "COMPLETE" if (snapshot.get("inputs") or {}).get("mode") == "detailed" else "SIMPLE",
            ratio(stats.bio if stats else None, total),
            ratio(
                (stats.egalim - stats.bio) if stats and stats.egalim is not None and stats.bio is not None else None,
                total,
            ),
            _iso(declaration.submitted_at),
        ]


# --- loading a national campaign file as history ---------------------------------------------------------------

SIRET_RE = re.compile(r"^\d{14}$")


@dataclass
class LoadReport:
    format: str = "schema_teledeclarations"
    rows: int = 0
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # rows not loaded, with their reason (not errors of the file)
    seconds: float = 0.0

    @property
    def accepted(self):
        return not self.errors

    def as_dict(self):
        return {
            "format": self.format,
            "accepted": self.accepted,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": self.errors,
            "refused": self.refused,
            "seconds": round(self.seconds, 1),
        }


def detect_campaign(raw: bytes) -> bool:
    first = raw[:2048].decode("utf-8-sig", errors="ignore").split("\n", 1)[0].strip().split(",")
    return first == CAMPAIGN_COLUMNS


def _canteen_fields(row) -> dict:
    sectors, _unknown = codes.sectors_of(row.get("canteen_sector_list"))
    insee = (row.get("canteen_city_insee_code") or "").strip()
    return {
        "name": (row.get("canteen_name") or "").strip()[:255] or _("Cantine sans nom"),
        "city_insee_code": insee if commune_code_error(insee) is None else "",
        "central_kitchen_siret": (row.get("canteen_central_kitchen_siret") or "").strip()[:14],
        "sectors": sectors[:3],
        "management_type": codes.management(row.get("canteen_management_type")) or "",
        "production_type": codes.production(row.get("canteen_production_type")) or "",
        "economic_model": codes.economic_model(row.get("canteen_economic_model")) or "",
        "line_ministry": codes.ministry(row.get("canteen_line_ministry")) or ""
        if row.get("canteen_line_ministry")
        else "",
        "epci": (row.get("canteen_epci") or "").strip()[:9] or epci_of(insee)[0],
        "epci_name": (row.get("canteen_epci_lib") or "").strip()[:255] or epci_of(insee)[1],
        "pat": [
            {"code": code, "name": name}
            for code, name in zip(
                _split_list(row.get("canteen_pat_list")), _split_list(row.get("canteen_pat_lib_list")), strict=False
            )
        ],
    }


def _split_list(text):
    return [part.strip() for part in str(text or "").split(",") if part.strip()] if text else []


def _float_ratio(text):
    try:
        return Decimal(text) if text not in (None, "") else None
    except ArithmeticError:
        return None


def _snapshot(row, canteen_fields):
    bio = _float_ratio(row.get("teledeclaration_ratio_bio"))
    other = _float_ratio(row.get("teledeclaration_ratio_egalim_hors_bio"))
    rates = {}
    if bio is not None:
        rates["bio"] = str((bio * 100).quantize(Decimal("0.01")))
    if bio is not None and other is not None:
        rates["egalim"] = str(((bio + other) * 100).quantize(Decimal("0.01")))
    return {
        "source": HISTORY_SOURCE,
        "canteen": {
            "id": None,
            "name": canteen_fields["name"],
            "siret": (row.get("canteen_siret") or "").strip(),
            "city_insee_code": canteen_fields["city_insee_code"],
            "department": (row.get("canteen_department") or "").strip(),
            "sectors": canteen_fields["sectors"],
            "management_type": canteen_fields["management_type"],
            "production_type": canteen_fields["production_type"],
            "central_kitchen_siret": canteen_fields["central_kitchen_siret"],
            "economic_model": canteen_fields["economic_model"],
            "line_ministry": canteen_fields["line_ministry"],
        },
        # ratios only: the national files carry no amounts (shown as such wherever these declarations appear)
        "inputs": {"year": int(row["year"]), "mode": "ratios", "purchases": {}},
        "results": {"rates": rates, "measures": {}},
        "national": {name: row.get(name, "") for name in CAMPAIGN_COLUMNS},
    }


def _parse_datetime(text):
    try:
        value = datetime.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return timezone.now()
    return value if timezone.is_aware(value) else timezone.make_aware(value)


C1_RE = re.compile(r"[\x80-\x9f]")


def read_national_file(raw: bytes, user, report, staff_only, header_ok, wrong_header) -> list[dict] | None:
    """The lines of a national CSV file, or None with the refusal written in `report`: administrators only
    (`staff_only`), UTF-8, a header that `header_ok` accepts (`wrong_header` otherwise). Sets `report.rows`."""
    if not (user.is_staff or user.is_superuser):
        report.errors.append(_error(staff_only))
        return None
    try:
        text = _clean(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.errors.append(_error(_("Un fichier national est encodé en UTF-8.")))
        return None
    try:
        rows = csv_dict_rows(text, ",")
    except UnreadableCsvLine as error:  # an unterminated quote, a cell over the limit: the file, not a 500
        message = _("Ligne %(line)s illisible (guillemet non fermé ou cellule trop longue) : vérifiez le fichier.")
        report.errors.append(_error(message % {"line": error.line}, error.line))
        return None
    if not rows or not header_ok(rows[0]):
        report.errors.append(_error(wrong_header, 1))
        return None
    report.rows = len(rows)
    return rows


def _clean(text):
    """A C1 control character in the national files is a Windows-1252 character stored as Latin-1 (\x92 is ’)."""
    return C1_RE.sub(lambda match: bytes([ord(match.group())]).decode("cp1252", errors="ignore"), text)


def load_campaign(raw: bytes, filename: str, user, dry_run: bool = False) -> LoadReport:
    """Load a national campaign file (schema_teledeclarations) as a historical campaign: its canteens (matched
    by their national id, then by SIRET, else created) and one declaration per line, with its ratios. Loading the
    same file again changes nothing; a line already loaded (same national id) is left as it is."""
    from .stats import rebuild_canteens_of, rebuild_declarations_of

    started = time.monotonic()
    report = LoadReport()
    rows = read_national_file(
        raw,
        user,
        report,
        _("Seuls les administrateurs chargent un fichier national de télédéclarations."),
        lambda header: list(header) == CAMPAIGN_COLUMNS,
        _("Les colonnes ne sont pas celles du schéma national des télédéclarations."),
    )
    if rows is None:
        return report
    years = {row.get("year") for row in rows}
    if len(years) != 1 or not str(next(iter(years))).isdigit():
        report.errors.append(_error(_("Un fichier national porte sur une seule campagne (colonne year).")))
        return report
    year = int(next(iter(years)))
    counts = {"canteens": 0, "declarations": 0}
    matched = {"canteens_matched": 0, "declarations_unchanged": 0}
    with transaction.atomic():
        campaign, _created = Campaign.objects.get_or_create(
            year=year,
            defaults={
                "declaration_start": datetime.date(year + 1, 1, 1),
                "declaration_end": datetime.date(year + 1, 6, 30),
            },
        )
        CampaignPublication.objects.get_or_create(
            campaign=campaign, defaults={"note": _("Données nationales de ma cantine (%(file)s)") % {"file": filename}}
        )
        by_national = {c.national_id: c for c in Canteen.objects.filter(national_id__isnull=False)}
        wanted_sirets = {(row.get("canteen_siret") or "").strip() for row in rows}
        by_siret = {c.siret: c for c in Canteen.objects.filter(siret__in=wanted_sirets)}
        loaded = set(
            Teledeclaration.objects.filter(year=year, snapshot__source=HISTORY_SOURCE).values_list(
                "snapshot__national__id", flat=True
            )
        )
        declared = set(Teledeclaration.objects.submitted().filter(year=year).values_list("canteen_id", flat=True))
        taken_ids = set(Canteen.objects.values_list("pk", flat=True))
        territories = set(Department.objects.values_list("code", flat=True))
        new_canteens, new_declarations = [], []
        for line, row in enumerate(rows, start=2):
            national_id = _int(row.get("canteen_id"))
            if str(row.get("id")) in loaded:
                matched["declarations_unchanged"] += 1
                continue
            outside = (row.get("canteen_city_insee_code") or "").strip() or (row.get("canteen_department") or "")
            if message := not_covered_message(outside.strip()):
                report.refused.append({"row": line, "id": row.get("id"), "message": str(message)})
                continue
            fields = _canteen_fields(row)
            siret = (row.get("canteen_siret") or "").strip()
            canteen = by_national.get(national_id)
            if canteen is None and SIRET_RE.match(siret):
                candidate = by_siret.get(siret)
                if candidate is not None and candidate.national_id in (None, national_id):
                    canteen = candidate
            if canteen is not None:
                matched["canteens_matched"] += 1
                changed = False
                if canteen.national_id is None and national_id is not None and national_id not in by_national:
                    canteen.national_id = national_id
                    by_national[national_id] = canteen
                    changed = True
                if _later(row, canteen):  # a later campaign updates the canteens it names
                    for name, value in fields.items():
                        if value not in ("", [], None) and getattr(canteen, name) != value:
                            setattr(canteen, name, value)
                            changed = True
                if changed:
                    canteen.save()
            else:
                identity = {}
                if SIRET_RE.match(siret) and siret not in by_siret and is_valid_siret(siret):
                    identity["siret"] = siret
                elif len(siret) >= 9 and siret[:9].isdigit():
                    identity["siren_unite_legale"] = siret[:9]  # a SIRET used twice nationally, or invalid here
                else:
                    report.refused.append({"row": line, "id": row.get("id"), "message": str(_("Ni SIRET ni SIREN."))})
                    continue
                canteen = Canteen(
                    **fields,
                    **identity,
                    national_id=national_id if national_id not in by_national else None,
                    daily_meal_count=0,
                    yearly_meal_count=0,
                )
                if national_id and national_id not in taken_ids:
                    canteen.pk = national_id  # the national id, when free: the datasets stay joinable
                    taken_ids.add(canteen.pk)
                canteen.department = department_of_commune(canteen.city_insee_code) or ""
                canteen.territory_department_id = canteen.department if canteen.department in territories else None
                new_canteens.append(canteen)
                counts["canteens"] += 1
                if canteen.national_id:
                    by_national[canteen.national_id] = canteen
                if canteen.siret:
                    by_siret[canteen.siret] = canteen
            key = canteen.pk if canteen.pk is not None else ("new", id(canteen))
            if key in declared:
                report.refused.append(
                    {
                        "row": line,
                        "id": row.get("id"),
                        "message": str(_("La cantine a déjà une déclaration pour cette année : gardée.")),
                    }
                )
                continue
            declared.add(key)
            declaration = Teledeclaration(
                canteen=canteen,
                year=year,
                version=1,
                snapshot=_snapshot(row, fields),
                submitted_at=_parse_datetime(row.get("creation_date")),
            )
            national_declaration = _int(row.get("id"))
            if national_declaration:
                declaration.pk = national_declaration
            new_declarations.append(declaration)
        Canteen.objects.bulk_create(new_canteens, batch_size=1000)  # one INSERT per 1,000 (no save signals)
        for declaration in new_declarations:
            declaration.canteen_id = declaration.canteen.pk
        rebuild_canteens_of([canteen.pk for canteen in new_canteens])
        taken = set(
            Teledeclaration.objects.filter(pk__in=[d.pk for d in new_declarations if d.pk]).values_list("pk", flat=True)
        )
        for declaration in new_declarations:
            if declaration.pk in taken:
                declaration.pk = None
        Teledeclaration.objects.bulk_create(new_declarations, batch_size=1000)
        counts["declarations"] = len(new_declarations)
        _reset_sequences()
        rebuild_declarations_of([d.pk for d in new_declarations])
        if dry_run:
            transaction.set_rollback(True)
    report.created = counts
    report.updated = matched
    report.seconds = time.monotonic() - started
    return report


def _later(row, canteen) -> bool:
    stamp = _parse_datetime(row.get("creation_date"))
    return canteen.updated_at is None or stamp >= canteen.updated_at


def _int(text):
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


def _error(message, row=None):
    return {"row": row, "column": None, "header": None, "field": None, "value": None, "message": str(message)}


def _reset_sequences():
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), [Canteen, Teledeclaration])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
