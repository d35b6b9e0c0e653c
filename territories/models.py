"""Territories (regions, departments), the figures stored per canteen and per declaration, officers, widgets.

`Region` and `Department` are reference data loaded by a data migration from `territories/data/territoires.csv`
(INSEE codes). The three overseas collectivities that are not in a region (975 Saint-Pierre-et-Miquelon,
977 Saint-Barthélemy, 978 Saint-Martin) are departments without a region, as in INSEE's geographic code.

`CanteenStats` and `DeclarationStats` store what the rules computed (`egalim.rules.evaluate`), refreshed by
`territories.stats` when a canteen, a diagnostic or a declaration is saved: the registry filters and sorts
100,000 canteens on indexed columns instead of evaluating the rules per row at query time.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Indiquez une couleur hexadécimale sur 6 chiffres, par exemple #000091."), "invalid_colour"
)


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:region", args=[self.code])

    @property
    def kind(self):
        return "region"

    def department_codes(self):
        return list(self.departments.values_list("code", flat=True))


class Department(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="departments", verbose_name=_("région")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:department", args=[self.code])

    @property
    def kind(self):
        return "department"

    def department_codes(self):
        return [self.code]


class CanteenStats(models.Model):
    """One row per canteen: where it is, what it is, its last *published* year and that year's rates (unknown when
    the rules cannot evaluate it).

    Maintained by `territories.stats.refresh_canteen` (signals on Canteen and YearlyDiagnostic).
    `hidden` and `listed` store `Canteen.objects.public()` and `.listed()` row by row (docs/decisions/0006): the
    registry, the map and the statistics filter on them.
    """

    canteen = models.OneToOneField("canteens.Canteen", on_delete=models.CASCADE, primary_key=True, related_name="stats")
    name = models.CharField(max_length=255)
    city = models.CharField(max_length=255, blank=True)
    commune = models.CharField(max_length=5, blank=True, default="")  # INSEE code
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    # The map position (the canteen's, or its commune's shipped centre) and whether it is only approximate.
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    approximate = models.BooleanField(default=False)
    sector_mask = models.PositiveIntegerField(default=0)  # one bit per sector category (stats.CATEGORY_BITS)
    management_type = models.CharField(max_length=16)
    production_type = models.CharField(max_length=16)
    daily_meal_count = models.PositiveIntegerField()
    hidden = models.BooleanField(default=False)
    listed = models.BooleanField(default=False)
    published_year = models.PositiveSmallIntegerField(null=True)
    bio_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    egalim_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    meat_fish_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    # Sort keys: the rate, or -1 when unknown (last in a descending sort, with a plain index on any backend).
    bio_sort = models.DecimalField(max_digits=5, decimal_places=2, default=-1)
    egalim_sort = models.DecimalField(max_digits=5, decimal_places=2, default=-1)
    objectives_met = models.BooleanField(null=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # open-data files' freshness (opendata.stored)

    class Meta:
        verbose_name = _("chiffres d'une cantine")
        verbose_name_plural = _("chiffres des cantines")
        # Partial indexes on the listed rows, one per sort order of the search (each ends with the tie-breaker),
        # so a page is read in index order whatever the filters, and deep pages skip entries in the index.
        indexes = [
            models.Index(F("name"), F("canteen"), name="stats_listed_name", condition=Q(listed=True)),
            models.Index(F("bio_sort").desc(), F("canteen"), name="stats_listed_bio", condition=Q(listed=True)),
            models.Index(F("egalim_sort").desc(), F("canteen"), name="stats_listed_egalim", condition=Q(listed=True)),
            models.Index(
                F("daily_meal_count").desc(), F("canteen"), name="stats_listed_meals", condition=Q(listed=True)
            ),
            models.Index(
                F("department"), F("name"), F("canteen"), name="stats_listed_department", condition=Q(listed=True)
            ),
            models.Index(F("region"), F("name"), F("canteen"), name="stats_region_name"),
            models.Index(F("commune"), F("name"), F("canteen"), name="stats_listed_commune", condition=Q(listed=True)),
            models.Index(F("updated_at"), name="stats_updated_at"),  # the map's cache version (max, cheap)
        ]

    def __str__(self):
        return self.name


class DeclarationStats(models.Model):
    """One row per *submitted* teledeclaration: the declared amounts and the rules' results of its snapshot.

    The amounts stay internal (pooled rates are sums of amounts over sums of totals); the open data carries
    only rates. Territory and sectors are those of the snapshot (what was declared), not today's.
    """

    teledeclaration = models.OneToOneField(
        "canteens.Teledeclaration", on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    canteen = models.ForeignKey("canteens.Canteen", on_delete=models.CASCADE, related_name="declaration_stats")
    year = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    sector_mask = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    bio = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    egalim = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    meat_fish_total = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    meat_fish_egalim = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    bio_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    egalim_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    meat_fish_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    quality_status = models.CharField(max_length=16, blank=True)
    objectives_met = models.BooleanField(default=False)
    measures_met = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # open-data files' freshness (opendata.stored)

    class Meta:
        verbose_name = _("chiffres d'une télédéclaration")
        verbose_name_plural = _("chiffres des télédéclarations")
        indexes = [
            models.Index(fields=["year", "department"], name="declstats_year_department"),
            models.Index(fields=["year", "region"], name="declstats_year_region"),
        ]
        constraints = [models.UniqueConstraint(fields=["canteen", "year"], name="declstats_one_per_canteen_year")]

    def __str__(self):
        return f"{self.canteen_id} — {self.year}"


class CampaignPublication(models.Model):
    """A campaign whose figures an editor has published: before that, its results stay hidden everywhere
    (territory dashboards, open data), as they are first published in the government's report."""

    campaign = models.OneToOneField(
        "canteens.Campaign", on_delete=models.CASCADE, related_name="publication", verbose_name=_("campagne")
    )
    published_on = models.DateField(_("résultats publiés le"), default=timezone.localdate)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Par exemple : le rapport au Parlement de référence.")
    )

    class Meta:
        verbose_name = _("publication des résultats d'une campagne")
        verbose_name_plural = _("publication des résultats des campagnes")
        ordering = ["-campaign__year"]

    def __str__(self):
        return str(_("Résultats de la campagne %(year)s") % {"year": self.campaign.year})


class TerritoryOfficer(models.Model):
    """The territory officer role (DRAAF, PAT officer, regional network, ambassador): assigned in the admin.

    An officer sees every canteen of their regions and departments, published or not, with its declaration
    status; they export the list, prepare mail merges and configure widgets.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_officer", verbose_name=_("compte")
    )
    organisation = models.CharField(_("structure"), max_length=200, blank=True, help_text=_("DRAAF, PAT, réseau…"))
    regions = models.ManyToManyField(Region, blank=True, related_name="officers", verbose_name=_("régions"))
    departments = models.ManyToManyField(
        Department, blank=True, related_name="officers", verbose_name=_("départements")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chargé·e de mission territorial·e")
        verbose_name_plural = _("chargé·es de mission territoriaux·ales")
        ordering = ["user__email"]

    def __str__(self):
        return self.user.get_full_name() or self.user.email

    def department_codes(self) -> list[str]:
        """Every department of the officer's territory (their departments and those of their regions)."""
        return list(
            Department.objects.filter(Q(officers=self) | Q(region__officers=self))
            .values_list("code", flat=True)
            .distinct()
            .order_by("code")
        )

    def territories(self) -> list:
        """Regions, then departments (of their regions too), for choices."""
        codes = self.department_codes()
        regions = list(self.regions.all())
        departments = list(Department.objects.filter(code__in=codes))
        return regions + departments


LOGO_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


def widget_logo_path(instance, filename):
    """Stored under the extension of the type the image was verified to be (territories/forms.py validate_logo),
    never the uploader's: a PNG+HTML polyglot named logo.html must not become a .html file a web server serves
    as a page. Anything unverified gets `.bin` (served as application/octet-stream)."""
    extension = LOGO_EXTENSIONS.get(instance.logo_type, "bin")
    return f"territories/widgets/{instance.pk}.{extension}"


class WidgetDisplay(models.TextChoices):
    LIST = "list", _("Liste")
    MAP = "map", _("Carte")
    BOTH = "both", _("Carte et liste")


class Widget(models.Model):
    """An embeddable list of a territory's published canteens, shown at /widget/<uuid>/ in an <iframe>."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="territory_widgets", verbose_name=_("créé par")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("titre"), max_length=120)
    primary_colour = models.CharField(_("couleur principale"), max_length=7, default="#000091", validators=[HEX_COLOUR])
    secondary_colour = models.CharField(
        _("couleur secondaire"), max_length=7, default="#6a6af4", validators=[HEX_COLOUR]
    )
    logo = models.FileField(_("logo"), upload_to=widget_logo_path, blank=True)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    display = models.CharField(_("affichage"), max_length=8, choices=WidgetDisplay.choices, default="list")
    communes = models.CharField(
        _("communes"),
        max_length=600,
        blank=True,
        help_text=_("Facultatif : codes INSEE séparés par des virgules, pour ne montrer que ces communes."),
    )
    sector = models.CharField(_("catégorie de secteur par défaut"), max_length=16, blank=True)
    objectives = models.CharField(_("objectifs atteints, par défaut"), max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("widget")
        verbose_name_plural = _("widgets")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True, department__isnull=False)
                | Q(region__isnull=False, department__isnull=True),
                name="widget_one_territory",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("territories:widget", args=[self.pk])

    def clean(self):
        if bool(self.region_id) == bool(self.department_id):
            raise ValidationError(_("Choisissez une région ou un département."))

    @property
    def territory(self):
        return self.region or self.department

    def commune_codes(self) -> list[str]:
        return [code.strip().upper() for code in self.communes.split(",") if code.strip()]

    def map_filters(self) -> dict:
        """The map's filters (territories.maps) of this widget: its territory, communes and default filters."""
        filters = {"region": self.region_id} if self.region_id else {"department": self.department_id}
        if self.commune_codes():
            filters["communes"] = ",".join(self.commune_codes())
        if self.sector:
            filters["sector"] = self.sector
        if self.objectives:
            filters["objectives"] = self.objectives
        return filters

    @property
    def shows_map(self):
        return self.display in (WidgetDisplay.MAP, WidgetDisplay.BOTH)

    @property
    def shows_list(self):
        return self.display in (WidgetDisplay.LIST, WidgetDisplay.BOTH)


class OpenDataFile(models.Model):
    """A national open-data file written by `manage.py export_open_data --if-stale` (decision 10)."""

    dataset = models.CharField(max_length=64)
    format = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    rows = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    generated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("fichier open data")
        verbose_name_plural = _("fichiers open data")
        constraints = [models.UniqueConstraint(fields=["dataset", "format"], name="one_open_data_file")]

    def __str__(self):
        return f"{self.dataset}.{self.format}"
