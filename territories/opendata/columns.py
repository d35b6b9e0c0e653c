"""The open-data columns, each declared once: its Table Schema field (name, title, description, type, format,
constraints) and its source — an ORM path of the dataset's statistics model, or a function of such paths
(`From`). The query (`values_list` of the paths), the CSV header, the JSON keys, the XLSX columns and the
published schema all come from these lists."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from canteens.choices import SECTOR_CATEGORIES, SECTORS, EconomicModel, Management, Ministry, Production

from ..stats import categories_of

SCHEMA_VERSION = "1.0.0"
LIST_SEPARATOR = "|"
DEPARTMENT_PATTERN = r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8])$"
COMMUNE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
RATE = {"minimum": 0, "maximum": 100}


@dataclass(frozen=True)
class From:
    """A value computed from ORM paths: `function(context, *values)` (context: the row's `Context`)."""

    paths: tuple
    function: Callable


@dataclass(frozen=True)
class Context:
    """What a computed value may need beyond its paths: the public page's URL template and the time zone."""

    url: str = ""
    tz: object = None


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
    source: str | From = ""  # ORM path, or From(paths, function)

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

    @property
    def paths(self) -> tuple:
        return self.source.paths if isinstance(self.source, From) else (self.source,)

    def getter(self, index):
        """f(row, context) reading this column's value from a `values_list` row whose path → position is `index`."""
        if isinstance(self.source, From):
            positions, function = [index[path] for path in self.source.paths], self.source.function
            return lambda row, context: function(context, *(row[position] for position in positions))
        position = index[self.source]
        return lambda row, context: row[position]


def join_list(context, values):
    return LIST_SEPARATOR.join(values or [])


def sector_categories(context, mask):
    return LIST_SEPARATOR.join(categories_of(mask) or [])


def public_page(context, pk, name):
    from canteens.models import Canteen

    return context.url.format(pk=pk, slug=Canteen.slug_of(name))


def local_date(context, moment):
    return moment.astimezone(context.tz).date() if moment else None


def blank_as_none(context, value):
    return value or None


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
        source="canteen__siret",
    ),
    Column(
        "siren_unite_legale",
        "SIREN de l'unité légale",
        gettext_noop("Pour un site sans SIRET propre : le SIREN (9 chiffres) de la structure dont il dépend."),
        constraints={"pattern": r"^\d{9}$"},
        source="canteen__siren_unite_legale",
    ),
    Column(
        "nom",
        "Nom",
        gettext_noop("Nom de la cantine."),
        constraints={"required": True},
        example="Restaurant scolaire",
        source="canteen__name",
    ),
    Column(
        "commune_code_insee",
        "Code INSEE de la commune",
        gettext_noop("Code officiel géographique de la commune."),
        constraints={"required": True, "pattern": COMMUNE_PATTERN},
        example="35238",
        source="canteen__city_insee_code",
    ),
    Column("commune", "Commune", gettext_noop("Nom de la commune."), example="Rennes", source="canteen__city"),
    Column(
        "departement_code",
        "Code du département",
        gettext_noop("Code INSEE du département (975, 977 et 978 : collectivités d'outre-mer)."),
        constraints={"pattern": DEPARTMENT_PATTERN},
        example="35",
        source="department_id",
    ),
    Column(
        "departement",
        "Département",
        gettext_noop("Nom du département."),
        example="Ille-et-Vilaine",
        source="department__name",
    ),
    Column(
        "region_code",
        "Code de la région",
        gettext_noop("Code INSEE de la région ; vide pour Saint-Pierre-et-Miquelon, Saint-Barthélemy et Saint-Martin."),
        constraints={"pattern": r"^\d{2}$"},
        example="53",
        source="region_id",
    ),
    Column("region", "Région", gettext_noop("Nom de la région."), example="Bretagne", source="region__name"),
    Column(
        "secteurs",
        "Secteurs",
        gettext_noop("Codes des secteurs de la cantine (1 à 3), séparés par « | ». Codes : %(codes)s."),
        params={"codes": ", ".join(SECTORS)},
        example="school_primary|school_middle",
        source=From(("canteen__sectors",), join_list),
    ),
    Column(
        "categories_secteurs",
        "Catégories de secteurs",
        gettext_noop("Catégories des secteurs, séparées par « | ». Codes : %(codes)s."),
        params={"codes": ", ".join(SECTOR_CATEGORIES)},
        example="education",
        source=From(("sector_mask",), sector_categories),
    ),
    Column(
        "mode_gestion",
        "Mode de gestion",
        gettext_noop("direct : autogérée ; conceded : concédée à une société de restauration."),
        constraints={"enum": _codes(Management.choices)},
        source="canteen__management_type",
    ),
    Column(
        "type_production",
        "Type de production",
        gettext_noop(
            "on_site : cuisine sur place ; satellite ; central : cuisine centrale ; central_serving : cuisine centrale "
            "qui sert aussi sur place."
        ),
        constraints={"enum": _codes(Production.choices)},
        source="canteen__production_type",
    ),
]

REGISTRY_COLUMNS = IDENTITY + [
    Column(
        "modele_economique",
        "Modèle économique",
        gettext_noop("public ou private."),
        constraints={"enum": _codes(EconomicModel.choices)},
        source="canteen__economic_model",
    ),
    Column(
        "ministere_tutelle",
        "Ministère de tutelle",
        gettext_noop("Pour un restaurant de l'État : le code de son ministère de tutelle."),
        constraints={"enum": _codes(Ministry.choices)},
        source="canteen__line_ministry",
    ),
    Column(
        "couverts_par_jour",
        "Couverts par jour",
        gettext_noop("Nombre moyen de repas servis par jour."),
        "integer",
        {"minimum": 0},
        source="canteen__daily_meal_count",
    ),
    Column(
        "couverts_par_an",
        "Couverts par an",
        gettext_noop("Nombre de repas servis par an."),
        "integer",
        {"minimum": 0},
        source="canteen__yearly_meal_count",
    ),
    Column(
        "page_publique",
        "Page publique",
        gettext_noop("Adresse de la page publique de la cantine."),
        format="uri",
        constraints={"required": True},
        source=From(("canteen_id", "canteen__name"), public_page),
    ),
    Column(
        "bilan_publie_annee",
        "Année du dernier bilan publié",
        gettext_noop("Année des données du dernier bilan que la cantine a publié ; vide si elle n'en a publié aucun."),
        "year",
        source="published_year",
    ),
    Column(
        "taux_bio",
        "Part de bio (%)",
        gettext_noop("Part des achats bio dans le dernier bilan publié, tronquée."),
        "number",
        RATE,
        source="bio_rate",
    ),
    Column(
        "taux_egalim",
        "Part EGAlim (%)",
        gettext_noop(
            "Part des achats durables et de qualité (EGAlim, bio compris) dans le dernier bilan publié, tronquée."
        ),
        "number",
        RATE,
        source="egalim_rate",
    ),
    Column(
        "taux_viandes_poissons_egalim",
        "Part EGAlim des viandes et poissons (%)",
        gettext_noop("Part EGAlim des achats de viandes et poissons dans le dernier bilan publié, tronquée."),
        "number",
        RATE,
        source="meat_fish_rate",
    ),
    Column(
        "objectifs_egalim_atteints",
        "Objectifs d'achats atteints",
        gettext_noop(
            "La mesure « qualité et durabilité des produits » est atteinte dans le dernier bilan publié (seuils "
            "EGAlim et bio du territoire et de l'année, et viandes et poissons à partir de 2024)."
        ),
        "boolean",
        source="objectives_met",
    ),
    Column(
        "date_inscription",
        "Date d'inscription",
        gettext_noop("Date d'inscription de la cantine sur ma cantine."),
        "date",
        source=From(("canteen__created_at",), local_date),
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
            source="year",
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
            source="canteen__daily_meal_count",
        ),
        Column(
            "taux_bio",
            "Part de bio (%)",
            gettext_noop("Part des achats bio déclarés, tronquée."),
            "number",
            RATE,
            source="bio_rate",
        ),
        Column(
            "taux_egalim",
            "Part EGAlim (%)",
            gettext_noop("Part des achats durables et de qualité (EGAlim, bio compris) déclarés, tronquée."),
            "number",
            RATE,
            source="egalim_rate",
        ),
        Column(
            "taux_viandes_poissons_egalim",
            "Part EGAlim des viandes et poissons (%)",
            gettext_noop("Part EGAlim des achats de viandes et poissons déclarés, tronquée."),
            "number",
            RATE,
            source="meat_fish_rate",
        ),
        Column(
            "statut_qualite",
            "Mesure qualité et durabilité",
            gettext_noop("met : atteinte ; not_met : non atteinte ; incomplete : données incomplètes."),
            constraints={"enum": ["met", "not_met", "incomplete"]},
            source=From(("quality_status",), blank_as_none),
        ),
        Column(
            "objectifs_egalim_atteints",
            "Objectifs d'achats atteints",
            gettext_noop("La mesure « qualité et durabilité des produits » est atteinte."),
            "boolean",
            {"required": True},
            source="objectives_met",
        ),
        Column(
            "mesures_atteintes",
            "Mesures atteintes",
            gettext_noop("Nombre de mesures EGAlim atteintes sur cinq."),
            "integer",
            {"minimum": 0, "maximum": 5},
            source="measures_met",
        ),
        Column(
            "date_teledeclaration",
            "Date de télédéclaration",
            gettext_noop("Date d'envoi de la déclaration."),
            "date",
            source=From(("submitted_at",), local_date),
        ),
    ]
)
