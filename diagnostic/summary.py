"""What a poster or a public page shows of the rules' evaluation of a year: rates, thresholds and measure statuses,
formatted in the active language. Canteen-independent: the anonymous diagnostic's poster uses it too."""

from decimal import Decimal

from django.utils import translation

from egalim import formatting as fmt
from egalim.rules import LABEL_GROUPS, percent

from .presentation import STATUS_DISPLAY


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
    """Rates, thresholds, measure statuses and counted labels of an evaluation, for the poster and public page."""
    lang = _lang(lang)
    rates = evaluation.rates
    applied = evaluation.applied_thresholds
    result = {
        "year": evaluation.thresholds.year,
        "rates": {
            "bio": display_rate(rates["bio"], lang),
            "egalim": display_rate(rates["egalim"], lang),
            "egalim_excluding_bio": display_rate(egalim_excluding_bio(evaluation), lang),
            "meat_fish_egalim": display_rate(rates["meat_fish_egalim"], lang),
        },
        # True / False / None (unknown) per rate: the poster colours a figure green only when its target is met.
        "rates_met": dict(evaluation.rates_met),
        "thresholds": {
            name: (None if value is None else fmt.threshold(value, lang)) for name, value in applied.items()
        },
        "measures": [
            {
                "code": code,
                "label": result.label_for(lang),
                "status": result.status,
                "status_label": str(STATUS_DISPLAY[result.status][0]),
                "badge": STATUS_DISPLAY[result.status][1],
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
    result["measures_by_status"] = measures_by_status(result["measures"])
    return result


def measures_by_status(measures) -> list[dict]:
    """The measures grouped by status, in STATUS_DISPLAY's order (met, not met, incomplete): the poster writes each
    status once (« NON ATTEINT » five times in a row read as a verdict, issue 16)."""
    groups = []
    for status in STATUS_DISPLAY:
        labels = [measure["label"] for measure in measures if measure["status"] == status]
        if labels:
            groups.append({"status": status, "status_label": str(STATUS_DISPLAY[status][0]), "labels": labels})
    return groups
