"""The five EGAlim measures and the catalogue of gaps (unmet conditions), with stable codes.

Labels are French source strings (translatable with gettext) with an English label kept next to them,
so the API and the pages can answer in English before the project's message catalogue is compiled.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Measure codes, in the order the law lists them.
MEASURES = {
    "quality": _("Qualité et durabilité des produits"),
    "waste": _("Lutte contre le gaspillage alimentaire et dons"),
    "diversification": _("Diversification des protéines et menus végétariens"),
    "plastic": _("Substitution des plastiques"),
    "information": _("Information des convives"),
}

MEASURES_EN = {
    "quality": "Quality and sustainability of products",
    "waste": "Fighting food waste and food donation",
    "diversification": "Protein diversification and vegetarian menus",
    "plastic": "Replacing plastics",
    "information": "Informing diners",
}


def is_english(lang: str | None) -> bool:
    return bool(lang) and str(lang).lower().startswith("en")


def measure_label(code: str, lang: str | None = "fr") -> str:
    if is_english(lang):
        return MEASURES_EN[code]
    return str(MEASURES[code])


@dataclass(frozen=True)
class Gap:
    code: str
    measure: str
    label: str
    label_en: str = ""

    def resources_url(self, base: str = "/ressources/", audience: str | None = None) -> str:
        url = f"{base}?measure={self.measure}&gap={self.code}"
        return f"{url}&audience={audience}" if audience else url

    def label_for(self, lang: str | None = "fr") -> str:
        if is_english(lang) and self.label_en:
            return self.label_en
        return str(self.label)


GAPS = {
    gap.code: gap
    for gap in [
        Gap(
            "quality.bio_below_threshold",
            "quality",
            _("Part de produits bio sous le seuil"),
            "Share of organic products below the threshold",
        ),
        Gap(
            "quality.egalim_below_threshold",
            "quality",
            _("Part de produits durables et de qualité sous le seuil"),
            "Share of sustainable and quality products below the threshold",
        ),
        Gap(
            "quality.meat_fish_below_threshold",
            "quality",
            _("Part de viandes et poissons durables et de qualité sous le seuil"),
            "Share of sustainable and quality meat and fish below the threshold",
        ),
        Gap(
            "waste.no_diagnostic",
            "waste",
            _("Pas de diagnostic du gaspillage alimentaire"),
            "No food waste diagnostic",
        ),
        Gap("waste.no_action", "waste", _("Pas d'action de réduction du gaspillage"), "No waste reduction action"),
        Gap(
            "waste.no_donation_agreement",
            "waste",
            _("Pas de convention de dons alimentaires"),
            "No food donation agreement",
        ),
        Gap(
            "diversification.no_plan",
            "diversification",
            _("Pas de plan pluriannuel de diversification des protéines"),
            "No multi-year protein diversification plan",
        ),
        Gap(
            "diversification.vegetarian_not_weekly",
            "diversification",
            _("Pas de menu végétarien au moins une fois par semaine"),
            "No vegetarian menu at least once a week",
        ),
        Gap(
            "diversification.no_daily_option",
            "diversification",
            _("Pas d'option végétarienne quotidienne"),
            "No daily vegetarian option",
        ),
        Gap(
            "plastic.containers",
            "plastic",
            _("Contenants de cuisson, réchauffe ou service en plastique"),
            "Plastic cooking, heating or serving containers",
        ),
        Gap("plastic.bottles", "plastic", _("Bouteilles d'eau en plastique"), "Plastic water bottles"),
        Gap(
            "plastic.tableware",
            "plastic",
            _("Vaisselle ou couverts en plastique à usage unique"),
            "Single-use plastic tableware or utensils",
        ),
        Gap("information.not_informed", "information", _("Convives non informés"), "Diners not informed"),
    ]
}


def get_gap(code: str) -> Gap | None:
    return GAPS.get(code)


def gap_choices():
    return [(gap.code, gap.label) for gap in GAPS.values()]
