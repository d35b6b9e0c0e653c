"""The five EGAlim measures and the catalogue of gaps (unmet conditions), with stable codes.

The rules hold codes and French source strings only; the words in another language come from gettext
(egalim/locale), under the language the caller asks for (`in_language`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .formatting import in_language, is_english  # noqa: F401 (the names callers import from here)

# Measure codes, in the order the law lists them.
MEASURES = {
    "quality": _("Qualité et durabilité des produits"),
    "waste": _("Lutte contre le gaspillage alimentaire et dons"),
    "diversification": _("Diversification des protéines et menus végétariens"),
    "plastic": _("Substitution des plastiques"),
    "information": _("Information des convives"),
}


def measure_label(code: str, lang: str | None = "fr") -> str:
    return in_language(MEASURES[code], lang)


@dataclass(frozen=True)
class Gap:
    code: str
    measure: str
    label: str

    def resources_url(self, base: str = "/ressources/", audience: str | None = None) -> str:
        url = f"{base}?measure={self.measure}&gap={self.code}"
        return f"{url}&audience={audience}" if audience else url

    def label_for(self, lang: str | None = "fr") -> str:
        return in_language(self.label, lang)


GAPS = {
    gap.code: gap
    for gap in [
        Gap("quality.bio_below_threshold", "quality", _("Part de produits bio sous le seuil")),
        Gap("quality.egalim_below_threshold", "quality", _("Part de produits durables et de qualité sous le seuil")),
        Gap(
            "quality.meat_fish_below_threshold",
            "quality",
            _("Part de viandes et poissons durables et de qualité sous le seuil"),
        ),
        Gap("waste.no_diagnostic", "waste", _("Pas de diagnostic du gaspillage alimentaire")),
        Gap("waste.no_action", "waste", _("Pas d'action de réduction du gaspillage")),
        Gap("waste.no_donation_agreement", "waste", _("Pas de convention de dons alimentaires")),
        Gap(
            "diversification.no_plan", "diversification", _("Pas de plan pluriannuel de diversification des protéines")
        ),
        Gap(
            "diversification.vegetarian_not_weekly",
            "diversification",
            _("Pas de menu végétarien au moins une fois par semaine"),
        ),
        Gap("diversification.no_daily_option", "diversification", _("Pas d'option végétarienne quotidienne")),
        Gap("plastic.containers", "plastic", _("Contenants de cuisson, réchauffe ou service en plastique")),
        Gap("plastic.bottles", "plastic", _("Bouteilles d'eau en plastique")),
        Gap("plastic.tableware", "plastic", _("Vaisselle ou couverts en plastique à usage unique")),
        Gap("information.not_informed", "information", _("Convives non informés")),
    ]
}


def get_gap(code: str) -> Gap | None:
    return GAPS.get(code)


def gap_choices():
    return [(gap.code, gap.label) for gap in GAPS.values()]
