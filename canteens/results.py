"""What the pages show of a diagnostic: the rules' evaluation, formatted for display, and the yearly history."""

from decimal import Decimal

from django.utils import translation

from diagnostic.rules import LABEL_GROUPS, MET, NOT_MET, percent
from diagnostic.rules import formatting as fmt

STATUS_LABELS = {
    MET: ("Objectif atteint", "Target met"),
    NOT_MET: ("À améliorer", "To improve"),
    "incomplete": ("À compléter", "To complete"),
}
STATUS_BADGES = {MET: "success", NOT_MET: "warning", "incomplete": "info"}


def _lang(lang=None):
    return lang or translation.get_language() or "fr"


def egalim_excluding_bio(evaluation) -> Decimal | None:
    """Share of EGAlim purchases other than organic (the poster shows bio and "EGAlim hors bio")."""
    purchases = evaluation.input.purchases
    if purchases.egalim is None or purchases.bio is None or not purchases.total:
        return None
    return percent(purchases.egalim - purchases.bio, purchases.total)


def display_rate(value, lang=None):
    return "—" if value is None else fmt.rate(value, _lang(lang))


def summary(evaluation, lang=None) -> dict:
    """Rates, thresholds, measures and gaps of an evaluation, ready for a template or a PDF."""
    lang = _lang(lang)
    english = lang.startswith("en")
    rates = evaluation.rates
    applied = evaluation.applied_thresholds
    return {
        "year": evaluation.thresholds.year,
        "rates": {
            "bio": display_rate(rates["bio"], lang),
            "egalim": display_rate(rates["egalim"], lang),
            "egalim_excluding_bio": display_rate(egalim_excluding_bio(evaluation), lang),
            "meat_fish_egalim": display_rate(rates["meat_fish_egalim"], lang),
        },
        "raw_rates": {**rates, "egalim_excluding_bio": egalim_excluding_bio(evaluation)},
        "thresholds": {
            name: (None if value is None else fmt.threshold(value, lang)) for name, value in applied.items()
        },
        "measures": [
            {
                "code": code,
                "label": result.label_for(lang),
                "status": result.status,
                "status_label": STATUS_LABELS[result.status][1 if english else 0],
                "badge": STATUS_BADGES[result.status],
                "missing": list(result.missing),
                "gaps": [
                    {
                        "code": gap.code,
                        "label": gap.label_for(lang),
                        "detail": gap.detail_for(lang),
                        "resources_url": gap.gap.resources_url(),
                    }
                    for gap in result.gaps
                ],
            }
            for code, result in evaluation.measures.items()
        ],
        "labels": [
            {
                "group": group.label_for(lang),
                "labels": [label.label_for(lang) for label in group.labels_in(evaluation.thresholds.year)],
            }
            for group in LABEL_GROUPS.values()
        ],
    }


def history(canteen, diagnostics, lang=None):
    """One row per year, most recent first: the three rates of each diagnostic."""
    rows = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.year, reverse=True):
        evaluation = diagnostic.evaluate(canteen)
        rows.append(
            {
                "diagnostic": diagnostic,
                "year": diagnostic.year,
                "bio": display_rate(evaluation.rates["bio"], lang),
                "egalim": display_rate(evaluation.rates["egalim"], lang),
                "meat_fish_egalim": display_rate(evaluation.rates["meat_fish_egalim"], lang),
                "met": sum(1 for result in evaluation.measures.values() if result.status == MET),
            }
        )
    return rows
