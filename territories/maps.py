"""The map of listed canteens: its filters, the GeoJSON of the markers (cached) and the CSV of the same view.

One filter form (`MapFilterForm`, English parameter names; the registry's French names are still accepted) serves
the map page's list (/cantines/carte/), the GeoJSON endpoint (GET /api/v1/canteens/geo/), the downloads of the
current view and the territory maps (dashboards, widgets). Every filter is a column of `CanteenStats` (one row per
canteen): the national GeoJSON of 100,000 canteens is one query and a string join, built once per change of the
data and per filter set, then served from the cache (raw and gzip) with an ETag.

Only public fields leave: name, commune, department, sector categories, last published year and rates, whether
the quality objectives were met and whether the canteen declared in the last published campaign. Only listed rows
(a published year, not an armed forces canteen) are ever read.
"""

import gzip
import hashlib
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring

from django import forms
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from canteens.choices import SECTOR_CATEGORIES, Management, Production

from .models import CampaignPublication, CanteenStats, DeclarationStats
from .params import english_names
from .registry import department_choices, region_choices
from .stats import categories_of, epci_lookup, masks_with

YES_NO = [("", _("Toutes")), ("yes", _("Oui")), ("no", _("Non"))]
CACHE_SECONDS = 24 * 3600


@lru_cache(maxsize=1)
def _communes_by_epci() -> dict:
    from . import epci  # the data standards' commune → EPCI reference (territories/data/communes_epci.csv)

    communes = defaultdict(list)
    for commune in epci._table():
        code, _name = epci.epci_of(commune)
        if code:
            communes[code].append(commune)
    return dict(communes)


def epci_communes(code) -> list[str] | None:
    """The INSEE codes of the communes of EPCI `code` (SIREN), or None when the EPCI is unknown (the reference
    data: which EPCIs exist, their department; the canteens of an EPCI are `stats.epci_lookup`)."""
    return _communes_by_epci().get(code)


@lru_cache(maxsize=1)
def territory_choices():
    """Regions and departments (reference data loaded by a migration): read once per process."""
    return region_choices(), department_choices()


class MapFilterForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(label=_("Nom ou commune"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.RegexField(
        label=_("EPCI (SIREN)"),
        regex=r"^\d{9}$",
        required=False,
        error_messages={"invalid": _("Un EPCI se désigne par son SIREN de 9 chiffres.")},
    )
    commune = forms.RegexField(
        label=_("Commune (code INSEE)"),
        regex=r"^(\d{5}|2[ABab]\d{3})$",
        required=False,
        error_messages={"invalid": _("Un code INSEE de commune a 5 caractères, par exemple 35238.")},
    )
    communes = forms.RegexField(
        label=_("Communes (codes INSEE séparés par des virgules)"),
        regex=r"^((\d{5}|2[ABab]\d{3}),){0,99}(\d{5}|2[ABab]\d{3})$",
        required=False,
        error_messages={"invalid": _("Des codes INSEE de commune séparés par des virgules, 100 au plus.")},
    )
    sector = forms.ChoiceField(
        label=_("Catégorie de secteur"), required=False, choices=[("", _("Toutes"))] + list(SECTOR_CATEGORIES.items())
    )
    management = forms.ChoiceField(
        label=_("Mode de gestion"), required=False, choices=[("", _("Tous"))] + list(Management.choices)
    )
    production = forms.ChoiceField(
        label=_("Type de production"), required=False, choices=[("", _("Tous"))] + list(Production.choices)
    )
    declared = forms.ChoiceField(label=_("Télédéclarée (dernière campagne publiée)"), required=False, choices=YES_NO)
    objectives = forms.ChoiceField(label=_("Objectifs d'achats EGAlim atteints"), required=False, choices=YES_NO)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = normalise(data)
        super().__init__(data, *args, **kwargs)
        regions, departments = territory_choices()
        self.fields["region"].choices = [("", _("Toutes"))] + regions
        self.fields["department"].choices = [("", _("Tous"))] + departments

    def clean_commune(self):
        return self.cleaned_data["commune"].upper()

    def clean_communes(self):
        return self.cleaned_data["communes"].upper()

    def clean_epci(self):
        code = self.cleaned_data["epci"]
        if code and epci_communes(code) is None:
            raise forms.ValidationError(_("EPCI inconnu : indiquez le SIREN d'un EPCI à fiscalité propre."))
        return code

    def filters(self) -> dict:
        """The valid, non-empty filters (invalid ones are left out, and shown as errors on a page)."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name) not in (None, "")
        }


def normalise(data) -> dict:
    """A plain dict of the query, the French names of the first links turned into English ones."""
    values = english_names(data)
    if values.get("objectives") in ("on", "true", "1"):  # the registry's checkbox
        values["objectives"] = "yes"
    return values


def declared_year():
    """The last campaign whose results are published (the map's « declared » status), or None."""
    return CampaignPublication.objects.order_by("-campaign__year").values_list("campaign__year", flat=True).first()


def filtered(filters, year=None) -> object:
    """Listed CanteenStats rows matching `filters` (MapFilterForm.filters())."""
    queryset = CanteenStats.objects.filter(listed=True)
    if filters.get("q"):
        queryset = queryset.filter(Q(name__icontains=filters["q"]) | Q(city__icontains=filters["q"]))
    if filters.get("region"):
        queryset = queryset.filter(region_id=filters["region"])
    if filters.get("department"):
        queryset = queryset.filter(department_id=filters["department"])
    if filters.get("commune"):
        queryset = queryset.filter(commune=filters["commune"])
    if filters.get("epci"):
        queryset = queryset.filter(**epci_lookup(filters["epci"]))
    if filters.get("communes"):  # a widget's list of communes
        queryset = queryset.filter(commune__in=filters["communes"].split(","))
    if filters.get("sector"):
        queryset = queryset.filter(sector_mask__in=masks_with(filters["sector"]))
    if filters.get("management"):
        queryset = queryset.filter(management_type=filters["management"])
    if filters.get("production"):
        queryset = queryset.filter(production_type=filters["production"])
    if filters.get("objectives") == "yes":
        queryset = queryset.filter(objectives_met=True)
    elif filters.get("objectives") == "no":  # known not met: a year the rules cannot evaluate is neither
        queryset = queryset.filter(objectives_met=False)
    if filters.get("declared"):
        declared = DeclarationStats.objects.filter(canteen_id=OuterRef("canteen_id"), year=year or 0)
        queryset = (
            queryset.filter(Exists(declared)) if filters["declared"] == "yes" else queryset.exclude(Exists(declared))
        )
    return queryset


# --- GeoJSON --------------------------------------------------------------------------------------------------

_CATEGORIES_JSON = {mask: "[" + ",".join(f'"{c}"' for c in categories_of(mask)) + "]" for mask in range(128)}
COLUMNS = (
    "canteen_id",
    "longitude",
    "latitude",
    "name",
    "city",
    "commune",
    "department_id",
    "sector_mask",
    "published_year",
    "bio_rate",
    "egalim_rate",
    "objectives_met",
    "approximate",
)


def _number(value):
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return repr(value)


def _bool(value):
    return "null" if value is None else ("true" if value else "false")


def features(filters, year):
    """The GeoJSON Feature strings of the matching canteens that have a position, in name order."""
    queryset = filtered(filters, year).filter(latitude__isnull=False)
    declared = set()
    if year is not None:
        declared = set(
            DeclarationStats.objects.filter(year=year, canteen_id__in=queryset.values("canteen_id")).values_list(
                "canteen_id", flat=True
            )
        )
    rows = queryset.order_by("name", "canteen_id").values_list(*COLUMNS)
    categories = _CATEGORIES_JSON
    for pk, lon, lat, name, city, commune, department, mask, year_, bio, egalim, met, approximate in rows.iterator(
        chunk_size=5000
    ):
        yield (
            f'{{"type":"Feature","id":{pk},"geometry":{{"type":"Point","coordinates":[{lon:.5f},{lat:.5f}]}},'
            f'"properties":{{"name":{encode_basestring(name)},"city":{encode_basestring(city)},'
            f'"commune":"{commune}","department":"{department or ""}","sectors":{categories.get(mask, "[]")},'
            f'"year":{_number(year_)},"bio":{_number(bio)},"egalim":{_number(egalim)},"objectives_met":{_bool(met)},'
            f'"declared":{_bool(pk in declared)},"approximate":{_bool(approximate)}}}}}'
        )


def data_version() -> str:
    """Changes with any canteen's stored row, any declaration or campaign publication (a deletion changes a
    count). Exact across processes without a shared cache; the count of 100,000 rows is an index-only scan."""
    stats = CanteenStats.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    declarations = DeclarationStats.objects.aggregate(last=Max("pk"), count=Count("pk"))
    publication = CampaignPublication.objects.aggregate(year=Max("campaign__year"), count=Count("pk"))
    return "|".join(str(value) for part in (stats, declarations, publication) for value in part.values())


class GeoJSON:
    """A built FeatureCollection, kept compressed (the national one: about 7 times smaller), its ETag and number of
    features; `body` decompresses it for the rare client that does not accept gzip."""

    def __init__(self, body: bytes, count: int):
        self.gzip = gzip.compress(body, compresslevel=6, mtime=0)
        self.etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        self.count = count

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzip)


def cache_key(filters, version) -> str:
    normalised = "&".join(f"{key}={filters[key]}" for key in sorted(filters))
    return "map:geojson:" + hashlib.sha256(f"{version}#{normalised}".encode()).hexdigest()


def geojson(filters) -> GeoJSON:
    """The FeatureCollection of `filters`, from the cache when the data has not changed since it was built."""
    key = cache_key(filters, data_version())
    built = cache.get(key)
    if built is None:
        parts = list(features(filters, declared_year()))
        body = ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()
        built = GeoJSON(body, len(parts))
        cache.set(key, built, CACHE_SECONDS)
    return built


def bounds(filters):
    """[[south, west], [north, east]] of the matching canteens, or None (for the map's first view)."""
    from django.db.models import Min

    box = (
        filtered(filters)
        .filter(latitude__isnull=False)
        .aggregate(s=Min("latitude"), w=Min("longitude"), n=Max("latitude"), e=Max("longitude"))
    )
    if box["s"] is None:
        return None
    return [[box["s"], box["w"]], [box["n"], box["e"]]]


def territory_bounds(territory):
    """The bounds of a region's, department's or EPCI's canteens (any, listed or not: only their extent is shown)."""
    from django.db.models import Min

    from .dashboard import territory_filter

    box = CanteenStats.objects.filter(**territory_filter(territory), latitude__isnull=False).aggregate(
        s=Min("latitude"), w=Min("longitude"), n=Max("latitude"), e=Max("longitude")
    )
    return None if box["s"] is None else [[box["s"], box["w"]], [box["n"], box["e"]]]


# --- CSV of the current view ----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "nom",
    "commune",
    "code_insee_commune",
    "departement",
    "latitude",
    "longitude",
    "position_approximative",
    "secteurs",
    "annee_publiee",
    "part_bio",
    "part_egalim",
    "objectifs_atteints",
    "teledeclaree",
]


def csv_rows(filters):
    """Rows (lists of text) of the matching canteens, for the CSV download of the map's view."""
    year = declared_year()
    queryset = filtered(filters, year)
    declared = set()
    if year is not None:
        declared = set(
            DeclarationStats.objects.filter(year=year, canteen_id__in=queryset.values("canteen_id")).values_list(
                "canteen_id", flat=True
            )
        )
    for pk, lon, lat, name, city, commune, department, mask, year_, bio, egalim, met, approximate in (
        queryset.order_by("name", "canteen_id").values_list(*COLUMNS).iterator(chunk_size=5000)
    ):
        yield [
            str(pk),
            name,
            city,
            commune,
            department or "",
            "" if lat is None else f"{lat:.5f}",
            "" if lon is None else f"{lon:.5f}",
            "true" if approximate else "false",
            " ".join(categories_of(mask)),
            "" if year_ is None else str(year_),
            "" if bio is None else format(bio, "f"),
            "" if egalim is None else format(egalim, "f"),
            "" if met is None else ("true" if met else "false"),
            "true" if pk in declared else "false",
        ]


def filename(filters, extension):
    """cantines-carte[-department-35…].csv: the filters in the name, as the open data's downloads."""
    parts = ["cantines-carte"] + [f"{key}-{filters[key]}" for key in sorted(filters) if key != "q"]
    return "-".join(str(part) for part in parts)[:150] + "." + extension
