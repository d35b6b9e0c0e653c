"""Facts of the non-purchase measures: meal thresholds and the answer choices of the questions."""

from django.utils.translation import gettext_lazy as _

from .gaps import in_language

# Waste: a food-donation agreement is required above this number of meals prepared a day (strictly more).
DONATION_AGREEMENT_DAILY_MEALS = 3000
# Diversification: a multi-year plan is required above this average number of meals served a day.
DIVERSIFICATION_PLAN_DAILY_MEALS = 200

WASTE_ACTIONS = {
    "portions": _("Adaptation des portions"),
    "reservation": _("Réservation ou inscription préalable des repas"),
    "awareness": _("Sensibilisation des convives"),
    "staff_training": _("Formation du personnel"),
    "menus": _("Adaptation des menus et des recettes"),
    "weighing": _("Pesées régulières des restes"),
    "surplus": _("Valorisation des excédents"),
    "other": _("Autre action"),
}

VEGETARIAN_FREQUENCIES = {
    "never": _("Jamais"),
    "less_than_weekly": _("Moins d'une fois par semaine"),
    "weekly": _("Une fois par semaine"),
    "more_than_weekly": _("Plusieurs fois par semaine"),
    "daily": _("Tous les jours"),
}
WEEKLY_OR_MORE = frozenset({"weekly", "more_than_weekly", "daily"})


def choice_label(choices: dict, code: str, lang: str | None = "fr") -> str:
    return in_language(choices[code], lang)
