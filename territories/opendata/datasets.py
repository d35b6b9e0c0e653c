"""The open-data datasets (registry, campaign results): their rows from the columns' sources, their filters."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from canteens.choices import SECTOR_CATEGORIES
from canteens.models import Canteen

from ..models import CampaignPublication, CanteenStats, DeclarationStats, Department, Region
from ..params import english_names
from ..stats import in_territory
from .columns import DECLARATION_COLUMNS, REGISTRY_COLUMNS, SCHEMA_VERSION, Column, Context, From

# Rows fetched per round trip of the server-side cursor: 2,000 rows of 25 columns held ≈ 6 MiB more at the peak
# of an export process than 500 (issue 21, goal 3: peak < 150 MB), for no measurable gain in time.
CHUNK_SIZE = 500


def site_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _public_url_template(base):
    with translation.override("fr"):
        url = reverse("territories:canteen", args=[987654321, "slug-modele"])
    return base + url.replace("987654321", "{pk}").replace("slug-modele", "{slug}")


class Dataset:
    slug = ""
    title = ""
    description = ""
    columns: list[Column] = []

    def schema(self, request=None) -> dict:
        """The Table Schema: in French, with French URLs, whatever the request's language (one stable contract)."""
        with translation.override("fr"):
            return self._schema(site_url(request))

    def _schema(self, base) -> dict:
        return {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "name": self.slug,
            "title": str(self.title),
            "description": str(self.description),
            "version": SCHEMA_VERSION,
            "path": f"{base}{reverse('territories:schema', args=[self.slug])}",
            "homepage": f"{base}{reverse('territories:open_data')}",
            "missingValues": [""],
            "fields": [column.descriptor() for column in self.columns],
        }

    @property
    def names(self):
        return [column.name for column in self.columns]

    filter_names = ("region", "department", "epci", "commune", "sector")

    def applicable(self, filters) -> dict:
        return {key: value for key, value in filters.items() if key in self.filter_names}

    def queryset(self, filters):
        raise NotImplementedError

    ordering: tuple = ()

    @property
    def paths(self) -> list[str]:
        """The ORM paths the columns read, each once, in the columns' order: the query's `values_list`."""
        return list(dict.fromkeys(path for column in self.columns for path in column.paths))

    def rows(self, filters, request=None):
        """Typed rows (lists in the order of the columns), streamed from the database."""
        paths = self.paths
        build = self.row_builder({path: i for i, path in enumerate(paths)})
        context = Context(url=_public_url_template(site_url(request)), tz=timezone.get_current_timezone())
        values = self.queryset(filters).order_by(*self.ordering).values_list(*paths)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            yield build(row, context)

    def row_builder(self, index):
        """f(row, context) -> the typed row, from a `values_list` row whose path → position is `index`: what
        `[column.getter(index)(row, context) for column in self.columns]` gives, generated once as one list
        display (`row[3]` for a path, `f5(context, row[7], row[8])` for a computed column) instead of a call
        per cell. The source is built from the columns' positions only, never from data."""
        namespace = {}
        parts = []
        for position, column in enumerate(self.columns):
            if isinstance(column.source, From):
                namespace[f"f{position}"] = column.source.function
                values = "".join(f", row[{index[path]}]" for path in column.source.paths)
                parts.append(f"f{position}(context{values})")
            else:
                parts.append(f"row[{index[column.source]}]")
        return eval(f"lambda row, context: [{', '.join(parts)}]", namespace)  # noqa: S307 (positions only)

    def count(self, filters) -> int:
        return self.queryset(filters).count()


class RegistryDataset(Dataset):
    slug = "registre-cantines"
    title = _("Registre des cantines")
    description = _(
        "Les cantines inscrites sur ma cantine : identité, territoire, secteurs, mode de gestion et de production, "
        "nombre de couverts, et les taux d'achats de leur dernier bilan publié."
    )
    columns = REGISTRY_COLUMNS
    ordering = ("canteen_id",)

    def queryset(self, filters):
        return in_territory(
            CanteenStats.objects.filter(hidden=False),
            region=filters.get("region"),
            department=filters.get("department"),
            epci=filters.get("epci"),
            commune=filters.get("commune"),
            sector=filters.get("sector"),
        )


class DeclarationDataset(Dataset):
    slug = "resultats-campagnes"
    title = _("Résultats des campagnes de télédéclaration")
    description = _(
        "Une ligne par télédéclaration des campagnes dont les résultats sont publiés : la cantine, son territoire "
        "et les taux déclarés (parts en %, jamais de montants en euros), et les mesures atteintes."
    )
    columns = DECLARATION_COLUMNS
    filter_names = ("campaign", "region", "department", "epci", "sector")
    ordering = ("year", "canteen_id")

    def queryset(self, filters):
        queryset = DeclarationStats.objects.filter(year__in=published_years(), canteen__in=Canteen.objects.public())
        if filters.get("campaign"):
            queryset = queryset.filter(year=filters["campaign"])
        return in_territory(
            queryset,
            region=filters.get("region"),
            department=filters.get("department"),
            epci=filters.get("epci"),
            sector=filters.get("sector"),
        )


def published_years() -> list[int]:
    return list(CampaignPublication.objects.values_list("campaign__year", flat=True))


DATASETS = {dataset.slug: dataset for dataset in (RegistryDataset(), DeclarationDataset())}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- filters -------------------------------------------------------------------------------------------------------


class FilterForm(DsfrFormMixin, forms.Form):
    """Filters of the datasets (GET), English names; the French names of the first links (`departement`,
    `secteur`, `campagne`) are still accepted (territories/params.py). Unknown values make the form invalid (a 400
    for a download)."""

    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.RegexField(label=_("EPCI (SIREN)"), required=False, regex=r"^\d{9}$")
    commune = forms.RegexField(label=_("Commune (code INSEE)"), required=False, regex=r"^(\d{5}|2[ABab]\d{3})$")
    sector = forms.ChoiceField(
        label=_("Catégorie de secteur"),
        required=False,
        choices=[("", _("Toutes"))] + [(code, label) for code, label in SECTOR_CATEGORIES.items()],
    )
    campaign = forms.TypedChoiceField(label=_("Campagne"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else english_names(data), *args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes"))] + list(Region.objects.values_list("code", "name"))
        self.fields["department"].choices = [("", _("Tous"))] + [
            (code, f"{code} — {name}") for code, name in Department.objects.values_list("code", "name")
        ]
        self.fields["campaign"].choices = [("", _("Toutes les campagnes publiées"))] + [
            (year, str(year)) for year in sorted(published_years(), reverse=True)
        ]

    def filters(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


def filename(dataset, filters, extension):
    parts = [dataset.slug] + [f"{key}-{value}" for key, value in sorted(filters.items())]
    return "-".join(parts) + "." + extension
