"""Purchase families of the detailed calculator, and how they sum into the simple purchase values."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .gaps import in_language

FAMILIES = {
    "meat_poultry": _("Viandes et volailles"),
    "fish_seafood": _("Poissons et produits de la mer"),
    "fruits_vegetables": _("Fruits et légumes"),
    "charcuterie": _("Charcuterie"),
    "dairy": _("Produits laitiers (beurre, œufs, fromages)"),
    "bakery": _("Boulangerie"),
    "drinks": _("Boissons"),
    "other": _("Autres produits"),
}

# The meat and fish rule covers "viandes et volailles" and "poissons et produits de la mer" combined.
MEAT_FISH_FAMILIES = ("meat_poultry", "fish_seafood")

# Columns of the detailed table: the family's total, then its purchases in each label group.
LABEL_COLUMNS = ("bio", "siqo", "environmental", "other_egalim")
FAMILY_COLUMNS = ("total",) + LABEL_COLUMNS
# "Of which" columns of the detailed table (not added into EGAlim): fair trade inside bio and inside the other
# EGAlim labels, French origin. Optional: a blank cell stays blank in the declared sums.
OF_WHICH_COLUMNS = ("bio_fair_trade", "other_egalim_fair_trade", "france")


def family_label(code: str, lang: str | None = "fr") -> str:
    return in_language(FAMILIES[code], lang)


def sum_families(detail) -> dict[str, Decimal]:
    """Simple purchase values from {family: {column: amount}}; a missing cell counts as 0."""

    def cell(family, column):
        value = (detail.get(family) or {}).get(column)
        return Decimal(value) if value is not None else Decimal(0)

    result = {column: sum((cell(family, column) for family in FAMILIES), Decimal(0)) for column in FAMILY_COLUMNS}
    result["meat_fish_total"] = sum((cell(family, "total") for family in MEAT_FISH_FAMILIES), Decimal(0))
    result["meat_fish_egalim"] = sum(
        (cell(family, column) for family in MEAT_FISH_FAMILIES for column in LABEL_COLUMNS), Decimal(0)
    )
    return result


def split_sums(detail) -> dict[str, Decimal | None]:
    """The declaration's amounts beyond the rules' inputs, from the detailed table.

    Meat & poultry and fish & seafood apart (total, EGAlim, France) and the "of which" columns summed over the
    families; an "of which" column left blank in every family stays None (blank is not zero)."""

    def cell(family, column):
        value = (detail.get(family) or {}).get(column)
        return None if value in (None, "") else Decimal(value)

    def total(cells):
        cells = [value for value in cells if value is not None]
        return sum(cells, Decimal(0)) if cells else None

    result = {}
    for family, prefix in (("meat_poultry", "meat_poultry"), ("fish_seafood", "fish_seafood")):
        result[f"{prefix}_total"] = cell(family, "total") or Decimal(0)
        result[f"{prefix}_egalim"] = sum((cell(family, column) or Decimal(0) for column in LABEL_COLUMNS), Decimal(0))
        result[f"{prefix}_france"] = cell(family, "france")
    for column in OF_WHICH_COLUMNS:
        result[column] = total(cell(family, column) for family in FAMILIES)
    return result
