"""`evaluate(DiagnosticInput) -> Evaluation`: the single entry point of the EGAlim rules.

Pure Python on validated input (see `diagnostic.validation`). Rates are exact `Decimal` values and every
comparison is exact (cross-multiplication, no rounding); rounding happens only for display.
Each condition is met, unmet (a gap) or unknown (an answer is missing); a measure is `not_met` as soon as one
of its conditions is unmet, `incomplete` when none is unmet but some are unknown, `met` otherwise.
"""

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override

from . import formatting
from .answers import DIVERSIFICATION_PLAN_DAILY_MEALS, DONATION_AGREEMENT_DAILY_MEALS, WEEKLY_OR_MORE
from .gaps import GAPS, MEASURES, Gap, in_language, measure_label
from .thresholds import Thresholds, thresholds_for

MET = "met"
NOT_MET = "not_met"
INCOMPLETE = "incomplete"
STATUSES = (MET, NOT_MET, INCOMPLETE)

PURCHASE_FIELDS = ("total", "bio", "siqo", "environmental", "other_egalim", "meat_fish_total", "meat_fish_egalim")
LABEL_GROUP_FIELDS = ("bio", "siqo", "environmental", "other_egalim")
RATES = ("bio", "egalim", "meat_fish_egalim")


@dataclass(frozen=True)
class Purchases:
    """Purchases of the year, in euros excluding VAT; None when not given."""

    total: Decimal | None = None
    bio: Decimal | None = None
    siqo: Decimal | None = None
    environmental: Decimal | None = None
    other_egalim: Decimal | None = None
    meat_fish_total: Decimal | None = None
    meat_fish_egalim: Decimal | None = None

    @property
    def egalim(self) -> Decimal | None:
        """Bio + SIQO + environmental + other EGAlim (organic counts inside EGAlim); None if a part is missing."""
        parts = [getattr(self, name) for name in LABEL_GROUP_FIELDS]
        return None if any(part is None for part in parts) else sum(parts, Decimal(0))


@dataclass(frozen=True)
class WasteAnswers:
    diagnostic_done: bool | None = None
    actions: tuple[str, ...] | None = None  # codes of answers.WASTE_ACTIONS; () means "no action"
    donation_agreement: bool | None = None


@dataclass(frozen=True)
class DiversificationAnswers:
    plan: bool | None = None
    vegetarian_frequency: str | None = None  # a code of answers.VEGETARIAN_FREQUENCIES
    menu_choice: bool | None = None  # does the restaurant offer a choice of menus?
    daily_vegetarian_option: bool | None = None


@dataclass(frozen=True)
class PlasticAnswers:
    """True when the plastic item has been done away with."""

    cooking_containers: bool | None = None  # cooking and heating containers
    serving_containers: bool | None = None
    bottles: bool | None = None
    tableware: bool | None = None


@dataclass(frozen=True)
class InformationAnswers:
    informs_diners: bool | None = None


@dataclass(frozen=True)
class DiagnosticInput:
    year: int
    department: str
    state_restaurant: bool | None = None
    daily_meals: int | None = None
    purchases: Purchases = field(default_factory=Purchases)
    waste: WasteAnswers = field(default_factory=WasteAnswers)
    diversification: DiversificationAnswers = field(default_factory=DiversificationAnswers)
    plastic: PlasticAnswers = field(default_factory=PlasticAnswers)
    information: InformationAnswers = field(default_factory=InformationAnswers)

    @classmethod
    def from_dict(cls, data) -> "DiagnosticInput":
        """Build from the API's JSON shape (no validation: use `diagnostic.validation` for untrusted data)."""
        purchases = data.get("purchases") or {}
        answers = data.get("answers") or {}

        def decimal(value):
            return None if value is None else Decimal(str(value))

        waste = answers.get("waste") or {}
        actions = waste.get("actions")
        plastic = dict(answers.get("plastic") or {})
        containers = plastic.pop("containers", None)
        if containers is not None:  # shorthand for both kinds of containers
            plastic.setdefault("cooking_containers", containers)
            plastic.setdefault("serving_containers", containers)
        return cls(
            year=data["year"],
            department=data["department"],
            state_restaurant=data.get("state_restaurant"),
            daily_meals=data.get("daily_meals"),
            purchases=Purchases(**{name: decimal(purchases.get(name)) for name in PURCHASE_FIELDS}),
            waste=WasteAnswers(
                diagnostic_done=waste.get("diagnostic_done"),
                actions=None if actions is None else tuple(actions),
                donation_agreement=waste.get("donation_agreement"),
            ),
            diversification=DiversificationAnswers(**(answers.get("diversification") or {})),
            plastic=PlasticAnswers(**plastic),
            information=InformationAnswers(**(answers.get("information") or {})),
        )


@dataclass(frozen=True)
class GapResult:
    gap: Gap
    # For rate gaps: the purchases (euros excl. VAT) still to convert, and the missing percentage points.
    missing_amount: Decimal | None = None
    missing_points: Decimal | None = None
    subject: str | None = None  # what is missing, translatable: _("d'achats bio")

    @property
    def code(self) -> str:
        return self.gap.code

    @property
    def measure(self) -> str:
        return self.gap.measure

    def label_for(self, lang: str | None = "fr") -> str:
        return self.gap.label_for(lang)

    def detail_for(self, lang: str | None = "fr") -> str:
        """ "Il manque 4 200 € HT d'achats bio, soit 4,2 points." for rate gaps, "" otherwise."""
        if self.missing_amount is None or self.subject is None:
            return ""
        amount = formatting.amount(self.missing_amount, lang)
        points = formatting.points(self.missing_points, lang)
        # gettext's plural rules take whole numbers: the catalogue's rule picks the form for the integer part of
        # the points shown (French « 0,1 point », « 1,5 point », « 2,0 points », its plural rule in the project's
        # French catalogue, locale/fr; English shows every number of points with a decimal, always plural).
        whole = int(formatting.ceil(self.missing_points, 1))
        with override(formatting.language_code(lang)):
            # Translators: %(points)s always has one decimal ("1.0", "4.2"): English reads it as plural in both forms.
            sentence = ngettext(
                "Il manque %(amount)s HT %(subject)s, soit %(points)s point.",
                "Il manque %(amount)s HT %(subject)s, soit %(points)s points.",
                whole,
            )
        return sentence % {
            "amount": amount,
            "subject": in_language(self.subject, lang),
            "points": points,
        }


@dataclass(frozen=True)
class MeasureResult:
    code: str
    status: str
    gaps: tuple[GapResult, ...] = ()
    missing: tuple[str, ...] = ()  # input paths ("purchases.total", "answers.waste.actions") still unanswered

    def label_for(self, lang: str | None = "fr") -> str:
        return measure_label(self.code, lang)


@dataclass(frozen=True)
class Evaluation:
    input: DiagnosticInput
    thresholds: Thresholds
    rates: dict  # "bio" | "egalim" | "meat_fish_egalim" → exact Decimal percent, or None when not computable
    applied_thresholds: dict  # same keys → Decimal percent, or None when the condition does not apply
    measures: dict  # measure code → MeasureResult, in the law's order
    # same keys → True / False when the rate reaches / misses its threshold, None when that cannot be told (no
    # rate, no threshold, or meat and fish between the two thresholds of a restaurant whose State status is unknown)
    rates_met: dict

    @property
    def gaps(self) -> list[GapResult]:
        return [gap for measure in self.measures.values() for gap in measure.gaps]

    @property
    def territory_group(self) -> str:
        return self.thresholds.territory_group

    def as_dict(self, lang: str | None = "fr", resources_base: str = "/ressources/") -> dict:
        """The JSON representation of the API: rates truncated to two decimals, as strings."""

        def rate(value):
            return None if value is None else f"{formatting.truncate(value, 2):.2f}"

        def threshold(value):
            return None if value is None else formatting.plain(value)

        def gap(result):
            return {
                "code": result.code,
                "measure": result.measure,
                "label": result.label_for(lang),
                "resources_url": result.gap.resources_url(resources_base),
                "missing_amount": None if result.missing_amount is None else f"{result.missing_amount:.2f}",
                "missing_points": None
                if result.missing_points is None
                else f"{formatting.ceil(result.missing_points, 2):.2f}",
                "detail": result.detail_for(lang),
            }

        return {
            "year": self.thresholds.year,
            "department": self.thresholds.department,
            "territory_group": self.thresholds.territory_group,
            "rates": {name: rate(self.rates[name]) for name in RATES},
            "thresholds": {name: threshold(self.applied_thresholds[name]) for name in RATES},
            "measures": {
                code: {
                    "status": result.status,
                    "label": result.label_for(lang),
                    "gaps": [gap_result.code for gap_result in result.gaps],
                    "missing": list(result.missing),
                }
                for code, result in self.measures.items()
            },
            "gaps": [gap(result) for result in self.gaps],
        }


class _Checks:
    """Collects the outcome of a measure's conditions."""

    def __init__(self, measure):
        self.measure = measure
        self.gaps = []
        self.missing = []

    def gap(self, code, **details):
        self.gaps.append(GapResult(GAPS[code], **details))

    def unknown(self, *paths):
        for path in paths:
            if path not in self.missing:
                self.missing.append(path)

    def result(self) -> MeasureResult:
        status = NOT_MET if self.gaps else INCOMPLETE if self.missing else MET
        order = list(GAPS)
        gaps = tuple(sorted(self.gaps, key=lambda gap: order.index(gap.code)))
        return MeasureResult(self.measure, status, gaps, tuple(self.missing))


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole in percent, exact up to 40 significant digits and never rounded up."""
    with localcontext() as context:
        context.prec = 40
        context.rounding = "ROUND_DOWN"
        return part * 100 / whole


def _rate_check(checks, code, part, whole, threshold, subject) -> bool:
    """part / whole ≥ threshold %, compared exactly: part × 100 ≥ threshold × whole; a gap when it is not."""
    if part * 100 >= threshold * whole:
        return True
    with localcontext() as context:
        context.prec = 40
        missing_amount = formatting.ceil(threshold * whole / 100 - part, 2)
        missing_points = threshold - percent(part, whole)
    checks.gap(code, missing_amount=missing_amount, missing_points=missing_points, subject=subject)
    return False


def _quality(data: DiagnosticInput, thresholds: Thresholds):
    purchases = data.purchases
    checks = _Checks("quality")
    rates = dict.fromkeys(RATES)
    met = dict.fromkeys(RATES)
    applied = {"bio": thresholds.bio, "egalim": thresholds.egalim, "meat_fish_egalim": None}
    total = purchases.total

    if total is None or total <= 0:
        checks.unknown("purchases.total")
    if purchases.bio is None:
        checks.unknown("purchases.bio")
    elif total is not None and total > 0:
        rates["bio"] = percent(purchases.bio, total)
        subject = _("d'achats bio")
        met["bio"] = _rate_check(checks, "quality.bio_below_threshold", purchases.bio, total, thresholds.bio, subject)

    egalim = purchases.egalim
    if egalim is None:
        checks.unknown(*(f"purchases.{name}" for name in LABEL_GROUP_FIELDS if getattr(purchases, name) is None))
    elif total is not None and total > 0:
        rates["egalim"] = percent(egalim, total)
        met["egalim"] = _rate_check(
            checks,
            "quality.egalim_below_threshold",
            egalim,
            total,
            thresholds.egalim,
            _("d'achats durables et de qualité (EGAlim)"),
        )

    meat_fish_total, meat_fish_egalim = purchases.meat_fish_total, purchases.meat_fish_egalim
    known = meat_fish_total is not None and meat_fish_egalim is not None
    if known and meat_fish_total > 0:  # no meat or fish purchased (0): the rule has nothing to apply to
        rates["meat_fish_egalim"] = percent(meat_fish_egalim, meat_fish_total)
    if thresholds.meat_fish_standard is not None:  # the rule applies from data year 2024
        applied["meat_fish_egalim"] = thresholds.meat_fish(data.state_restaurant)
        if meat_fish_total is None:
            checks.unknown("purchases.meat_fish_total")
        if meat_fish_egalim is None:
            checks.unknown("purchases.meat_fish_egalim")
        if known and meat_fish_total > 0:
            decidable = True
            if data.state_restaurant is None:
                # Unknown status: decide when both thresholds give the same answer, otherwise ask.
                meets_state = meat_fish_egalim * 100 >= thresholds.meat_fish_state * meat_fish_total
                meets_standard = meat_fish_egalim * 100 >= thresholds.meat_fish_standard * meat_fish_total
                decidable = meets_state == meets_standard
                if not decidable:
                    checks.unknown("state_restaurant")
            if decidable:
                met["meat_fish_egalim"] = _rate_check(
                    checks,
                    "quality.meat_fish_below_threshold",
                    meat_fish_egalim,
                    meat_fish_total,
                    applied["meat_fish_egalim"],
                    _("d'achats EGAlim de viandes et poissons"),
                )
    return checks.result(), rates, applied, met


def _above(daily_meals, limit):
    """True / False when the number of daily meals is known, None otherwise."""
    return None if daily_meals is None else daily_meals > limit


def _waste(data: DiagnosticInput):
    answers = data.waste
    checks = _Checks("waste")
    if answers.diagnostic_done is False:
        checks.gap("waste.no_diagnostic")
    elif answers.diagnostic_done is None:
        checks.unknown("answers.waste.diagnostic_done")
    if answers.actions is None:
        checks.unknown("answers.waste.actions")
    elif not answers.actions:
        checks.gap("waste.no_action")
    if answers.donation_agreement is not True:
        required = _above(data.daily_meals, DONATION_AGREEMENT_DAILY_MEALS)
        if required is None:
            checks.unknown("daily_meals")
        if answers.donation_agreement is None and required is not False:
            checks.unknown("answers.waste.donation_agreement")
        if answers.donation_agreement is False and required:
            checks.gap("waste.no_donation_agreement")
    return checks.result()


def _diversification(data: DiagnosticInput):
    answers = data.diversification
    checks = _Checks("diversification")
    if answers.plan is not True:
        required = _above(data.daily_meals, DIVERSIFICATION_PLAN_DAILY_MEALS)
        if required is None:
            checks.unknown("daily_meals")
        if answers.plan is None and required is not False:
            checks.unknown("answers.diversification.plan")
        if answers.plan is False and required:
            checks.gap("diversification.no_plan")
    if answers.vegetarian_frequency is None:
        checks.unknown("answers.diversification.vegetarian_frequency")
    elif answers.vegetarian_frequency not in WEEKLY_OR_MORE:
        checks.gap("diversification.vegetarian_not_weekly")
    # A daily vegetarian option: State restaurants offering a choice of menus.
    if answers.daily_vegetarian_option is not True and data.state_restaurant is not False:
        if answers.menu_choice is not False:
            if data.state_restaurant is None:
                checks.unknown("state_restaurant")
            if answers.menu_choice is None:
                checks.unknown("answers.diversification.menu_choice")
            if answers.daily_vegetarian_option is None:
                checks.unknown("answers.diversification.daily_vegetarian_option")
            elif data.state_restaurant and answers.menu_choice:
                checks.gap("diversification.no_daily_option")
    return checks.result()


def _plastic(data: DiagnosticInput):
    answers = data.plastic
    checks = _Checks("plastic")
    containers = (answers.cooking_containers, answers.serving_containers)
    if False in containers:
        checks.gap("plastic.containers")
    else:
        if answers.cooking_containers is None:
            checks.unknown("answers.plastic.cooking_containers")
        if answers.serving_containers is None:
            checks.unknown("answers.plastic.serving_containers")
    for name, code in (("bottles", "plastic.bottles"), ("tableware", "plastic.tableware")):
        value = getattr(answers, name)
        if value is False:
            checks.gap(code)
        elif value is None:
            checks.unknown(f"answers.plastic.{name}")
    return checks.result()


def _information(data: DiagnosticInput):
    checks = _Checks("information")
    if data.information.informs_diners is False:
        checks.gap("information.not_informed")
    elif data.information.informs_diners is None:
        checks.unknown("answers.information.informs_diners")
    return checks.result()


def evaluate(data: DiagnosticInput) -> Evaluation:
    """Evaluate the five measures for a year and a department. Raises RuleInputError on an unknown one."""
    thresholds = thresholds_for(data.department, data.year)
    quality, rates, applied, rates_met = _quality(data, thresholds)
    measures = {
        "quality": quality,
        "waste": _waste(data),
        "diversification": _diversification(data),
        "plastic": _plastic(data),
        "information": _information(data),
    }
    assert list(measures) == list(MEASURES)
    return Evaluation(data, thresholds, rates, applied, measures, rates_met)
