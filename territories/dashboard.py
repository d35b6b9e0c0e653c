"""Territory dashboards: registered canteens, declarations of the last published campaign, pooled rates
(sum of values over sum of totals), share of declarations meeting their objectives, sector categories, and the
national figures to compare with. Charts are SVG built here (coordinates) and drawn by the template, each with
the same figures in a table.

A campaign's results are shown only once an editor has published them (`CampaignPublication`).
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from canteens.choices import SECTOR_CATEGORIES
from canteens.models import Campaign
from egalim import formatting

from .models import CanteenStats, DeclarationStats, Department, Region
from .stats import canteen_counts, epci_lookup, pooled

NATIONAL_CACHE_SECONDS = 600
TERRITORY_COLOUR = "#000091"  # DSFR blue France
NATIONAL_COLOUR = "#666666"  # DSFR grey, 5.7:1 on white


@dataclass(frozen=True)
class Epci:
    """An EPCI (intercommunalité, its SIREN) as a dashboard level: its communes come from the shipped reference
    (territories/data/communes_epci.csv); its department is the one most of its communes belong to."""

    code: str
    name: str
    communes: tuple
    department: Department | None = None

    @property
    def pk(self):
        return self.code

    @property
    def region(self):
        return self.department.region if self.department else None

    def get_absolute_url(self):
        return reverse("territories:epci", args=[self.code])


def get_epci(code) -> Epci:
    from collections import Counter

    from canteens.validators import department_of_commune

    from . import epci
    from .maps import epci_communes

    communes = epci_communes(code)
    if not communes:
        raise Http404("unknown EPCI")
    name = epci.name_of(code)
    main = Counter(department_of_commune(commune) for commune in communes).most_common(1)[0][0]
    department = Department.objects.select_related("region").filter(pk=main).first()
    return Epci(code, name, tuple(communes), department)


def get_territory(kind, code):
    if kind == "epci":
        return get_epci(code)
    model = {"region": Region, "department": Department}[kind]
    territory = model.objects.select_related(*(["region"] if kind == "department" else [])).filter(pk=code).first()
    if territory is None:
        raise Http404("unknown territory")
    return territory


def level_of(territory) -> str:
    return "region" if isinstance(territory, Region) else "epci" if isinstance(territory, Epci) else "department"


def territory_filter(territory) -> dict:
    """The lookups of a territory's rows, CanteenStats or DeclarationStats (the same fields)."""
    if isinstance(territory, Epci):
        return epci_lookup(territory.code)
    return {"region_id": territory.pk} if isinstance(territory, Region) else {"department_id": territory.pk}


def epcis_of(department) -> list[dict]:
    """The EPCIs of a department's registered canteens, by name, with their canteen counts."""
    from django.db.models import Count

    rows = (
        CanteenStats.objects.filter(department_id=department.pk)
        .exclude(canteen__epci="")
        .values("canteen__epci", "canteen__epci_name")
        .annotate(count=Count("pk"))
        .order_by("canteen__epci_name")
    )
    return [{"code": row["canteen__epci"], "name": row["canteen__epci_name"], "canteens": row["count"]} for row in rows]


def last_published_campaign():
    return Campaign.objects.filter(publication__isnull=False).order_by("-year").first()


def pending_campaign(published):
    """The most recent campaign whose results are not published yet (newer than the published one)."""
    pending = Campaign.objects.filter(publication__isnull=True).order_by("-year")
    if published is not None:
        pending = pending.filter(year__gt=published.year)
    return pending.first()


def rate_text(value, lang=None):
    lang = lang or translation.get_language() or "fr"
    return "—" if value is None else formatting.rate(value, lang)


def share(part, whole):
    from decimal import Decimal

    from egalim.rules import percent

    return None if not whole else percent(Decimal(part), Decimal(whole))


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str
    text_x: float
    text_y: float


@dataclass
class Chart:
    id: str
    title: str
    description: str
    series: list  # [(name, colour)]
    width: int = 640
    height: int = 0
    labels: list = field(default_factory=list)  # [(x, y, text)]
    bars: list = field(default_factory=list)


def bar_chart(chart_id, title, description, series, groups, *, bar_max=540) -> Chart:
    """Horizontal bars (0–100 %): `groups` is [(label, [value per series])], values are Decimal percents.
    Each group's label is on its own line, its bars below, each followed by its value."""
    chart = Chart(chart_id, title, description, series)
    bar_height, y = 16, 0
    for label, values in groups:
        y += 18
        chart.labels.append((0, y - 4, label))
        for (_name, colour), value in zip(series, values, strict=True):
            width = 0 if value is None else round(float(max(0, min(100, value))) * bar_max / 100, 1)
            chart.bars.append(Bar(0, y, width, bar_height, colour, rate_text(value), width + 6, y + 12))
            y += bar_height + 3
        y += 10
    chart.height = int(y)
    return chart


def dashboard(territory) -> dict:
    scope = territory_filter(territory)
    counts = canteen_counts(CanteenStats.objects.filter(**scope), by_category=True)
    level = level_of(territory)
    # The national figures are the same on every dashboard: computed once per NATIONAL_CACHE_SECONDS.
    national_counts = cache.get_or_set(
        "territories:national-counts", lambda: canteen_counts(CanteenStats.objects.all()), NATIONAL_CACHE_SECONDS
    )
    campaign = last_published_campaign()
    context = {
        "territory": territory,
        "is_region": level == "region",
        "level": level,
        "canteens": counts["canteens"],
        "published_canteens": counts["listed_canteens"],
        "national_canteens": national_counts["canteens"],
        "campaign": campaign,
        "pending_campaign": pending_campaign(campaign),
        "departments": list(territory.departments.order_by("code")) if level == "region" else [],
        "epcis": epcis_of(territory) if level == "department" else [],
    }
    if campaign is None:
        return context
    declarations = DeclarationStats.objects.filter(year=campaign.year, **territory_filter(territory))
    local = pooled(declarations, by_category=True)
    national = cache.get_or_set(
        f"territories:national-{campaign.year}",
        lambda: pooled(DeclarationStats.objects.filter(year=campaign.year)),
        NATIONAL_CACHE_SECONDS,
    )
    national = dict(national)
    local["share"] = share(local["declarations"], counts["canteens"])
    national["share"] = share(national["declarations"], national_counts["canteens"])
    rows = [
        (_("Part de bio (agrégée)"), "bio"),
        (_("Part EGAlim, bio compris (agrégée)"), "egalim"),
        (_("Part EGAlim des viandes et poissons (agrégée)"), "meat_fish_egalim"),
        (_("Déclarations atteignant leurs objectifs d'achats"), "met_share"),
        (_("Cantines inscrites ayant télédéclaré"), "share"),
    ]
    comparison = [
        {
            "label": label,
            "local": local[key],
            "national": national[key],
            "local_text": rate_text(local[key]),
            "national_text": rate_text(national[key]),
        }
        for label, key in rows
    ]
    categories = []
    for code, label in SECTOR_CATEGORIES.items():
        figures = local["categories"][code]
        categories.append(
            {
                "code": code,
                "label": str(label),
                "canteens": counts[code],
                "declarations": figures["declarations"],
                "bio": figures["bio"],
                "egalim": figures["egalim"],
                "met_share": figures["met_share"],
                "bio_text": rate_text(figures["bio"]),
                "egalim_text": rate_text(figures["egalim"]),
                "met_share_text": rate_text(figures["met_share"]),
            }
        )
    name = str(territory.name)
    series = [(name, TERRITORY_COLOUR), (_("France entière"), NATIONAL_COLOUR)]
    context.update(
        share_text=rate_text(local["share"]),
        met_share_text=rate_text(local["met_share"]),
        local=local,
        national=national,
        comparison=comparison,
        categories=categories,
        comparison_chart=bar_chart(
            "comparaison",
            _("%(territory)s et France entière, campagne %(year)s") % {"territory": name, "year": campaign.year},
            _(
                "Barres horizontales de 0 à 100 % : pour chaque indicateur, le territoire puis la France entière. "
                "Les valeurs figurent dans le tableau qui suit."
            ),
            series,
            [(row["label"], [row["local"], row["national"]]) for row in comparison],
        ),
        category_chart=bar_chart(
            "secteurs",
            _("Part EGAlim et part de bio par catégorie de secteur, %(territory)s, campagne %(year)s")
            % {"territory": name, "year": campaign.year},
            _(
                "Barres horizontales de 0 à 100 % : pour chaque catégorie de secteur, la part EGAlim puis la part "
                "de bio agrégées. Les valeurs figurent dans le tableau qui suit."
            ),
            [(_("Part EGAlim"), TERRITORY_COLOUR), (_("Part de bio"), "#18753c")],
            [(row["label"], [row["egalim"], row["bio"]]) for row in categories if row["declarations"]],
        ),
    )
    return context
