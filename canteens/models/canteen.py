"""Canteens and their yearly diagnostics."""

import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from diagnostic.poster import POSTER_NOTE_MAX_LENGTH  # the poster's limit: the field keeps within it
from egalim.families import split_sums
from egalim.rules import FIRST_YEAR, LAST_YEAR, PURCHASE_FIELDS, DiagnosticInput, evaluate, sum_families
from home.text import unsafe_characters

from .. import geo
from ..choices import (
    CENTRAL_TYPES,
    HIDDEN_MINISTRIES,
    SECTORS,
    CentralKitchenMode,
    CommunicationFrequency,
    EconomicModel,
    LocationSource,
    Management,
    Ministry,
    Production,
    ServiceType,
    VegetarianMenuType,
)
from ..validators import department_of_commune, validate_commune_code, validate_siren, validate_siret

MIN_DAILY_MEALS = 3
MIN_YEARLY_MEALS = 420
# Django's slugify (django/utils/text.py), compiled once: Canteen.slug_of
_SLUG_DROPPED = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


LOCATION_FIELDS = ("latitude", "longitude", "location_source", "location_precision", "location_query")


def amount_field(verbose_name, **kwargs):
    """An optional amount: None (blank, « non renseigné ») is kept apart from 0."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, null=True, blank=True, **kwargs)


def quantity_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class CanteenQuerySet(models.QuerySet):
    """`public()` and `listed()` are the one definition of « may this canteen be shown » (docs/decisions/
    0006-canteen-public-page.md); the page, the API, the registry, the statistics and open data use them."""

    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(managers=user)

    def public(self):
        """Canteens with a public page /cantines/<id>-<slug>/ and a JSON GET /api/v1/canteens/<id>/, even before
        they publish a year (the page says so; the poster's QR code points there). Never the armed forces'
        (identity of defence sites): `Canteen.hidden_from_public` is the same rule for one canteen."""
        return self.exclude(line_ministry__in=HIDDEN_MINISTRIES)

    def listed(self):
        """Public canteens with at least one published year, whether or not the rules can evaluate it (a commune
        without a known department: the year is shown, its rates unknown): the ones in lists (API list, registry,
        map, statistics). `territories.CanteenStats.listed` stores the same rule, row by row (territories/stats.py,
        checked by tests/canteens/test_canteens.py::test_the_stored_listed_flag_is_the_listed_rule)."""
        published = YearlyDiagnostic.objects.filter(canteen=OuterRef("pk"), is_published=True)
        return self.public().filter(Exists(published))


class Canteen(models.Model):
    name = models.CharField(_("nom de la cantine"), max_length=255)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    siren_unite_legale = models.CharField(
        _("SIREN de l'unité légale"),
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text=_("Pour un site sans SIRET propre : le SIREN de la structure dont il dépend."),
    )
    city_insee_code = models.CharField(_("code INSEE de la commune"), max_length=5, validators=[validate_commune_code])
    city = models.CharField(_("commune"), max_length=255, blank=True)
    address = models.CharField(
        _("adresse"),
        max_length=255,
        blank=True,
        help_text=_("Numéro et voie, pour placer la cantine sur la carte. Par exemple : 12 rue de la Paix."),
    )
    # Where the canteen is on the map (WGS 84), where that comes from and how precise it is (canteens/geo.py).
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    location_source = models.CharField(
        _("origine de la position"), max_length=16, choices=LocationSource.choices, blank=True, editable=False
    )
    location_precision = models.CharField(_("précision de la position"), max_length=16, blank=True, editable=False)
    # The commune code and address the position was computed from: a change falls back to the commune's centre
    # until `geocode_canteens` runs again (a pin placed by hand stays).
    location_query = models.CharField(max_length=300, blank=True, editable=False)
    department = models.CharField(_("département"), max_length=3, editable=False)
    # The link to the territories app's reference data (same code as `department`, set by save()).
    territory_department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="canteens",
        verbose_name=_("département (territoire)"),
    )
    sectors = models.JSONField(_("secteurs"), default=list)
    management_type = models.CharField(_("mode de gestion"), max_length=16, choices=Management.choices)
    production_type = models.CharField(_("type de production"), max_length=16, choices=Production.choices)
    central_kitchen_siret = models.CharField(
        _("SIRET de la cuisine centrale"), max_length=14, blank=True, validators=[validate_siret]
    )
    # A SIRET is self-declared on both sides: the central kitchen registered with `central_kitchen_siret` gets
    # nothing from this satellite until the satellite's managers (or an administrator) agreed to that very
    # canteen (canteens/permissions.py supplies(); the satellite's page has the button).
    confirmed_central_kitchen = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="confirmed_satellites",
        verbose_name=_("cuisine centrale autorisée par le satellite"),
    )
    economic_model = models.CharField(_("modèle économique"), max_length=16, choices=EconomicModel.choices)
    line_ministry = models.CharField(_("ministère de tutelle"), max_length=32, choices=Ministry.choices, blank=True)
    daily_meal_count = models.PositiveIntegerField(
        _("couverts par jour"), validators=[MinValueValidator(MIN_DAILY_MEALS)]
    )
    yearly_meal_count = models.PositiveIntegerField(
        _("couverts par an"), validators=[MinValueValidator(MIN_YEARLY_MEALS)]
    )
    # Territory beyond the commune (snapshotted in each declaration): EPCI (its SIREN) and food projects (PAT).
    epci = models.CharField(_("EPCI (SIREN)"), max_length=9, blank=True)
    epci_name = models.CharField(_("nom de l'EPCI"), max_length=255, blank=True)
    pat = models.JSONField(
        _("projets alimentaires territoriaux"), default=list, blank=True, help_text=_('[{"code": …, "name": …}]')
    )
    # The canteen's id on the national service (ma cantine), when it came from one of its files: matched on it
    # first when a later national file names it again, so that a canteen is never created twice.
    national_id = models.BigIntegerField(_("identifiant ma cantine national"), null=True, blank=True, unique=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_canteens", verbose_name=_("gestionnaires"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CanteenQuerySet.as_manager()

    class Meta:
        verbose_name = _("cantine")
        verbose_name_plural = _("cantines")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="canteen_unique_siret"),
            models.CheckConstraint(condition=~Q(siret="", siren_unite_legale=""), name="canteen_siret_or_siren"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.department = department_of_commune(self.city_insee_code) or ""
        self.territory_department_id = self.department or None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "department" in update_fields:
            kwargs["update_fields"] = {*update_fields, "territory_department"}
        self.locate()
        if update_fields is not None and {"city_insee_code", "address"} & set(update_fields):
            kwargs["update_fields"] = {*kwargs["update_fields"], *LOCATION_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("canteens:detail", args=[self.pk])

    def get_public_url(self):
        # The public page is territories' (owner of /cantines/, docs/decisions/0011-url-prefixes.md): a URL name
        # reversed at run time, not an import, so canteens stays below territories (.importlinter).
        return reverse("territories:canteen", args=[self.pk, self.slug])

    def clean(self):
        errors = {}
        for name in ("name", "city"):
            if unsafe_characters(getattr(self, name)):  # home/text.py: they broke e-mail headers (issue 15)
                errors[name] = _(
                    "Retirez les retours à la ligne, tabulations et caractères de contrôle ou d'inversion du sens "
                    "du texte."
                )
        if self.daily_meal_count and self.yearly_meal_count and self.yearly_meal_count <= self.daily_meal_count:
            errors["yearly_meal_count"] = _("Le nombre de couverts par an doit être supérieur au nombre par jour.")
        if self.production_type == Production.SATELLITE:
            if self.central_kitchen_siret and self.central_kitchen_siret == self.siret:
                errors["central_kitchen_siret"] = _("Un satellite ne peut pas être sa propre cuisine centrale.")
        if self.line_ministry and self.economic_model != EconomicModel.PUBLIC:
            errors["line_ministry"] = _("Seul un restaurant public peut avoir un ministère de tutelle.")
        unknown = [code for code in self.sectors or [] if code not in SECTORS]
        if unknown or not 1 <= len(self.sectors or []) <= 3:
            errors["sectors"] = _("Choisissez de 1 à 3 secteurs dans la liste.")
        if errors:
            raise ValidationError(errors)

    @property
    def slug(self):
        return self.slug_of(self.name)

    @staticmethod
    def slug_of(name) -> str:
        """The slug of a canteen named `name` (its public address), without building a model instance: Django's
        `slugify` without its lazy-text wrapper, its patterns compiled once and the Unicode decomposition skipped
        for ASCII text (NFKD leaves it as it is); exports call it once a row (tests/canteens/test_slug.py)."""
        value = str(name)
        if not value.isascii():
            value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
        value = _SLUG_DROPPED.sub("", value.lower())
        return _SLUG_DASHES.sub("-", value).strip("-_")[:80] or "cantine"

    @property
    def hidden_from_public(self) -> bool:
        """Armed forces canteens are never shown publicly (identity of defence sites): no public page, no JSON,
        no QR code on the poster, never listed. The row-level form of `Canteen.objects.public()`."""
        return self.hides(self.line_ministry)

    @staticmethod
    def hides(line_ministry) -> bool:
        """The rule of `Canteen.objects.public()` on a line ministry alone, for data that is not yet (or no longer)
        a canteen row: a line of an imported file, a declaration's snapshot."""
        return line_ministry in HIDDEN_MINISTRIES

    @property
    def state_restaurant(self) -> bool:
        """A State restaurant (line ministry): the meat and fish target is the State's one."""
        return bool(self.line_ministry)

    @property
    def is_central_kitchen(self):
        return self.production_type in CENTRAL_TYPES

    @property
    def is_satellite(self):
        return self.production_type == Production.SATELLITE

    @property
    def identifier(self):
        return self.siret or self.siren_unite_legale

    def satellites(self):
        """The satellites that declare this central kitchen's SIRET and whose managers agreed to it."""
        if not self.is_central_kitchen or not self.siret:
            return Canteen.objects.none()
        return Canteen.objects.filter(
            production_type=Production.SATELLITE, central_kitchen_siret=self.siret, confirmed_central_kitchen=self
        )

    @property
    def central_kitchen_confirmed(self):
        """True when the satellite's managers agreed to the central kitchen registered with its declared SIRET."""
        kitchen = self.central_kitchen()
        return kitchen is not None and kitchen.pk == self.confirmed_central_kitchen_id

    def central_kitchen(self):
        if not self.is_satellite or not self.central_kitchen_siret:
            return None
        return Canteen.objects.filter(siret=self.central_kitchen_siret, production_type__in=CENTRAL_TYPES).first()

    @property
    def sector_category(self):
        """The category (education, health, social…) of the canteen's first sector, or None."""
        for code in self.sectors or []:
            if code in SECTORS:
                return SECTORS[code][0]
        return None

    def sector_labels(self):
        return [str(SECTORS[code][1]) for code in self.sectors or [] if code in SECTORS]

    @property
    def location_key(self):
        return f"{self.city_insee_code}|{self.address.strip().lower()}"[:300]

    def locate(self):
        """Keep a position without any request: the commune's shipped centre when the canteen has none, or when
        its commune or address changed since it was geocoded. A pin placed by hand is never moved."""
        if self.location_source == LocationSource.MANUAL:
            return
        if self.latitude is not None and self.location_query == self.location_key:
            return
        self.set_position(geo.commune_centre(self.city_insee_code), LocationSource.COMMUNE)

    def set_position(self, position, source):
        if position is None:
            self.latitude = self.longitude = None
            self.location_source = self.location_precision = ""
        else:
            self.latitude, self.longitude = round(position.latitude, 6), round(position.longitude, 6)
            self.location_source, self.location_precision = source, position.precision
        self.location_query = self.location_key


class YearlyDiagnostic(models.Model):
    """The inputs of a canteen's diagnostic for one data year; results come from the rules on display."""

    class Mode(models.TextChoices):
        SIMPLE = "simple", _("Simplifié")
        DETAILED = "detailed", _("Détaillé par famille de produits")

    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="diagnostics")
    year = models.PositiveSmallIntegerField(
        _("année des données"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.SIMPLE)
    total = models.DecimalField(_("total des achats alimentaires HT"), max_digits=14, decimal_places=2, null=True)
    bio = models.DecimalField(_("achats bio HT"), max_digits=14, decimal_places=2, null=True)
    siqo = models.DecimalField(_("achats SIQO HT"), max_digits=14, decimal_places=2, null=True)
    environmental = models.DecimalField(
        _("achats critères environnementaux HT"), max_digits=14, decimal_places=2, null=True
    )
    other_egalim = models.DecimalField(_("autres achats EGAlim HT"), max_digits=14, decimal_places=2, null=True)
    meat_fish_total = models.DecimalField(
        _("achats de viandes et poissons HT"), max_digits=14, decimal_places=2, null=True
    )
    meat_fish_egalim = models.DecimalField(
        _("achats EGAlim de viandes et poissons HT"), max_digits=14, decimal_places=2, null=True
    )
    # Quality, beyond the rules' inputs above (national `bilans_detaille` / `diagnostics_complets`):
    # fair trade *inside* bio and inside the other EGAlim labels, meat & poultry and fish & seafood apart
    # (their sums give meat_fish_total / meat_fish_egalim when both are given), French origin.
    bio_fair_trade = amount_field(_("dont bio et commerce équitable HT"))
    other_egalim_fair_trade = amount_field(_("dont autres EGAlim et commerce équitable HT"))
    meat_poultry_total = amount_field(_("achats de viandes et volailles HT"))
    meat_poultry_egalim = amount_field(_("achats EGAlim de viandes et volailles HT"))
    meat_poultry_france = amount_field(_("achats de viandes et volailles d'origine France HT"))
    fish_seafood_total = amount_field(_("achats de poissons et produits de la mer HT"))
    fish_seafood_egalim = amount_field(_("achats EGAlim de poissons et produits de la mer HT"))
    fish_seafood_france = amount_field(_("achats de poissons et produits de la mer d'origine France HT"))
    france = amount_field(_("achats d'origine France HT"))
    family_detail = models.JSONField(_("détail par famille"), default=dict, blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    # Waste (the rules' answers are in `answers["waste"]`; these are the campaign's figures).
    has_waste_plan = models.BooleanField(_("plan d'action contre le gaspillage"), null=True, blank=True)
    has_waste_measures = models.BooleanField(_("mesure du gaspillage réalisée"), null=True, blank=True)
    total_leftovers = models.DecimalField(
        _("total des déchets alimentaires (t)"),
        max_digits=14,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    duration_leftovers_measurement = models.PositiveSmallIntegerField(
        _("période de mesure (jours)"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    bread_leftovers = quantity_field(_("restes de pain (kg/an)"))
    served_leftovers = quantity_field(_("restes plateaux (kg/an)"))
    unserved_leftovers = quantity_field(_("restes en production, non servis (kg/an)"))
    side_leftovers = quantity_field(_("restes de composantes (kg/an)"))
    donation_frequency = models.PositiveIntegerField(_("dons par an"), null=True, blank=True)
    donation_quantity = quantity_field(_("quantité donnée (kg/an)"))
    donation_food_type = models.TextField(_("type de denrées données"), blank=True)
    other_waste_action = models.TextField(_("autre action contre le gaspillage"), blank=True)
    other_waste_comments = models.TextField(_("autres commentaires (gaspillage)"), blank=True)
    # Diversification.
    service_type = models.CharField(_("type de service"), max_length=32, choices=ServiceType.choices, blank=True)
    vegetarian_menu_type = models.CharField(
        _("menu végétarien proposé"), max_length=32, choices=VegetarianMenuType.choices, blank=True
    )
    vegetarian_menu_bases = models.JSONField(_("bases du menu végétarien"), default=list, blank=True)
    diversification_plan_actions = models.JSONField(_("actions du plan de diversification"), default=list, blank=True)
    # Information of diners.
    communication_supports = models.JSONField(_("moyens d'information des convives"), default=list, blank=True)
    other_communication_support = models.TextField(_("autre moyen d'information"), blank=True)
    communication_support_url = models.URLField(_("lien de communication"), blank=True)
    communicates_on_food_plan = models.BooleanField(_("communique sur le plan alimentaire"), null=True, blank=True)
    communicates_on_food_quality = models.BooleanField(_("communique sur les démarches qualité"), null=True, blank=True)
    communication_frequency = models.CharField(
        _("fréquence de communication"), max_length=32, choices=CommunicationFrequency.choices, blank=True
    )
    # A central kitchen: what its diagnostic covers for its satellites.
    central_kitchen_mode = models.CharField(
        _("données déclarées pour les satellites"), max_length=16, choices=CentralKitchenMode.choices, blank=True
    )
    is_published = models.BooleanField(_("publié sur la page publique"), default=False)
    poster_note = models.TextField(
        _("message aux convives"), blank=True, validators=[MaxLengthValidator(POSTER_NOTE_MAX_LENGTH)]
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("diagnostic annuel")
        verbose_name_plural = _("diagnostics annuels")
        ordering = ["canteen", "-year"]
        constraints = [models.UniqueConstraint(fields=["canteen", "year"], name="one_diagnostic_per_canteen_year")]

    def __str__(self):
        return f"{self.canteen} — {self.year}"

    def save(self, *args, **kwargs):
        self.sync_meat_fish()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SPLIT_MEAT_FISH_FIELDS):
            kwargs["update_fields"] = {*update_fields, "meat_fish_total", "meat_fish_egalim"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("canteens:diagnostic", args=[self.canteen_id, self.year])

    def purchases(self) -> dict:
        return {name: getattr(self, name) for name in PURCHASE_FIELDS}

    def set_purchases_from_detail(self, detail):
        """Detailed mode: the simple values are the sums of the family table (rules.sum_families)."""
        self.family_detail = {
            family: {column: str(value) for column, value in columns.items() if value is not None}
            for family, columns in detail.items()
        }
        for name, value in sum_families(detail).items():
            setattr(self, name, value)
        for name, value in split_sums(detail).items():
            setattr(self, name, value)

    def rules_input(self, canteen=None) -> DiagnosticInput:
        canteen = canteen or self.canteen
        return DiagnosticInput.from_dict(
            {
                "year": self.year,
                "department": canteen.department,
                "state_restaurant": canteen.state_restaurant,
                "daily_meals": canteen.daily_meal_count,
                "purchases": self.purchases(),
                "answers": self.answers or {},
            }
        )

    def evaluate(self, canteen=None):
        return evaluate(self.rules_input(canteen))

    def cost_per_meal(self, canteen=None) -> Decimal | None:
        canteen = canteen or self.canteen
        if self.total is None or not canteen.yearly_meal_count:
            return None
        return (self.total / canteen.yearly_meal_count).quantize(Decimal("0.01"))

    def sync_meat_fish(self):
        """Meat & poultry and fish & seafood given apart: the combined values the rules use are their sums."""
        if self.meat_poultry_total is not None and self.fish_seafood_total is not None:
            self.meat_fish_total = self.meat_poultry_total + self.fish_seafood_total
        if self.meat_poultry_egalim is not None and self.fish_seafood_egalim is not None:
            self.meat_fish_egalim = self.meat_poultry_egalim + self.fish_seafood_egalim

    def copy_inputs_from(self, other):
        for name in PURCHASE_FIELDS + EXTRA_PURCHASE_FIELDS + DECLARATION_ANSWER_FIELDS:
            setattr(self, name, getattr(other, name))
        self.mode = other.mode
        self.family_detail = dict(other.family_detail or {})
        self.answers = dict(other.answers or {})


SPLIT_MEAT_FISH_FIELDS = ("meat_poultry_total", "meat_poultry_egalim", "fish_seafood_total", "fish_seafood_egalim")
# Amounts declared besides the rules' inputs (PURCHASE_FIELDS).
EXTRA_PURCHASE_FIELDS = (
    "bio_fair_trade",
    "other_egalim_fair_trade",
    "meat_poultry_total",
    "meat_poultry_egalim",
    "meat_poultry_france",
    "fish_seafood_total",
    "fish_seafood_egalim",
    "fish_seafood_france",
    "france",
)
# The campaign's other answers, stored as fields (the rules' own answers stay in `answers`).
DECLARATION_ANSWER_FIELDS = (
    "has_waste_plan",
    "has_waste_measures",
    "total_leftovers",
    "duration_leftovers_measurement",
    "bread_leftovers",
    "served_leftovers",
    "unserved_leftovers",
    "side_leftovers",
    "donation_frequency",
    "donation_quantity",
    "donation_food_type",
    "other_waste_action",
    "other_waste_comments",
    "service_type",
    "vegetarian_menu_type",
    "vegetarian_menu_bases",
    "diversification_plan_actions",
    "communication_supports",
    "other_communication_support",
    "communication_support_url",
    "communicates_on_food_plan",
    "communicates_on_food_quality",
    "communication_frequency",
    "central_kitchen_mode",
)
