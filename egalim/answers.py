"""Facts of the non-purchase measures: meal thresholds and the answer choices of the questions."""

from django.utils.translation import gettext_lazy as _

from .gaps import is_english

# Waste: a food-donation agreement is required above this number of meals prepared a day (strictly more).
DONATION_AGREEMENT_DAILY_MEALS = 3000
# Diversification: a multi-year plan is required above this average number of meals served a day.
DIVERSIFICATION_PLAN_DAILY_MEALS = 200

WASTE_ACTIONS = {
    "portions": (_("Adaptation des portions"), "Adjusting portion sizes"),
    "reservation": (_("Réservation ou inscription préalable des repas"), "Booking meals in advance"),
    "awareness": (_("Sensibilisation des convives"), "Raising diners' awareness"),
    "staff_training": (_("Formation du personnel"), "Staff training"),
    "menus": (_("Adaptation des menus et des recettes"), "Adapting menus and recipes"),
    "weighing": (_("Pesées régulières des restes"), "Regular weighing of leftovers"),
    "surplus": (_("Valorisation des excédents"), "Making use of surplus food"),
    "other": (_("Autre action"), "Other action"),
}

VEGETARIAN_FREQUENCIES = {
    "never": (_("Jamais"), "Never"),
    "less_than_weekly": (_("Moins d'une fois par semaine"), "Less than once a week"),
    "weekly": (_("Une fois par semaine"), "Once a week"),
    "more_than_weekly": (_("Plusieurs fois par semaine"), "Several times a week"),
    "daily": (_("Tous les jours"), "Every day"),
}
WEEKLY_OR_MORE = frozenset({"weekly", "more_than_weekly", "daily"})


def choice_label(choices: dict, code: str, lang: str | None = "fr") -> str:
    french, english = choices[code]
    return english if is_english(lang) else str(french)
