"""The yearly history of a canteen's diagnostics, as its pages show it.

The figures of one year (poster, public page): diagnostic/summary.py."""

from diagnostic.summary import display_rate
from egalim.rules import MET


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
