"""The RGAA 4.1 audit behind the accessibility statement: the 106 criteria, their results and what the statement
and the footer derive from them.

RGAA's rules (« Obligations », statement of accessibility): the conformity rate is the share of applicable
criteria that are met, C / (C + NC); the site is « totalement conforme » when every criterion is met,
« partiellement conforme » from 50 %, « non conforme » below 50 % or when no audit gives a rate. Criteria not
tested yet are left out of the rate; an audit with untested criteria is partial and never « totalement
conforme ».
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Topic number → (label, number of criteria), RGAA 4.1.
TOPICS = {
    1: (_("Images"), 9),
    2: (_("Cadres"), 2),
    3: (_("Couleurs"), 3),
    4: (_("Multimédia"), 13),
    5: (_("Tableaux"), 8),
    6: (_("Liens"), 2),
    7: (_("Scripts"), 5),
    8: (_("Éléments obligatoires"), 10),
    9: (_("Structuration de l'information"), 4),
    10: (_("Présentation de l'information"), 14),
    11: (_("Formulaires"), 13),
    12: (_("Navigation"), 11),
    13: (_("Consultation"), 12),
}

CRITERIA = [f"{topic}.{n}" for topic, (_label, count) in TOPICS.items() for n in range(1, count + 1)]

CONFORM, NON_CONFORM, NOT_APPLICABLE, NOT_TESTED = "C", "NC", "NA", "NT"
RESULTS = [
    (CONFORM, _("Conforme")),
    (NON_CONFORM, _("Non conforme")),
    (NOT_APPLICABLE, _("Non applicable")),
    (NOT_TESTED, _("Non testé")),
]

TOTAL, PARTIAL, NONE = "total", "partial", "none"
LEVELS = {
    TOTAL: _("totalement conforme"),
    PARTIAL: _("partiellement conforme"),
    NONE: _("non conforme"),
}
FOOTER_LABELS = {
    TOTAL: _("Accessibilité : totalement conforme"),
    PARTIAL: _("Accessibilité : partiellement conforme"),
    NONE: _("Accessibilité : non conforme"),
}


def criterion_key(number):
    """Sort key of a criterion number: "10.2" after "9.4"; anything unparsable last."""
    try:
        topic, n = number.split(".")
        return (int(topic), int(n))
    except (AttributeError, ValueError):
        return (99, 99)


def topic_label(number):
    label, _count = TOPICS.get(criterion_key(number)[0], ("", 0))
    return label


@dataclass(frozen=True)
class AuditSummary:
    conform: int
    non_conform: int
    not_applicable: int
    not_tested: int

    @property
    def applicable(self):
        return self.conform + self.non_conform

    @property
    def tested(self):
        return self.conform + self.non_conform + self.not_applicable

    @property
    def partial_audit(self):
        """Some criteria are untested (or missing from the grid): the rate covers the tested ones only."""
        return self.not_tested > 0 or self.tested < len(CRITERIA)

    @property
    def rate(self):
        """C / (C + NC) in percent, rounded down to one decimal (never shows 100 % when one criterion fails);
        None without any applicable criterion tested."""
        if not self.applicable:
            return None
        return (self.conform * 1000 // self.applicable) / 10

    @property
    def level(self):
        if not self.applicable:
            return NONE
        if self.non_conform == 0 and not self.partial_audit:
            return TOTAL
        if 2 * self.conform >= self.applicable:
            return PARTIAL
        return NONE

    @property
    def level_label(self):
        return LEVELS[self.level]

    @property
    def footer_label(self):
        return FOOTER_LABELS[self.level]


def summarise_rows(rows):
    """AuditSummary of (number, result) pairs; a criterion entered twice counts once (its first row)."""
    results = {}
    for number, result in rows:
        results.setdefault(number, result)
    return summarise(results.values())


def summarise(results):
    """AuditSummary of an iterable of result codes (C, NC, NA, NT)."""
    results = list(results)
    return AuditSummary(
        conform=results.count(CONFORM),
        non_conform=results.count(NON_CONFORM),
        not_applicable=results.count(NOT_APPLICABLE),
        not_tested=sum(1 for result in results if result not in (CONFORM, NON_CONFORM, NOT_APPLICABLE)),
    )
