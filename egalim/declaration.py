"""What a teledeclaration must contain, by data year: the campaign's table of mandatory values, written once.

Pure Python (no models). `missing(values, context)` lists what a declaration lacks, `warnings(values, context)`
the implausible values that need an explicit confirmation. Both are used by the declaration page, the API
(`POST /api/v1/canteens/<id>/declarations/`) and the tests (`tests/diagnostic/declaration_cases.py`).

`values` is a flat mapping of the declared fields (the yearly diagnostic's names: `total`, `bio`,
`meat_poultry_total`…, `vegetarian_menu_type`…) plus `answers` (the rules' answers by measure) and
`family_detail` (the detailed table). Blank is `None` (or "" / [] for texts and lists, see `is_blank`);
**0 is a value**: a declared zero is never missing.

Adding a campaign's rules: append rows with `since=<first data year>` (and close old ones with `until`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .answers import DIVERSIFICATION_PLAN_DAILY_MEALS, DONATION_AGREEMENT_DAILY_MEALS
from .families import FAMILIES
from .gaps import in_language

SIMPLE = "simple"
DETAILED = "detailed"
BOTH = frozenset({SIMPLE, DETAILED})

# Declaration modes (canteens.choices.DeclarationMode): who declares what.
SITE = "site"
CENTRAL_APPRO = "central_appro"
CENTRAL_ALL = "central_all"
SATELLITE_WITHOUT_APPRO = "satellite_without_appro"

# Plausibility band of the food cost per meal (euros excl. VAT): outside, probably a typo in the total or meals.
COST_PER_MEAL_BAND = (Decimal("0.50"), Decimal("20"))
# Declared total vs the sum of the purchases imported for that year: more than this relative gap is suspicious.
PURCHASES_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Context:
    year: int
    mode: str = SIMPLE  # SIMPLE or DETAILED
    declaration_mode: str = SITE
    daily_meals: int | None = None
    central_kitchen: bool = False  # a central kitchen with satellites


@dataclass(frozen=True)
class Row:
    """One mandatory value: `field` (flat name, `answers.<measure>.<name>` or `family_detail.<family>.<column>`),
    its label (a French source string, translated by gettext), the measure it belongs to, the data years and
    entry modes it applies to, and a condition on the context and values (`when`)."""

    field: str
    label: str
    measure: str
    since: int
    until: int | None = None
    modes: frozenset = BOTH
    when: str = "always"
    empty_list_answers: bool = False  # [] is an answer ("none of these"), not a blank

    def applies(self, values, context: Context) -> bool:
        if context.year < self.since or (self.until is not None and context.year > self.until):
            return False
        if context.mode not in self.modes:
            return False
        return CONDITIONS[self.when](values, context)


def _get(values, path):
    node = values
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def is_blank(value, empty_list_answers=False) -> bool:
    """None, an empty text, or an empty list unless the row says [] means "none" (waste actions)."""
    if isinstance(value, list | tuple):
        return not value and not empty_list_answers
    return value is None or (isinstance(value, str) and not value.strip())


def _supplies_declared(values, context):
    # A satellite whose central kitchen declares its purchases declares no purchase amounts itself.
    return context.declaration_mode != SATELLITE_WITHOUT_APPRO


CONDITIONS = {
    "always": lambda values, context: True,
    "appro": _supplies_declared,
    "donation": lambda values, context: (context.daily_meals or 0) > DONATION_AGREEMENT_DAILY_MEALS,
    "diversification_plan": lambda values, context: (context.daily_meals or 0) > DIVERSIFICATION_PLAN_DAILY_MEALS,
    "vegetarian_offered": lambda values, context: (
        _get(values, "answers.diversification.vegetarian_frequency") not in (None, "", "never")
    ),
    "informs_diners": lambda values, context: _get(values, "answers.information.informs_diners") is True,
    "central_kitchen": lambda values, context: context.central_kitchen,
}


def _family_cell(family, column):
    """ "Viandes et volailles : total", translated when it is read (not when the table is built)."""
    return lazy(lambda: _("%(family)s : %(column)s") % {"family": family, "column": column}, str)()


def _simple(field, label, since, until=None):
    return Row(field, label, "quality", since, until, frozenset({SIMPLE}), "appro")


_APPRO = [
    Row("total", _("Total des achats alimentaires HT"), "quality", 2022, when="appro"),
    _simple("bio", _("Achats bio HT"), 2024),
    _simple("siqo", _("Achats SIQO HT"), 2024),
    _simple("environmental", _("Achats critères environnementaux HT"), 2024),
    _simple("other_egalim", _("Autres achats EGAlim HT"), 2024),
    # Meat and fish: optional together until 2024 data; from 2025 data meat & poultry and fish & seafood apart.
    _simple("meat_poultry_total", _("Achats de viandes et volailles HT"), 2025),
    _simple("meat_poultry_egalim", _("Achats EGAlim de viandes et volailles HT"), 2025),
    _simple("fish_seafood_total", _("Achats de poissons et produits de la mer HT"), 2025),
    _simple("fish_seafood_egalim", _("Achats EGAlim de poissons et produits de la mer HT"), 2025),
]
# Detailed entry: every family's total and organic cell from 2024 data (a family without purchases says 0).
_DETAILED = [
    Row(
        f"family_detail.{family}.{column}",
        _family_cell(french, column_label),
        "quality",
        2024,
        modes=frozenset({DETAILED}),
        when="appro",
    )
    for family, french in FAMILIES.items()
    for column, column_label in (("total", _("total")), ("bio", _("bio")))
]
_ANSWERS = [
    Row("answers.waste.diagnostic_done", _("Diagnostic du gaspillage réalisé"), "waste", 2025),
    Row("has_waste_plan", _("Plan d'action contre le gaspillage"), "waste", 2025),
    Row(
        "answers.waste.actions",
        _("Actions contre le gaspillage"),
        "waste",
        2025,
        empty_list_answers=True,
    ),
    Row(
        "answers.waste.donation_agreement",
        _("Convention de dons alimentaires"),
        "waste",
        2025,
        when="donation",
    ),
    Row(
        "answers.diversification.plan",
        _("Plan pluriannuel de diversification des protéines"),
        "diversification",
        2025,
        when="diversification_plan",
    ),
    Row(
        "answers.diversification.vegetarian_frequency",
        _("Fréquence du menu végétarien"),
        "diversification",
        2025,
    ),
    Row(
        "vegetarian_menu_type",
        _("Type de menu végétarien"),
        "diversification",
        2025,
        when="vegetarian_offered",
    ),
    Row(
        "answers.plastic.cooking_containers",
        _("Contenants de cuisson en plastique"),
        "plastic",
        2025,
    ),
    Row(
        "answers.plastic.serving_containers",
        _("Contenants de service en plastique"),
        "plastic",
        2025,
    ),
    Row("answers.plastic.bottles", _("Bouteilles en plastique"), "plastic", 2025),
    Row("answers.plastic.tableware", _("Ustensiles en plastique"), "plastic", 2025),
    Row(
        "answers.information.informs_diners",
        _("Information des convives"),
        "information",
        2025,
    ),
    Row(
        "communication_supports",
        _("Moyens d'information des convives"),
        "information",
        2025,
        when="informs_diners",
    ),
]
_CENTRAL = [
    Row(
        "central_kitchen_mode",
        _("Données déclarées pour les satellites"),
        "quality",
        2024,
        when="central_kitchen",
    ),
]

TABLE: tuple[Row, ...] = tuple(_APPRO + _DETAILED + _ANSWERS + _CENTRAL)


# Declared amounts that are never mandatory, for the warnings' messages.
OTHER_LABELS = {
    "meat_fish_total": _("Achats de viandes et poissons HT"),
    "meat_fish_egalim": _("Achats EGAlim de viandes et poissons HT"),
    "meat_poultry_france": _("Achats de viandes et volailles d'origine France"),
    "fish_seafood_france": _("Achats de poissons et produits de la mer d'origine France"),
}


@dataclass(frozen=True)
class Missing:
    field: str
    label: str
    measure: str

    def message(self, lang="fr") -> str:
        return in_language(_("Obligatoire pour la télédéclaration : %(label)s."), lang) % {"label": self.label}


@dataclass(frozen=True)
class Warning:
    code: str
    field: str
    message: str
    figures: dict = field(default_factory=dict)


def required_fields(context: Context, values=None) -> list[Row]:
    """The rows that apply to this declaration (in the table's order)."""
    values = values or {}
    return [row for row in TABLE if row.applies(values, context)]


def missing(values, context: Context, lang="fr") -> list[Missing]:
    """Every mandatory value left blank; an empty list means the declaration is complete."""
    result = []
    for row in required_fields(context, values):
        if is_blank(_get(values, row.field), row.empty_list_answers):
            label = in_language(row.label, lang)
            result.append(Missing(row.field, label, row.measure))
    if context.declaration_mode != SATELLITE_WITHOUT_APPRO:
        total = _get(values, "total")
        if total is not None and Decimal(total) <= 0 and context.year >= 2022:
            label = in_language(_("Total des achats (supérieur à 0)"), lang)
            result.insert(0, Missing("total", label, "quality"))
    return result


def _label(name, lang) -> str:
    if name == "total":
        return in_language(_("le total des achats"), lang)
    if name in OTHER_LABELS:
        return in_language(OTHER_LABELS[name], lang)
    row = next((row for row in TABLE if row.field == name), None)
    if row is None:
        return name
    return in_language(row.label, lang)


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def _fmt(value) -> str:
    return f"{value:.2f}".replace(".", ",")


def _limit(value) -> str:
    """A band limit as people write it: 20, 0,50."""
    return str(int(value)) if value == int(value) else _fmt(value)


def warnings(values, context: Context, *, yearly_meals=None, imported_total=None, lang="fr") -> list[Warning]:
    """Implausible values: accepted only when the declarant confirms them (by their codes)."""
    found = []

    def add(code, field_name, text, **figures):
        text = in_language(text, lang)
        found.append(Warning(code, field_name, text % figures, figures))

    total = _decimal(_get(values, "total"))
    if total is not None and total > 0 and yearly_meals:
        cost = (total / Decimal(yearly_meals)).quantize(Decimal("0.01"))
        low, high = COST_PER_MEAL_BAND
        # exact comparisons (cross-multiplied): 20.004 € a meal is above 20 € even if it shows as 20,00 €
        if total > high * yearly_meals:
            add(
                "cost_per_meal_high",
                "total",
                _(
                    "Le coût des denrées par repas est de %(cost)s €, au-dessus de %(limit)s € : vérifiez le total "
                    "des achats et le nombre de couverts par an."
                ),
                cost=_fmt(cost),
                limit=_limit(high),
            )
        elif total < low * yearly_meals:
            add(
                "cost_per_meal_low",
                "total",
                _(
                    "Le coût des denrées par repas est de %(cost)s €, en dessous de %(limit)s € : vérifiez le total "
                    "des achats et le nombre de couverts par an."
                ),
                cost=_fmt(cost),
                limit=_limit(low),
            )
    parts = [_decimal(_get(values, name)) for name in ("bio", "siqo", "environmental", "other_egalim")]
    bio = parts[0]
    egalim = None if any(part is None for part in parts) else sum(parts, Decimal(0))
    if bio is not None and egalim is not None and bio > egalim:
        add(
            "bio_above_egalim",
            "bio",
            _("Les achats bio (%(bio)s €) dépassent le total des achats EGAlim (%(egalim)s €)."),
            bio=_fmt(bio),
            egalim=_fmt(egalim),
        )
    if total is not None and egalim is not None and egalim > total:
        add(
            "egalim_above_total",
            "total",
            _("Les achats EGAlim (%(egalim)s €) dépassent le total des achats (%(total)s €)."),
            egalim=_fmt(egalim),
            total=_fmt(total),
        )
    for part, whole, code in (
        ("bio_fair_trade", "bio", "fair_trade_above_bio"),
        ("other_egalim_fair_trade", "other_egalim", "fair_trade_above_other_egalim"),
    ):
        part_value, whole_value = _decimal(_get(values, part)), _decimal(_get(values, whole))
        if part_value is not None and whole_value is not None and part_value > whole_value:
            add(
                code,
                part,
                _("La part en commerce équitable (%(part)s €) dépasse les achats dont elle fait partie (%(whole)s €)."),
                part=_fmt(part_value),
                whole=_fmt(whole_value),
            )
    meat_checks = [
        ("meat_fish_total", "total", "meat_above_total"),
        ("meat_poultry_total", "total", "meat_above_total"),
        ("fish_seafood_total", "total", "fish_above_total"),
        ("meat_poultry_egalim", "meat_poultry_total", "meat_egalim_above_meat"),
        ("meat_poultry_france", "meat_poultry_total", "meat_france_above_meat"),
        ("fish_seafood_egalim", "fish_seafood_total", "fish_egalim_above_fish"),
        ("fish_seafood_france", "fish_seafood_total", "fish_france_above_fish"),
        ("meat_fish_egalim", "meat_fish_total", "meat_fish_egalim_above_meat_fish"),
    ]
    seen = set()
    for part, whole, code in meat_checks:
        part_value, whole_value = _decimal(_get(values, part)), _decimal(_get(values, whole))
        if part_value is not None and whole_value is not None and part_value > whole_value and code not in seen:
            seen.add(code)
            add(
                code,
                part,
                _("%(part_label)s (%(part)s €) dépasse %(whole_label)s (%(whole)s €)."),
                part_label=_label(part, lang),
                whole_label=_label(whole, lang),
                part=_fmt(part_value),
                whole=_fmt(whole_value),
            )
    if total is not None and imported_total:
        imported_total = Decimal(imported_total)
        if abs(total - imported_total) > imported_total * PURCHASES_TOLERANCE:
            add(
                "total_differs_from_purchases",
                "total",
                _(
                    "Le total déclaré (%(total)s €) s'écarte de plus de 1 %% de la somme des achats importés pour "
                    "l'année (%(imported)s €)."
                ),
                total=_fmt(total),
                imported=_fmt(imported_total),
            )
    return found
