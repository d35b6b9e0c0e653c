"""Detailed yearly figures (`bilans_detaille`, and the figures of `diagnostics_complets*`) → YearlyDiagnostic in
detailed mode.

The national detailed table gives, for each of the 8 families, the amount of each label category (bio and its fair
trade, Label rouge, AOC/AOP/IGP/STG, HVE, sustainable fishing, RUP, fair trade, farm-made, externalities,
performance), the non-EGAlim amount, and French origin, short circuit and local as « of which » amounts; totals
are given only for the whole, meat & poultry and fish & seafood. This project's detailed table has, per family, a
total and the four label groups the rules count (bio, siqo, environmental, other_egalim, `egalim.labels`), plus
the « of which » columns. So, per family:

- each label category adds into the group the rules give its label code (`codes.LABELS` → `LABEL_GROUP_OF`);
- a family's total is the one given (meat & poultry, fish & seafood), else its label categories plus non-EGAlim;
  what the family totals leave of `valeur_totale` counts in « autres produits » (it was bought, not detailed);
- the national categories themselves (`label_rouge`, `hve`…, `non_egalim`, `circuit_court`, `local`) are kept in
  the family's row of `family_detail`, so nothing of the file is lost and the national export can give them back.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from egalim.labels import LABEL_GROUP_OF

from ..permissions import SUPPLY
from . import codes
from .core import CENT, find_canteens
from .figures import plan_yearly, year_of

# the national detailed table's label categories → the purchase label code of `codes.LABELS` (its group decides)
CATEGORY_LABEL = {
    "bio": "BIO",
    "label_rouge": "LABEL_ROUGE",
    "aocaop_igp_stg": "AOCAOP",
    "hve": "HVE",
    "peche_durable": "PECHE_DURABLE",
    "rup": "RUP",
    "commerce_equitable": "COMMERCE_EQUITABLE",
    "fermier": "FERMIER",
    "externalites": "EXTERNALITES",
    "performance": "PERFORMANCE",
}
# « of which » categories → this project's detailed column (None: kept under the national name only)
OF_WHICH = {
    "bio_dont_commerce_equitable": "bio_fair_trade",
    "france": "france",
    "circuit_court": None,
    "local": None,
    "non_egalim": None,
}
CATEGORIES = (*CATEGORY_LABEL, *OF_WHICH)
# each label category → the group of the rules its label belongs to
GROUP_OF = {category: LABEL_GROUP_OF[codes.LABELS[label]] for category, label in CATEGORY_LABEL.items()}
SUMMED = ("bio", "siqo", "environmental", "other_egalim", "bio_fair_trade", "other_egalim_fair_trade", "france")
# bilans_detaille: family prefix of its columns (valeur_<family>_<category>) → this project's family
FAMILIES = {
    "viandes_volailles": "meat_poultry",
    "produits_de_la_mer": "fish_seafood",
    "fruits_et_legumes": "fruits_vegetables",
    "charcuterie": "charcuterie",
    "produits_laitiers": "dairy",
    "boulangerie": "bakery",
    "boissons": "drinks",
    "autres": "other",
}
GIVEN_TOTALS = {"meat_poultry": "valeur_viandes_volailles", "fish_seafood": "valeur_produits_de_la_mer"}


def bilans_detaille_column(category, family):
    prefix = {v: k for k, v in FAMILIES.items()}[family]
    return f"valeur_{prefix}_{category}"


def _cent(value):
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def detailed_values(record, report, column_of, total_columns=None):
    """(table, values) of a detailed line, or None after its errors: `table` is the national table by family
    ({family: {category: amount}}), `values` the yearly figures it sums to. `column_of(category, family)` names
    the file's column of a cell (None when the format has no such column); `total_columns` are the columns of the
    whole and of the two given family totals."""
    from diagnostic.validation import purchase_errors

    total_columns = total_columns or {"total": "valeur_totale", **GIVEN_TOTALS}
    errors = len(report.errors)
    table, sums = {}, {name: None for name in SUMMED}
    for family in FAMILIES.values():
        row = {}
        for category in CATEGORIES:
            column = column_of(category, family)
            value = _cent(record.values.get(column)) if column else None
            if value is None:
                continue
            if value < 0:
                report.error(_("Le montant ne peut pas être négatif."), record, column)
            row[category] = value
            name = GROUP_OF.get(category) or OF_WHICH.get(category)
            if name:
                sums[name] = (sums[name] or Decimal(0)) + value
            if category == "commerce_equitable":
                sums["other_egalim_fair_trade"] = (sums["other_egalim_fair_trade"] or Decimal(0)) + value
        part, column = row.get("bio_dont_commerce_equitable"), column_of("bio_dont_commerce_equitable", family)
        if part is not None and part > row.get("bio", Decimal(0)):
            report.error(
                _("%(part)s € dépasse le montant dont il fait partie (%(whole)s €).")
                % {"part": part, "whole": row.get("bio", Decimal(0))},
                record,
                column,
            )
        table[family] = row
    values = {"total": _cent(record.values.get(total_columns["total"])), **sums}
    for family in ("meat_poultry", "fish_seafood"):
        row, given = table[family], total_columns[family]
        total = _cent(record.values.get(given))
        egalim = sum((row.get(category, Decimal(0)) for category in GROUP_OF), Decimal(0))
        if total is not None:
            row["total"] = total
        if total is not None and egalim > total:
            report.error(
                _("Les achats EGAlim de la famille (%(sum)s €) dépassent son total (%(total)s €).")
                % {"sum": egalim, "total": total},
                record,
                given,
            )
        values[f"{family}_total"], values[f"{family}_egalim"] = total, egalim
        values[f"{family}_france"] = row.get("france")
    values["meat_fish_total"] = (values["meat_poultry_total"] or 0) + (values["fish_seafood_total"] or 0)
    values["meat_fish_egalim"] = values["meat_poultry_egalim"] + values["fish_seafood_egalim"]
    for name in ("bio", "siqo", "environmental", "other_egalim"):
        values[name] = values[name] or Decimal(0)
    if values["france"] is not None and values["total"] is not None and values["france"] > values["total"]:
        report.error(
            _("%(part)s € dépasse le montant dont il fait partie (%(whole)s €).")
            % {"part": values["france"], "whole": values["total"]},
            record,
            total_columns["total"],
        )
    for messages in purchase_errors(values).values():
        for message in messages:
            report.error(message, record, total_columns["total"])
    return (table, values) if len(report.errors) == errors else None


def apply_detailed(table, values):
    def apply(diagnostic):
        diagnostic.mode = diagnostic.Mode.SIMPLE
        for name, value in values.items():
            setattr(diagnostic, name, value)
        diagnostic.family_detail = {
            family: {category: str(value) for category, value in row.items()} for family, row in table.items() if row
        }

    return apply


def plan_detailed_diagnostics(records, report, user, digest):
    canteens = find_canteens(records, "siret", report, user, SUPPLY)
    items = []
    for record in records:
        canteen, year = canteens.get(record.row), year_of(record, report)
        if year is None:
            continue
        planned = detailed_values(record, report, bilans_detaille_column)
        if canteen is not None and planned is not None:
            table, values = planned
            items.append((record, canteen, year, values, apply_detailed(table, values)))
    return plan_yearly(items, report, user, "siret")
