"""The stored figures of canteens and declarations: what the rules computed, kept on indexed rows.

The rules engine (`egalim.rules.evaluate`) computes; this module stores its outputs:

- `refresh_canteen(canteen)`: the canteen's place and kind, its last published year and that year's rates (unknown
  when the rules cannot evaluate it), and whether it is public and listed (`Canteen.objects.public()` /
  `.listed()`, row by row); called on every save of a canteen or a diagnostic (signals, `territories.signals`).
- `refresh_declaration(teledeclaration)`: the amounts and results of a submitted declaration's snapshot
  (rows of cancelled declarations are removed).
- `rebuild()`: everything again, in batches (`manage.py refresh_territory_stats`).

Pooled rates (`pooled`) are sums of amounts over sums of totals, never an average of ratios.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from canteens.choices import SECTOR_CATEGORIES, SECTORS, LocationPrecision
from canteens.geo import commune_centre
from egalim.formatting import truncate
from egalim.rules import MET, PURCHASE_FIELDS, Purchases, RuleInputError, percent

from .models import CanteenStats, DeclarationStats, Department

CATEGORY_BITS = {code: 1 << index for index, code in enumerate(SECTOR_CATEGORIES)}
UNKNOWN_SORT = Decimal(-1)


def sector_mask(sectors) -> int:
    mask = 0
    for code in sectors or []:
        if code in SECTORS:
            mask |= CATEGORY_BITS[SECTORS[code][0]]
    return mask


def categories_of(mask: int) -> list[str]:
    return [code for code, bit in CATEGORY_BITS.items() if mask & bit]


def masks_with(category) -> list[int]:
    """Every mask value (7 categories: 128 values) that contains `category`: an IN list works on every backend,
    also inside an aggregate's FILTER, where bitwise expressions would need a lookup of their own."""
    bit = CATEGORY_BITS[category]
    return [mask for mask in range(1 << len(CATEGORY_BITS)) if mask & bit]


def with_category(queryset, category, field="sector_mask"):
    """Rows whose sectors include `category` (a SECTOR_CATEGORIES code)."""
    return queryset.filter(**{f"{field}__in": masks_with(category)})


def epci_lookup(code) -> dict:
    """The one definition of an EPCI's rows (CanteenStats or DeclarationStats): the canteen's EPCI, which follows
    its commune (territories/epci.py, set on every save). The registry, the map, the dashboards and the open-data
    files all filter with it, so that they count the same canteens."""
    return {"canteen__epci": code}


def in_territory(queryset, region=None, department=None, epci=None, commune=None, sector=None):
    """CanteenStats or DeclarationStats rows of a region, department, EPCI (SIREN), commune (INSEE code) and sector
    category; an empty value filters nothing. The registry and the open-data files filter with it."""
    if region:
        queryset = queryset.filter(region_id=region)
    if department:
        queryset = queryset.filter(department_id=department)
    if epci:
        queryset = queryset.filter(**epci_lookup(epci))
    if commune:
        queryset = queryset.filter(commune=commune.upper())
    if sector:
        queryset = with_category(queryset, sector)
    return queryset


def _rate(value):
    return None if value is None else truncate(value, 2)


_REGION_OF = {}


def regions_by_department() -> dict:
    """department code → region code (None for 975, 977, 978); cached, it is reference data."""
    if not _REGION_OF:
        _REGION_OF.update(Department.objects.values_list("code", "region_id"))
    return _REGION_OF


def region_of(department_code):
    return regions_by_department().get(department_code) if department_code else None


def canteen_values(canteen, diagnostic=None) -> dict:
    """The CanteenStats columns of `canteen`, `diagnostic` being its last published one (or None)."""
    latitude, longitude, precision = canteen.latitude, canteen.longitude, canteen.location_precision
    if latitude is None:  # rows written without save() (bulk imports): the commune's shipped centre
        centre = commune_centre(canteen.city_insee_code)
        if centre is not None:
            latitude, longitude, precision = centre.latitude, centre.longitude, centre.precision
    values = {
        "name": canteen.name[:255],
        "city": canteen.city[:255],
        "commune": (canteen.city_insee_code or "")[:5],
        "latitude": latitude,
        "longitude": longitude,
        "approximate": precision == LocationPrecision.APPROXIMATE,
        "department_id": canteen.department or None,
        "region_id": region_of(canteen.department),
        "sector_mask": sector_mask(canteen.sectors),
        "management_type": canteen.management_type,
        "production_type": canteen.production_type,
        "daily_meal_count": canteen.daily_meal_count or 0,
        "hidden": canteen.hidden_from_public,  # Canteen.objects.public(), row by row
        "published_year": None,
        "bio_rate": None,
        "egalim_rate": None,
        "meat_fish_rate": None,
        "objectives_met": None,
    }
    if diagnostic is not None:
        values["published_year"] = diagnostic.year
        try:
            evaluation = diagnostic.evaluate(canteen)
        except RuleInputError:  # e.g. a commune without a known department: listed all the same, rates unknown
            evaluation = None
        if evaluation is not None:
            values.update(
                bio_rate=_rate(evaluation.rates["bio"]),
                egalim_rate=_rate(evaluation.rates["egalim"]),
                meat_fish_rate=_rate(evaluation.rates["meat_fish_egalim"]),
                objectives_met=evaluation.measures["quality"].status == MET,
            )
    # Canteen.objects.listed(), row by row: public, and a published year (whether or not the rules can evaluate it)
    values["listed"] = values["published_year"] is not None and not values["hidden"]
    values["bio_sort"] = UNKNOWN_SORT if values["bio_rate"] is None else values["bio_rate"]
    values["egalim_sort"] = UNKNOWN_SORT if values["egalim_rate"] is None else values["egalim_rate"]
    return values


def last_published(canteen_ids) -> dict:
    """canteen id → its last published diagnostic (the year and rates its row stores), for canteens that have one.
    One plain query: callers pass one canteen (each save) or a batch of at most a few thousand (bulk rebuilds);
    a server-side cursor would cost three round trips on every save."""
    from canteens.models import YearlyDiagnostic

    published = {}
    queryset = YearlyDiagnostic.objects.filter(is_published=True, canteen_id__in=canteen_ids)
    for diagnostic in queryset.order_by("canteen_id", "-year"):
        published.setdefault(diagnostic.canteen_id, diagnostic)
    return published


def refresh_canteen(canteen):
    diagnostic = last_published([canteen.pk]).get(canteen.pk)
    CanteenStats.objects.update_or_create(canteen_id=canteen.pk, defaults=canteen_values(canteen, diagnostic))


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def declaration_values(declaration) -> dict:
    """DeclarationStats columns from a declaration's snapshot (the rules' results stored at submission)."""
    snapshot = declaration.snapshot or {}
    canteen = snapshot.get("canteen") or {}
    purchases = (snapshot.get("inputs") or {}).get("purchases") or {}
    results = snapshot.get("results") or {}
    rates = results.get("rates") or {}
    measures = results.get("measures") or {}
    amounts = Purchases(**{name: _decimal(purchases.get(name)) for name in PURCHASE_FIELDS})
    department = canteen.get("department") or None
    if department not in regions_by_department():
        department = None  # a code unknown to the reference data
    quality = (measures.get("quality") or {}).get("status", "")
    return {
        "canteen_id": declaration.canteen_id,
        "year": declaration.year,
        "department_id": department,
        "region_id": region_of(department),
        "sector_mask": sector_mask(canteen.get("sectors")),
        "total": amounts.total,
        "bio": amounts.bio,
        "egalim": amounts.egalim,
        "meat_fish_total": amounts.meat_fish_total,
        "meat_fish_egalim": amounts.meat_fish_egalim,
        "bio_rate": _decimal(rates.get("bio")),
        "egalim_rate": _decimal(rates.get("egalim")),
        "meat_fish_rate": _decimal(rates.get("meat_fish_egalim")),
        "quality_status": quality,
        "objectives_met": quality == MET,
        "measures_met": sum(1 for measure in measures.values() if measure.get("status") == MET),
        "submitted_at": declaration.submitted_at,
    }


def refresh_declaration(declaration):
    from canteens.models import Teledeclaration

    if declaration.central_declaration_id is not None:
        # A satellite's declaration made by its central kitchen repeats the central kitchen's amounts: the
        # pooled sums count them once, on the central kitchen's row.
        DeclarationStats.objects.filter(canteen_id=declaration.canteen_id, year=declaration.year).delete()
    elif declaration.status == Teledeclaration.Status.SUBMITTED:
        with transaction.atomic():
            DeclarationStats.objects.filter(canteen_id=declaration.canteen_id, year=declaration.year).exclude(
                teledeclaration_id=declaration.pk
            ).delete()
            DeclarationStats.objects.update_or_create(
                teledeclaration_id=declaration.pk, defaults=declaration_values(declaration)
            )
    else:
        DeclarationStats.objects.filter(teledeclaration_id=declaration.pk).delete()


def rebuild(batch_size=2000, log=None):
    """Recompute every row (after a bulk import, a restore, or to check the signals kept up)."""
    from canteens.models import Canteen, Teledeclaration

    _REGION_OF.clear()
    count = 0
    ids = list(Canteen.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        published = last_published(chunk)
        rows = []
        for canteen in Canteen.objects.filter(pk__in=chunk):
            rows.append(CanteenStats(canteen_id=canteen.pk, **canteen_values(canteen, published.get(canteen.pk))))
        with transaction.atomic():
            CanteenStats.objects.filter(canteen_id__in=chunk).delete()
            CanteenStats.objects.bulk_create(rows)
        count += len(rows)
        if log:
            log(f"{count} cantines")
    CanteenStats.objects.exclude(canteen_id__in=Canteen.objects.values("pk")).delete()
    with transaction.atomic():
        DeclarationStats.objects.all().delete()
        rows = []
        for declaration in (
            Teledeclaration.objects.submitted().filter(central_declaration=None).iterator(chunk_size=batch_size)
        ):
            rows.append(DeclarationStats(teledeclaration_id=declaration.pk, **declaration_values(declaration)))
            if len(rows) >= batch_size:
                DeclarationStats.objects.bulk_create(rows)
                rows = []
        DeclarationStats.objects.bulk_create(rows)
    return count


# --- pooled figures ------------------------------------------------------------------------------------------------


def _aggregates(prefix="", condition=None):
    """Sums and counts over declarations (optionally restricted by `condition`), named with `prefix`."""

    def f(expression_filter=None):
        if condition is None:
            return expression_filter
        return condition if expression_filter is None else condition & expression_filter

    bio_known = Q(total__gt=0, bio__isnull=False)
    egalim_known = Q(total__gt=0, egalim__isnull=False)
    meat_known = Q(meat_fish_total__gt=0, meat_fish_egalim__isnull=False)
    return {
        f"{prefix}declarations": Count("pk", filter=f()),
        f"{prefix}met": Count("pk", filter=f(Q(objectives_met=True))),
        f"{prefix}bio": Sum("bio", filter=f(bio_known)),
        f"{prefix}bio_total": Sum("total", filter=f(bio_known)),
        f"{prefix}egalim": Sum("egalim", filter=f(egalim_known)),
        f"{prefix}egalim_total": Sum("total", filter=f(egalim_known)),
        f"{prefix}meat_fish": Sum("meat_fish_egalim", filter=f(meat_known)),
        f"{prefix}meat_fish_total": Sum("meat_fish_total", filter=f(meat_known)),
    }


def _figures(row, prefix=""):
    def ratio(part, whole):
        part, whole = row.get(f"{prefix}{part}"), row.get(f"{prefix}{whole}")
        if part is None or not whole:
            return None
        return percent(Decimal(part), Decimal(whole))

    declarations = row.get(f"{prefix}declarations") or 0
    met = row.get(f"{prefix}met") or 0
    return {
        "declarations": declarations,
        "met": met,
        "met_share": percent(Decimal(met), Decimal(declarations)) if declarations else None,
        "bio": ratio("bio", "bio_total"),
        "egalim": ratio("egalim", "egalim_total"),
        "meat_fish_egalim": ratio("meat_fish", "meat_fish_total"),
    }


def _add(total: dict, row: dict):
    for key, value in row.items():
        if key == "sector_mask" or value is None:
            continue
        total[key] = total.get(key, 0) + value


def pooled(queryset, by_category=False) -> dict:
    """Pooled figures of a DeclarationStats queryset: declarations, how many meet their objectives (and the
    share), pooled % bio, % EGAlim and % EGAlim of meat and fish. With `by_category`, also one entry per sector
    category (a declaration with sectors in two categories counts in both).

    One query grouped by sector mask (at most 128 rows of sums); the categories and the whole are sums of those
    groups, so each pool is still a sum of values over a sum of totals."""
    prefix = "agg_"  # an aggregate may not share a field's name
    rows = queryset.values("sector_mask").annotate(**_aggregates(prefix)).order_by()
    whole, categories = {}, {code: {} for code in CATEGORY_BITS}
    for row in rows:
        _add(whole, row)
        if by_category:
            for code, bit in CATEGORY_BITS.items():
                if row["sector_mask"] & bit:
                    _add(categories[code], row)
    result = _figures(whole, prefix)
    if by_category:
        result["categories"] = {code: _figures(categories[code], prefix) for code in CATEGORY_BITS}
    return result


def canteen_counts(queryset, by_category=False) -> dict:
    """Registered canteens of a CanteenStats queryset (all, listed, and per sector category), in one query."""
    rows = (
        queryset.values("sector_mask").annotate(n=Count("pk"), n_listed=Count("pk", filter=Q(listed=True))).order_by()
    )
    counts = {"canteens": 0, "listed_canteens": 0}
    if by_category:
        counts.update(dict.fromkeys(CATEGORY_BITS, 0))
    for row in rows:
        counts["canteens"] += row["n"]
        counts["listed_canteens"] += row["n_listed"]
        if by_category:
            for code, bit in CATEGORY_BITS.items():
                if row["sector_mask"] & bit:
                    counts[code] += row["n"]
    return counts


def rebuild_declarations_of(declaration_ids, batch_size=2000):
    """DeclarationStats of declarations written in bulk (bulk_create sends no signal): the national history."""
    from canteens.models import Teledeclaration

    for start in range(0, len(declaration_ids), batch_size):
        chunk = declaration_ids[start : start + batch_size]
        rows = [
            DeclarationStats(teledeclaration_id=declaration.pk, **declaration_values(declaration))
            for declaration in Teledeclaration.objects.submitted().filter(pk__in=chunk)
        ]
        DeclarationStats.objects.filter(teledeclaration_id__in=chunk).delete()
        DeclarationStats.objects.bulk_create(rows, batch_size=batch_size)


def rebuild_canteens_of(canteen_ids, batch_size=2000):
    """CanteenStats of canteens written in bulk (no save signal), e.g. by the national history loader; also of
    canteens updated by the registry loader, which keep their published diagnostics (and so their listing)."""
    from canteens.models import Canteen

    for start in range(0, len(canteen_ids), batch_size):
        chunk = canteen_ids[start : start + batch_size]
        published = last_published(chunk)
        rows = [
            CanteenStats(canteen_id=c.pk, **canteen_values(c, published.get(c.pk)))
            for c in Canteen.objects.filter(pk__in=chunk)
        ]
        CanteenStats.objects.filter(canteen_id__in=chunk).delete()
        CanteenStats.objects.bulk_create(rows, batch_size=batch_size)
