"""Open-data datasets: columns (and their Table Schema), rows, filters and streamed writers.

Each dataset is described once, by its columns: the Table Schema published at /donnees/schemas/<slug>.json,
the CSV header, the JSON keys and the XLSX columns all come from that list, so they cannot drift apart.

Memory: rows come from `.values_list(...).iterator(chunk_size=2000)` (a server-side cursor on PostgreSQL) and
are written as they arrive. CSV and JSON are generators of small byte chunks (StreamingHttpResponse): memory
stays flat whatever the number of rows. XLSX cannot be produced in order into a socket (a ZIP with a central
directory); xlsxwriter's constant-memory mode spools the sheet to a temporary file on disk, then the finished
workbook (another temporary file) is sent with FileResponse: memory stays flat, disk use is about the file's size
twice.
"""

import csv
import datetime
import json
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from canteens.choices import SECTOR_CATEGORIES, SECTORS, EconomicModel, Management, Ministry, Production
from canteens.models import Canteen
from home.spreadsheets import neutralise

from .models import CampaignPublication, CanteenStats, DeclarationStats, Department, Region
from .stats import categories_of, masks_with

CHUNK_SIZE = 2000
SCHEMA_VERSION = "1.0.0"
LIST_SEPARATOR = "|"
DEPARTMENT_PATTERN = r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8])$"
COMMUNE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
RATE = {"minimum": 0, "maximum": 100}


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    description: str
    type: str = "string"
    constraints: dict = field(default_factory=dict)
    format: str | None = None
    example: str | None = None
    params: dict = field(default_factory=dict)  # values of the description's %(name)s

    # The schema is written in French whatever the page's language (a stable contract); the description is
    # marked for translation (gettext_noop) so that /en/donnees/ shows it in English (`translated_description`).
    @property
    def text(self) -> str:
        return self.description % self.params if self.params else self.description

    @property
    def translated_description(self) -> str:
        text = gettext(self.description)
        return text % self.params if self.params else text

    def descriptor(self) -> dict:
        data = {"name": self.name, "title": self.title, "description": self.text, "type": self.type}
        if self.format:
            data["format"] = self.format
        if self.example is not None:
            data["example"] = self.example
        if self.constraints:
            data["constraints"] = dict(self.constraints)
        return data


def _codes(choices):
    return [str(value) for value, _label in choices]


IDENTITY = [
    Column(
        "siret",
        "SIRET",
        gettext_noop(
            "SIRET de l'établissement (14 chiffres) ; vide pour un site identifié par le SIREN de son unité légale."
        ),
        constraints={"pattern": r"^\d{14}$"},
        example="21350238800019",
    ),
    Column(
        "siren_unite_legale",
        "SIREN de l'unité légale",
        gettext_noop("Pour un site sans SIRET propre : le SIREN (9 chiffres) de la structure dont il dépend."),
        constraints={"pattern": r"^\d{9}$"},
    ),
    Column(
        "nom", "Nom", gettext_noop("Nom de la cantine."), constraints={"required": True}, example="Restaurant scolaire"
    ),
    Column(
        "commune_code_insee",
        "Code INSEE de la commune",
        gettext_noop("Code officiel géographique de la commune."),
        constraints={"required": True, "pattern": COMMUNE_PATTERN},
        example="35238",
    ),
    Column("commune", "Commune", gettext_noop("Nom de la commune."), example="Rennes"),
    Column(
        "departement_code",
        "Code du département",
        gettext_noop("Code INSEE du département (975, 977 et 978 : collectivités d'outre-mer)."),
        constraints={"pattern": DEPARTMENT_PATTERN},
        example="35",
    ),
    Column("departement", "Département", gettext_noop("Nom du département."), example="Ille-et-Vilaine"),
    Column(
        "region_code",
        "Code de la région",
        gettext_noop("Code INSEE de la région ; vide pour Saint-Pierre-et-Miquelon, Saint-Barthélemy et Saint-Martin."),
        constraints={"pattern": r"^\d{2}$"},
        example="53",
    ),
    Column("region", "Région", gettext_noop("Nom de la région."), example="Bretagne"),
    Column(
        "secteurs",
        "Secteurs",
        gettext_noop("Codes des secteurs de la cantine (1 à 3), séparés par « | ». Codes : %(codes)s."),
        params={"codes": ", ".join(SECTORS)},
        example="school_primary|school_middle",
    ),
    Column(
        "categories_secteurs",
        "Catégories de secteurs",
        gettext_noop("Catégories des secteurs, séparées par « | ». Codes : %(codes)s."),
        params={"codes": ", ".join(SECTOR_CATEGORIES)},
        example="education",
    ),
    Column(
        "mode_gestion",
        "Mode de gestion",
        gettext_noop("direct : autogérée ; conceded : concédée à une société de restauration."),
        constraints={"enum": _codes(Management.choices)},
    ),
    Column(
        "type_production",
        "Type de production",
        gettext_noop(
            "on_site : cuisine sur place ; satellite ; central : cuisine centrale ; central_serving : cuisine centrale "
            "qui sert aussi sur place."
        ),
        constraints={"enum": _codes(Production.choices)},
    ),
]

REGISTRY_COLUMNS = IDENTITY + [
    Column(
        "modele_economique",
        "Modèle économique",
        gettext_noop("public ou private."),
        constraints={"enum": _codes(EconomicModel.choices)},
    ),
    Column(
        "ministere_tutelle",
        "Ministère de tutelle",
        gettext_noop("Pour un restaurant de l'État : le code de son ministère de tutelle."),
        constraints={"enum": _codes(Ministry.choices)},
    ),
    Column(
        "couverts_par_jour",
        "Couverts par jour",
        gettext_noop("Nombre moyen de repas servis par jour."),
        "integer",
        {"minimum": 0},
    ),
    Column(
        "couverts_par_an", "Couverts par an", gettext_noop("Nombre de repas servis par an."), "integer", {"minimum": 0}
    ),
    Column(
        "page_publique",
        "Page publique",
        gettext_noop("Adresse de la page publique de la cantine."),
        format="uri",
        constraints={"required": True},
    ),
    Column(
        "bilan_publie_annee",
        "Année du dernier bilan publié",
        gettext_noop("Année des données du dernier bilan que la cantine a publié ; vide si elle n'en a publié aucun."),
        "year",
    ),
    Column(
        "taux_bio",
        "Part de bio (%)",
        gettext_noop("Part des achats bio dans le dernier bilan publié, tronquée."),
        "number",
        RATE,
    ),
    Column(
        "taux_egalim",
        "Part EGAlim (%)",
        gettext_noop(
            "Part des achats durables et de qualité (EGAlim, bio compris) dans le dernier bilan publié, tronquée."
        ),
        "number",
        RATE,
    ),
    Column(
        "taux_viandes_poissons_egalim",
        "Part EGAlim des viandes et poissons (%)",
        gettext_noop("Part EGAlim des achats de viandes et poissons dans le dernier bilan publié, tronquée."),
        "number",
        RATE,
    ),
    Column(
        "objectifs_egalim_atteints",
        "Objectifs d'achats atteints",
        gettext_noop(
            "La mesure « qualité et durabilité des produits » est atteinte dans le dernier bilan publié (seuils "
            "EGAlim et bio du territoire et de l'année, et viandes et poissons à partir de 2024)."
        ),
        "boolean",
    ),
    Column(
        "date_inscription",
        "Date d'inscription",
        gettext_noop("Date d'inscription de la cantine sur ma cantine."),
        "date",
    ),
]

DECLARATION_COLUMNS = (
    [
        Column(
            "annee",
            "Année des données",
            gettext_noop("Année des achats déclarés (campagne de télédéclaration)."),
            "year",
            {"required": True},
        )
    ]
    + IDENTITY
    + [
        Column(
            "couverts_par_jour",
            "Couverts par jour",
            gettext_noop("Nombre moyen de repas servis par jour."),
            "integer",
            {"minimum": 0},
        ),
        Column("taux_bio", "Part de bio (%)", gettext_noop("Part des achats bio déclarés, tronquée."), "number", RATE),
        Column(
            "taux_egalim",
            "Part EGAlim (%)",
            gettext_noop("Part des achats durables et de qualité (EGAlim, bio compris) déclarés, tronquée."),
            "number",
            RATE,
        ),
        Column(
            "taux_viandes_poissons_egalim",
            "Part EGAlim des viandes et poissons (%)",
            gettext_noop("Part EGAlim des achats de viandes et poissons déclarés, tronquée."),
            "number",
            RATE,
        ),
        Column(
            "statut_qualite",
            "Mesure qualité et durabilité",
            gettext_noop("met : atteinte ; not_met : non atteinte ; incomplete : données incomplètes."),
            constraints={"enum": ["met", "not_met", "incomplete"]},
        ),
        Column(
            "objectifs_egalim_atteints",
            "Objectifs d'achats atteints",
            gettext_noop("La mesure « qualité et durabilité des produits » est atteinte."),
            "boolean",
            {"required": True},
        ),
        Column(
            "mesures_atteintes",
            "Mesures atteintes",
            gettext_noop("Nombre de mesures EGAlim atteintes sur cinq."),
            "integer",
            {"minimum": 0, "maximum": 5},
        ),
        Column(
            "date_teledeclaration", "Date de télédéclaration", gettext_noop("Date d'envoi de la déclaration."), "date"
        ),
    ]
)


def site_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _public_url_template(base):
    with translation.override("fr"):
        url = reverse("canteens:public", args=[987654321, "slug-modele"])
    return base + url.replace("987654321", "{pk}").replace("slug-modele", "{slug}")


def _join(values):
    return LIST_SEPARATOR.join(values or [])


def _slug(name):
    from canteens.models import Canteen

    return Canteen(name=name).slug


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

    filter_names = ("region", "departement", "epci", "commune", "secteur")

    def applicable(self, filters) -> dict:
        return {key: value for key, value in filters.items() if key in self.filter_names}

    def queryset(self, filters):
        raise NotImplementedError

    def rows(self, filters, request=None):
        """Typed rows (lists in the order of the columns), streamed from the database."""
        raise NotImplementedError

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
    FIELDS = (
        "canteen_id",
        "canteen__siret",
        "canteen__siren_unite_legale",
        "canteen__name",
        "canteen__city_insee_code",
        "canteen__city",
        "department_id",
        "department__name",
        "region_id",
        "region__name",
        "canteen__sectors",
        "sector_mask",
        "canteen__management_type",
        "canteen__production_type",
        "canteen__economic_model",
        "canteen__line_ministry",
        "canteen__daily_meal_count",
        "canteen__yearly_meal_count",
        "published_year",
        "bio_rate",
        "egalim_rate",
        "meat_fish_rate",
        "objectives_met",
        "canteen__created_at",
    )

    def queryset(self, filters):
        queryset = CanteenStats.objects.filter(hidden=False)
        if filters.get("region"):
            queryset = queryset.filter(region_id=filters["region"])
        if filters.get("departement"):
            queryset = queryset.filter(department_id=filters["departement"])
        if filters.get("epci"):
            queryset = queryset.filter(canteen__epci=filters["epci"])
        if filters.get("commune"):
            queryset = queryset.filter(commune=filters["commune"].upper())
        if filters.get("secteur"):
            queryset = queryset.filter(sector_mask__in=masks_with(filters["secteur"]))
        return queryset

    def rows(self, filters, request=None):
        url = _public_url_template(site_url(request))
        tz = timezone.get_current_timezone()
        values = self.queryset(filters).order_by("canteen_id").values_list(*self.FIELDS)
        for (
            pk,
            siret,
            siren,
            name,
            commune_code,
            commune,
            department,
            department_name,
            region,
            region_name,
            sectors,
            mask,
            management,
            production,
            economic_model,
            ministry,
            daily,
            yearly,
            year,
            bio,
            egalim,
            meat_fish,
            met,
            created,
        ) in values.iterator(chunk_size=CHUNK_SIZE):
            yield [
                siret,
                siren,
                name,
                commune_code,
                commune,
                department,
                department_name,
                region,
                region_name,
                _join(sectors),
                _join(categories_of(mask)),
                management,
                production,
                economic_model,
                ministry,
                daily,
                yearly,
                url.format(pk=pk, slug=_slug(name)),
                year,
                bio,
                egalim,
                meat_fish,
                met,
                created.astimezone(tz).date() if created else None,
            ]


class DeclarationDataset(Dataset):
    slug = "resultats-campagnes"
    title = _("Résultats des campagnes de télédéclaration")
    description = _(
        "Une ligne par télédéclaration des campagnes dont les résultats sont publiés : la cantine, son territoire "
        "et les taux déclarés (parts en %, jamais de montants en euros), et les mesures atteintes."
    )
    columns = DECLARATION_COLUMNS
    filter_names = ("campagne", "region", "departement", "epci", "secteur")
    FIELDS = (
        "year",
        "canteen__siret",
        "canteen__siren_unite_legale",
        "canteen__name",
        "canteen__city_insee_code",
        "canteen__city",
        "department_id",
        "department__name",
        "region_id",
        "region__name",
        "canteen__sectors",
        "sector_mask",
        "canteen__management_type",
        "canteen__production_type",
        "canteen__daily_meal_count",
        "bio_rate",
        "egalim_rate",
        "meat_fish_rate",
        "quality_status",
        "objectives_met",
        "measures_met",
        "submitted_at",
    )

    def queryset(self, filters):
        queryset = DeclarationStats.objects.filter(year__in=published_years(), canteen__in=Canteen.objects.public())
        if filters.get("campagne"):
            queryset = queryset.filter(year=filters["campagne"])
        if filters.get("region"):
            queryset = queryset.filter(region_id=filters["region"])
        if filters.get("departement"):
            queryset = queryset.filter(department_id=filters["departement"])
        if filters.get("epci"):
            queryset = queryset.filter(canteen__epci=filters["epci"])
        if filters.get("secteur"):
            queryset = queryset.filter(sector_mask__in=masks_with(filters["secteur"]))
        return queryset

    def rows(self, filters, request=None):
        tz = timezone.get_current_timezone()
        values = self.queryset(filters).order_by("year", "canteen_id").values_list(*self.FIELDS)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            row = list(row)
            row[10] = _join(row[10])
            row[11] = _join(categories_of(row[11]))
            row[18] = row[18] or None
            row[21] = row[21].astimezone(tz).date() if row[21] else None
            yield row


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
    """Filters of the datasets (GET). Unknown values make the form invalid (a 400 for a download)."""

    region = forms.ChoiceField(label=_("Région"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.RegexField(label=_("EPCI (SIREN)"), required=False, regex=r"^\d{9}$")
    commune = forms.RegexField(label=_("Commune (code INSEE)"), required=False, regex=r"^(\d{5}|2[ABab]\d{3})$")
    secteur = forms.ChoiceField(
        label=_("Catégorie de secteur"),
        required=False,
        choices=[("", _("Toutes"))] + [(code, label) for code, label in SECTOR_CATEGORIES.items()],
    )
    campagne = forms.TypedChoiceField(label=_("Campagne"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes"))] + list(Region.objects.values_list("code", "name"))
        self.fields["departement"].choices = [("", _("Tous"))] + [
            (code, f"{code} — {name}") for code, name in Department.objects.values_list("code", "name")
        ]
        self.fields["campagne"].choices = [("", _("Toutes les campagnes publiées"))] + [
            (year, str(year)) for year in sorted(published_years(), reverse=True)
        ]

    def filters(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


def filename(dataset, filters, extension):
    parts = [dataset.slug] + [f"{key}-{value}" for key, value in sorted(filters.items())]
    return "-".join(parts) + "." + extension


# --- writers -------------------------------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like object csv.writer writes one line into; `pop()` hands the line over."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def pop(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def iter_csv(dataset, rows, *, bom=False, batch=200):
    """CSV (UTF-8, comma, header = the schema's field names) as byte chunks of about `batch` lines."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(dataset.names)
    chunk = [("\ufeff" if bom else "") + line.pop()]
    for row in rows:
        writer.writerow([_text(neutralise(value)) for value in row])
        chunk.append(line.pop())
        if len(chunk) >= batch:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value == "":
        return None
    return value


def iter_json(dataset, rows, *, batch=200):
    """A JSON array of objects (keys = the schema's field names), streamed; missing values are null."""
    names = dataset.names
    first = True
    chunk = ["["]
    for row in rows:
        item = json.dumps(
            {name: _json_value(value) for name, value in zip(names, row, strict=True)}, ensure_ascii=False
        )
        chunk.append(("\n" if first else ",\n") + item)
        first = False
        if len(chunk) >= batch:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    chunk.append("\n]\n")
    yield "".join(chunk).encode("utf-8")


def write_xlsx(dataset, rows, target=None):
    """An XLSX workbook (one sheet, header = the field names) streamed by xlsxwriter in constant-memory mode
    (each row goes to a temporary file as it arrives, text inline, no shared-string table) into `target` (a
    binary file; a new temporary file by default), returned rewound.

    Every text cell goes through `neutralise` (home/spreadsheets.py) and is written with `write_string`:
    xlsxwriter's generic `write()` would turn a text starting with "=" into a formula and a URL into a link.
    Measured on 20,000 rows × 24 columns: 2.9 s of CPU against 4.9 s with openpyxl (docs/qualite.md)."""
    import xlsxwriter

    target = target or tempfile.TemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet(dataset.slug[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for column, name in enumerate(dataset.names):
        sheet.write_string(0, column, name, bold)
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(index, column, neutralise(value))
            elif isinstance(value, bool):
                write_boolean(index, column, value)
            elif isinstance(value, (int, float, Decimal)):
                write_number(index, column, float(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(index, column, value, date_format)
            else:
                write_string(index, column, neutralise(str(value)))
    workbook.close()
    target.seek(0)
    return target
