"""EGAlim rules: the only place in the code where the law's facts live (thresholds, labels, gaps).

Year-versioned: every rule that changes over time is looked up with the data year.
"""

from .gaps import GAPS, MEASURES, Gap, gap_choices, get_gap

__all__ = ["GAPS", "MEASURES", "Gap", "gap_choices", "get_gap"]
