"""The campaign's statistical report (« bilan statistique » for the report to Parliament): participation, pooled
rates (bio, EGAlim, meat & fish EGAlim, French origin of meat & fish) by sector category, management type,
production type and region, share of declarations meeting each objective, with the method stated.

Method: one declaration in force per canteen (the latest submitted version); pooled rates are sums of declared
amounts over sums of totals, each over the declarations that gave both; a satellite declared by its central
kitchen is counted in participation but its amounts are the central kitchen's, counted once; declarations
whose cost per meal lies outside the rules' plausibility band are outliers, excluded from the pooled rates
and counted apart. Published only once an administrator published the campaign (`CampaignPublication`).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from canteens.choices import SECTOR_CATEGORIES, SECTORS, Management, Production
from canteens.models import Canteen, Teledeclaration
from egalim.declaration import COST_PER_MEAL_BAND

RATES = {
    "bio": ("bio", "total", _("Part de bio")),
    "egalim": ("egalim", "total", _("Part EGAlim (bio compris)")),
    "meat_fish_egalim": ("meat_fish_egalim", "meat_fish_total", _("Part EGAlim des viandes et poissons")),
    "meat_fish_france": ("meat_fish_france", "meat_fish_total", _("Part d'origine France des viandes et poissons")),
}
OBJECTIVES = {"quality": _("Qualité des produits (EGAlim)"), "waste": _("Gaspillage"), "plastic": _("Plastique")}
METHOD = _(
    "Une déclaration en vigueur par cantine (la dernière version envoyée). Taux agrégés : somme des montants "
    "déclarés sur somme des totaux, sur les déclarations qui donnent les deux. Un satellite déclaré par sa cuisine "
    "centrale compte dans la participation, ses montants sont ceux de la cuisine centrale, comptés une fois. "
    "Valeurs aberrantes : les déclarations dont le coût des denrées par repas sort de l'intervalle de "
    "vraisemblance des règles (%(low)s € à %(high)s €) sont exclues des taux et comptées à part."
)


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def declaration_amounts(snapshot) -> dict:
    """The amounts a declaration's snapshot carries (what was declared), None when blank."""
    inputs = snapshot.get("inputs") or {}
    purchases = inputs.get("purchases") or {}
    declared = inputs.get("declared") or {}
    amounts = {name: _decimal(purchases.get(name)) for name in purchases}
    parts = [amounts.get(name) for name in ("bio", "siqo", "environmental", "other_egalim")]
    amounts["egalim"] = None if any(part is None for part in parts) else sum(parts, Decimal(0))
    france = [_decimal(declared.get("meat_poultry_france")), _decimal(declared.get("fish_seafood_france"))]
    amounts["meat_fish_france"] = None if any(part is None for part in france) else sum(france, Decimal(0))
    return amounts


def is_outlier(snapshot) -> bool:
    cost = _decimal(snapshot.get("cost_per_meal"))
    low, high = COST_PER_MEAL_BAND
    return cost is not None and not low <= cost <= high


class Pool:
    def __init__(self):
        self.declarations = 0
        self.sums = {key: [Decimal(0), Decimal(0)] for key in RATES}
        self.met = dict.fromkeys(OBJECTIVES, 0)

    def add(self, amounts, measures):
        self.declarations += 1
        for key, (part, whole, _label) in RATES.items():
            if amounts.get(part) is not None and amounts.get(whole):
                self.sums[key][0] += amounts[part]
                self.sums[key][1] += amounts[whole]
        for code in OBJECTIVES:
            if (measures.get(code) or {}).get("status") == "met":
                self.met[code] += 1

    def figures(self) -> dict:
        rates = {
            key: (part * 100 / whole).quantize(Decimal("0.01")) if whole else None
            for key, (part, whole) in self.sums.items()
        }
        met = {
            code: (Decimal(count * 100) / self.declarations).quantize(Decimal("0.01")) if self.declarations else None
            for code, count in self.met.items()
        }
        return {"declarations": self.declarations, "rates": rates, "objectives": met}


def campaign_report(campaign) -> dict:
    """Every figure of the report, computed from the declarations in force (no cache: a closed campaign)."""
    from .models import Department

    year = campaign.year
    regions = dict(Department.objects.exclude(region=None).values_list("code", "region__name"))
    registered = Canteen.objects.count()
    declarations = (
        Teledeclaration.objects.submitted()
        .filter(year=year)
        .order_by("canteen_id")
        .only("snapshot", "central_declaration")
    )
    groups = {
        "category": {code: Pool() for code in SECTOR_CATEGORIES},
        "management": {code: Pool() for code in Management.values},
        "production": {code: Pool() for code in Production.values},
        "region": {},
    }
    national = Pool()
    participating = outliers = by_central = 0
    for declaration in declarations.iterator(chunk_size=500):
        participating += 1
        if declaration.central_declaration_id is not None:
            by_central += 1
            continue
        snapshot = declaration.snapshot or {}
        if is_outlier(snapshot):
            outliers += 1
            continue
        canteen = snapshot.get("canteen") or {}
        amounts = declaration_amounts(snapshot)
        measures = (snapshot.get("results") or {}).get("measures") or {}
        national.add(amounts, measures)
        categories = {SECTORS[code][0] for code in canteen.get("sectors") or [] if code in SECTORS}
        for category in categories:
            groups["category"][category].add(amounts, measures)
        for key, value in (
            ("management", canteen.get("management_type")),
            ("production", canteen.get("production_type")),
        ):
            if value in groups[key]:
                groups[key][value].add(amounts, measures)
        region = regions.get(canteen.get("department"))
        if region:
            groups["region"].setdefault(region, Pool()).add(amounts, measures)
    labels = {
        "category": {code: str(label) for code, label in SECTOR_CATEGORIES.items()},
        "management": {code: str(label) for code, label in Management.choices},
        "production": {code: str(label) for code, label in Production.choices},
    }
    tables = {}
    for key, pools in groups.items():
        names = labels.get(key) or {name: name for name in pools}
        tables[key] = [
            {"code": code, "label": names.get(code, code), **pool.figures()}
            for code, pool in sorted(pools.items(), key=lambda item: str(names.get(item[0], item[0])))
            if pool.declarations
        ]
    low, high = COST_PER_MEAL_BAND
    return {
        "year": year,
        "campaign": campaign,
        "registered": registered,
        "participating": participating,
        "participation": (Decimal(participating * 100) / registered).quantize(Decimal("0.01")) if registered else None,
        "declared_by_central": by_central,
        "outliers": outliers,
        "national": national.figures(),
        "tables": tables,
        "rate_labels": {key: str(label) for key, (_p, _w, label) in RATES.items()},
        "objective_labels": {code: str(label) for code, label in OBJECTIVES.items()},
        "method": str(METHOD) % {"low": f"{low:.2f}".replace(".", ","), "high": f"{high:.0f}"},
    }


TABLE_TITLES = {
    "category": _("Par catégorie de secteur"),
    "management": _("Par mode de gestion"),
    "production": _("Par type de production"),
    "region": _("Par région"),
}


def report_rows(report):
    """Flat rows for CSV/XLSX: group, code, label, declarations, each rate, each objective share."""
    header = ["groupe", "code", "libelle", "declarations"] + [f"taux_{key}" for key in RATES]
    header += [f"objectif_{code}" for code in OBJECTIVES]
    rows = [["national", "", "France entière", report["national"]["declarations"]]]
    rows[0] += [report["national"]["rates"][key] for key in RATES]
    rows[0] += [report["national"]["objectives"][code] for code in OBJECTIVES]
    for group, table in report["tables"].items():
        for row in table:
            rows.append(
                [group, row["code"], row["label"], row["declarations"]]
                + [row["rates"][key] for key in RATES]
                + [row["objectives"][code] for code in OBJECTIVES]
            )
    return header, rows
