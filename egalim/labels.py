"""Label groups counted as EGAlim purchases, and which group a multi-labelled purchase counts in."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .gaps import in_language

# "Certification environnementale de niveau 2" counts as EGAlim (with HVE) until 31 December of this data year.
LEVEL_2_CERTIFICATION_LAST_YEAR = 2026


@dataclass(frozen=True)
class Label:
    code: str
    label: str
    last_year: int | None = None  # last data year the label counts, None: no end date

    def counts_in(self, year: int) -> bool:
        return self.last_year is None or year <= self.last_year

    def label_for(self, lang: str | None = "fr") -> str:
        return in_language(self.label, lang)


@dataclass(frozen=True)
class LabelGroup:
    code: str
    label: str
    labels: tuple[Label, ...]

    def label_for(self, lang: str | None = "fr") -> str:
        return in_language(self.label, lang)

    def labels_in(self, year: int) -> list[Label]:
        return [label for label in self.labels if label.counts_in(year)]


LABEL_GROUPS = {
    group.code: group
    for group in [
        LabelGroup(
            "bio",
            _("Bio"),
            (Label("agriculture_biologique", _("Agriculture biologique")),),
        ),
        LabelGroup(
            "siqo",
            _("Signes officiels de qualité (SIQO)"),
            (
                Label("label_rouge", _("Label Rouge")),
                Label("aoc_aop", _("AOC / AOP")),
                Label("igp", _("IGP")),
                Label("stg", _("STG")),
            ),
        ),
        LabelGroup(
            "environmental",
            _("Critères environnementaux"),
            (
                Label(
                    "externalites",
                    _("Coût des externalités environnementales"),
                ),
                Label("performance", _("Performance environnementale")),
            ),
        ),
        LabelGroup(
            "other_egalim",
            _("Autres mentions EGAlim"),
            (
                Label("hve", _("Haute valeur environnementale (HVE)")),
                Label(
                    "certification_niveau_2",
                    _("Certification environnementale de niveau 2"),
                    last_year=LEVEL_2_CERTIFICATION_LAST_YEAR,
                ),
                Label("ecolabel_peche", _("Écolabel pêche durable")),
                Label("rup", _("Logo RUP (régions ultrapériphériques)")),
                Label("commerce_equitable", _("Commerce équitable")),
                Label("fermier", _("Mention « fermier » ou « produit de la ferme »")),
            ),
        ),
    ]
}

# A purchase with several labels counts once, in the first group of this list that it belongs to.
GROUP_PRIORITY = ("bio", "siqo", "other_egalim", "environmental")

LABEL_GROUP_OF = {label.code: group.code for group in LABEL_GROUPS.values() for label in group.labels}


def group_for_labels(label_codes, year: int) -> str | None:
    """The label group a purchase counts in for `year`, or None when none of its labels is EGAlim that year."""
    groups = set()
    for code in label_codes:
        group = LABEL_GROUP_OF.get(code)
        if group is not None and next(lb for lb in LABEL_GROUPS[group].labels if lb.code == code).counts_in(year):
            groups.add(group)
    return next((group for group in GROUP_PRIORITY if group in groups), None)
