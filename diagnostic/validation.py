"""One validation layer for the diagnostic input, shared by the JSON API (serializers) and the pages (forms).

Field checks raise Django's `ValidationError` with French messages; cross-field checks return
`{field: [messages]}` so each caller can attach them to its own fields. The serializers and the forms build
their fields from the constants and functions of this module, never from their own copies.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from egalim.families import FAMILY_COLUMNS
from egalim.rules import FAMILIES, FIRST_YEAR, LABEL_COLUMNS, LAST_YEAR, normalize_department

AMOUNT_MAX_DIGITS = 14  # up to 999 999 999 999,99 €
AMOUNT_DECIMAL_PLACES = 2
DAILY_MEALS_MIN = 1
DAILY_MEALS_MAX = 1_000_000

MESSAGES = {
    "required": _("Ce champ est obligatoire."),
    "null": _("Ce champ ne peut pas être vide."),
    "object": _("Un objet JSON est attendu."),
    "json": _("Le corps de la requête n'est pas un JSON valide."),
    "media_type": _("Envoyez les données en JSON (Content-Type: application/json)."),
    "unknown_field": _("Champ inconnu."),
    "rate_limited": _("Trop de requêtes depuis votre adresse : réessayez dans une minute."),
    "department": _("Département inconnu : saisissez son code INSEE, par exemple 35, 2A ou 974."),
    "year": _("L'année doit être comprise entre %(first)s et %(last)s."),
    "year_invalid": _("Saisissez une année, par exemple %(example)s."),
    "amount_invalid": _("Saisissez un montant en euros, par exemple 1250,50."),
    "amount_negative": _("Le montant ne peut pas être négatif."),
    "amount_too_large": _("Ce montant est trop élevé."),
    "amount_decimals": _("Saisissez au plus deux chiffres après la virgule."),
    "integer": _("Saisissez un nombre entier."),
    "meals_min": _("Le nombre de repas par jour doit être au moins %(min)s."),
    "meals_max": _("Le nombre de repas par jour ne peut pas dépasser un million."),
    "boolean": _("Répondez par oui (true) ou par non (false)."),
    "choice": _("Choix inconnu."),
    "list": _("Une liste est attendue."),
    "total_zero": _("Le total des achats doit être supérieur à 0."),
    "groups_above_total": _(
        "La somme des achats bio, SIQO, à critères environnementaux et des autres mentions EGAlim dépasse le total "
        "des achats. Un produit qui a plusieurs labels ne compte qu'une fois."
    ),
    "meat_fish_egalim_above_meat_fish": _(
        "Les achats EGAlim de viandes et poissons ne peuvent pas dépasser le total des achats de viandes et poissons."
    ),
    "meat_fish_egalim_above_egalim": _(
        "Les achats EGAlim de viandes et poissons ne peuvent pas dépasser la somme des achats bio, SIQO, à critères "
        "environnementaux et des autres mentions EGAlim."
    ),
    "containers_twice": _(
        "Indiquez soit « containers », soit « cooking_containers » et « serving_containers », pas les deux."
    ),
    "purchases_twice": _("Indiquez soit « purchases », soit « purchases_by_family », pas les deux."),
    "family_part_above_total": _("Ce montant dépasse le total de la famille de produits."),
    "family_groups_above_total": _("La somme des achats sous label dépasse le total de la famille de produits."),
    "family_total_missing": _("Indiquez le total des achats de cette famille de produits."),
    "families_empty": _("Indiquez le total des achats d'au moins une famille de produits."),
}

PARAMS = {
    "year": {"first": FIRST_YEAR, "last": LAST_YEAR},
    "year_invalid": {"example": FIRST_YEAR + 3},
    "meals_min": {"min": DAILY_MEALS_MIN},
}


def message(key: str) -> str:
    """A validation message in the active language, with its parameters."""
    params = PARAMS.get(key)
    return str(MESSAGES[key]) % params if params else str(MESSAGES[key])


# The same, translated when it is displayed: for error messages set once, when a form or serializer class is built.
message_lazy = lazy(message, str)


PART_ABOVE_TOTAL = {
    "bio": _("Les achats bio ne peuvent pas dépasser le total des achats."),
    "siqo": _("Les achats sous signe officiel de qualité (SIQO) ne peuvent pas dépasser le total des achats."),
    "environmental": _("Les achats à critères environnementaux ne peuvent pas dépasser le total des achats."),
    "other_egalim": _("Les achats des autres mentions EGAlim ne peuvent pas dépasser le total des achats."),
    "meat_fish_total": _("Les achats de viandes et poissons ne peuvent pas dépasser le total des achats."),
    "meat_fish_egalim": _("Les achats EGAlim de viandes et poissons ne peuvent pas dépasser le total des achats."),
}


def clean_department(value) -> str:
    """The canonical INSEE department code, or a ValidationError."""
    code = normalize_department(value)
    if code is None:
        raise ValidationError(message("department"), code="department")
    return code


def validate_year(value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(message("year"), code="year")


def validate_daily_meals(value: int) -> None:
    if value < DAILY_MEALS_MIN:
        raise ValidationError(message("meals_min"), code="min_value")
    if value > DAILY_MEALS_MAX:
        raise ValidationError(MESSAGES["meals_max"], code="max_value")


def validate_amount(value: Decimal) -> None:
    if not value.is_finite():
        raise ValidationError(MESSAGES["amount_invalid"], code="invalid")
    if value < 0:
        raise ValidationError(MESSAGES["amount_negative"], code="min_value")
    if value >= Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES):
        raise ValidationError(MESSAGES["amount_too_large"], code="max_value")
    if -value.as_tuple().exponent > AMOUNT_DECIMAL_PLACES:
        raise ValidationError(MESSAGES["amount_decimals"], code="max_decimal_places")


def purchase_errors(purchases) -> dict[str, list[str]]:
    """Consistency of the purchase amounts (a mapping of Decimal or None), given or not."""
    errors: dict[str, list[str]] = {}

    def add(name, text):
        errors.setdefault(name, []).append(str(text))

    def get(name):
        return purchases.get(name)

    total = get("total")
    if total is not None and total == 0:
        add("total", MESSAGES["total_zero"])
    if total is not None:
        for name, message in PART_ABOVE_TOTAL.items():
            if get(name) is not None and get(name) > total:
                add(name, message)
        given = [get(name) for name in LABEL_COLUMNS if get(name) is not None]
        if sum(given, Decimal(0)) > total and not any(name in errors for name in LABEL_COLUMNS):
            add("total", MESSAGES["groups_above_total"])
    meat_fish_total, meat_fish_egalim = get("meat_fish_total"), get("meat_fish_egalim")
    if meat_fish_total is not None and meat_fish_egalim is not None and meat_fish_egalim > meat_fish_total:
        add("meat_fish_egalim", MESSAGES["meat_fish_egalim_above_meat_fish"])
    groups = [get(name) for name in LABEL_COLUMNS]
    if meat_fish_egalim is not None and None not in groups and meat_fish_egalim > sum(groups, Decimal(0)):
        if "meat_fish_egalim" not in errors:
            add("meat_fish_egalim", MESSAGES["meat_fish_egalim_above_egalim"])
    return errors


def family_errors(detail) -> dict[str, list[str]]:
    """Consistency of the detailed calculator: {family: {column: Decimal or None}} → {"family.column": [...]}."""
    errors: dict[str, list[str]] = {}

    def add(name, text):
        errors.setdefault(name, []).append(str(text))

    given_totals = {}  # family → its total, for the families that give one
    for family in FAMILIES:
        row = detail.get(family) or {}
        total = row.get("total")
        parts = {column: row.get(column) for column in LABEL_COLUMNS if row.get(column) is not None}
        if total is None:
            if any(parts.values()):
                add(f"{family}.total", MESSAGES["family_total_missing"])
            continue
        given_totals[family] = total
        above = [column for column, value in parts.items() if value > total]
        for column in above:
            add(f"{family}.{column}", MESSAGES["family_part_above_total"])
        if not above and sum(parts.values(), Decimal(0)) > total:
            add(f"{family}.total", MESSAGES["family_groups_above_total"])
    if not given_totals and not errors:
        add(f"{next(iter(FAMILIES))}.total", MESSAGES["families_empty"])
    elif given_totals and not errors and not any(given_totals.values()):
        # Every given total is 0: the summed total would be 0, refused like in the simple calculator.
        add(f"{next(iter(given_totals))}.total", MESSAGES["total_zero"])
    return errors


__all__ = [
    "AMOUNT_DECIMAL_PLACES",
    "AMOUNT_MAX_DIGITS",
    "DAILY_MEALS_MAX",
    "DAILY_MEALS_MIN",
    "FAMILY_COLUMNS",
    "MESSAGES",
    "PART_ABOVE_TOTAL",
    "clean_department",
    "message",
    "message_lazy",
    "family_errors",
    "purchase_errors",
    "validate_amount",
    "validate_daily_meals",
    "validate_year",
]
