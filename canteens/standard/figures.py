"""Yearly figures: simple (`bilans_simple_siret`, `bilans_simple_id`) → YearlyDiagnostic, and the planning of
every yearly-figures line (the detailed and combined formats use it too)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from egalim.rules import FIRST_YEAR, LAST_YEAR

from ..models import YearlyDiagnostic
from ..permissions import SUPPLY
from .core import CENT, find_canteens

SIMPLE_FIELDS = {
    "valeur_totale": "total",
    "valeur_bio": "bio",
    "valeur_bio_dont_commerce_equitable": "bio_fair_trade",
    "valeur_siqo": "siqo",
    "valeur_externalites_performance": "environmental",
    "valeur_egalim_autres": "other_egalim",
    "valeur_egalim_autres_dont_commerce_equitable": "other_egalim_fair_trade",
    "valeur_viandes_volailles": "meat_poultry_total",
    "valeur_viandes_volailles_egalim": "meat_poultry_egalim",
    "valeur_viandes_volailles_france": "meat_poultry_france",
    "valeur_produits_de_la_mer": "fish_seafood_total",
    "valeur_produits_de_la_mer_egalim": "fish_seafood_egalim",
    "valeur_produits_de_la_mer_france": "fish_seafood_france",
}
SIMPLE_FRANCE = (
    "valeur_viandes_volailles_france",
    "valeur_produits_de_la_mer_france",
    "valeur_fruits_et_legumes_france",
    "valeur_charcuterie_france",
    "valeur_produits_laitiers_france",
    "valeur_boulangerie_france",
    "valeur_boissons_france",
    "valeur_autres_france",
)
# the rules' purchase fields → the column an error points to
RULE_COLUMNS = {
    "total": "valeur_totale",
    "bio": "valeur_bio",
    "siqo": "valeur_siqo",
    "environmental": "valeur_externalites_performance",
    "other_egalim": "valeur_egalim_autres",
    "meat_fish_total": "valeur_viandes_volailles",
    "meat_fish_egalim": "valeur_viandes_volailles_egalim",
}
NOT_ABOVE = (  # (part, whole, column of the error)
    ("bio_fair_trade", "bio", "valeur_bio_dont_commerce_equitable"),
    ("other_egalim_fair_trade", "other_egalim", "valeur_egalim_autres_dont_commerce_equitable"),
    ("meat_poultry_egalim", "meat_poultry_total", "valeur_viandes_volailles_egalim"),
    ("meat_poultry_france", "meat_poultry_total", "valeur_viandes_volailles_france"),
    ("fish_seafood_egalim", "fish_seafood_total", "valeur_produits_de_la_mer_egalim"),
    ("fish_seafood_france", "fish_seafood_total", "valeur_produits_de_la_mer_france"),
    ("france", "total", "valeur_autres_france"),
)


def simple_values(record, report):
    """The YearlyDiagnostic fields of a bilans_simple line (Decimal, cents), or None after its errors."""
    from diagnostic.validation import purchase_errors

    values = {field: record.values.get(column) for column, field in SIMPLE_FIELDS.items()}
    values = {
        field: (v.quantize(CENT, rounding=ROUND_HALF_UP) if v is not None else None) for field, v in values.items()
    }
    france = [record.values.get(column) for column in SIMPLE_FRANCE if record.values.get(column) is not None]
    values["france"] = sum(france, Decimal(0)).quantize(CENT) if france else None
    meat, fish = values["meat_poultry_total"], values["fish_seafood_total"]
    values["meat_fish_total"] = None if meat is None else meat + (fish or 0)
    meat_e, fish_e = values["meat_poultry_egalim"], values["fish_seafood_egalim"]
    values["meat_fish_egalim"] = None if meat_e is None else meat_e + (fish_e or 0)
    errors = len(report.errors)
    for name, value in values.items():
        if value is not None and value < 0:
            column = next((c for c, f in SIMPLE_FIELDS.items() if f == name), "valeur_totale")
            report.error(_("Le montant ne peut pas être négatif."), record, column)
    for name, messages in purchase_errors(values).items():
        for message in messages:
            report.error(message, record, RULE_COLUMNS.get(name, "valeur_totale"))
    for part, whole, column in NOT_ABOVE:
        if values.get(part) is not None and values.get(whole) is not None and values[part] > values[whole]:
            report.error(
                _("%(part)s € dépasse le montant dont il fait partie (%(whole)s €).")
                % {"part": values[part], "whole": values[whole]},
                record,
                column,
            )
    return values if len(report.errors) == errors else None


def year_of(record, report):
    """The line's `année_bilan` within the rules' years, or None after its error."""
    year_text = str(record.values.get("année_bilan") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        report.error(
            _("L'année doit être comprise entre %(first)s et %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            record,
            "année_bilan",
        )
        return None
    return year


def apply_simple(values):
    def apply(diagnostic):
        diagnostic.mode = YearlyDiagnostic.Mode.SIMPLE
        diagnostic.family_detail = {}
        for name, value in values.items():
            setattr(diagnostic, name, value)

    return apply


def plan_yearly(items, report, user, key):
    """Plan the yearly figures of `items`, a list of (record, canteen, year, values, apply) where `apply(diagnostic)`
    sets the line's figures and the canteen may be new (no pk yet, saved before). Returns save()."""
    from ..declaration import current

    rows, seen = [], {}
    for record, canteen, year, values, apply in items:
        ident = canteen.pk or canteen.siret
        if (ident, year) in seen:
            report.error(
                _("Un seul bilan par cantine et par année : déjà ligne %(line)s.") % {"line": seen[(ident, year)]},
                record,
                key,
            )
            continue
        seen[(ident, year)] = record.row
        if canteen.pk and current(canteen, year):
            report.error(
                _("Le bilan %(year)s de cette cantine est télédéclaré : annulez la déclaration avant d'importer.")
                % {"year": year},
                record,
                "année_bilan",
            )
            continue
        existing = YearlyDiagnostic.objects.filter(canteen=canteen, year=year).first() if canteen.pk else None
        rows.append((canteen, year, apply, existing))
        report.preview.append(
            {
                "canteen_id": canteen.pk,
                "canteen": canteen.name,
                "siret": canteen.siret,
                "year": year,
                "action": "update" if existing else "create",
                "total_before": str(existing.total) if existing and existing.total is not None else "",
                "total_after": str(values["total"]) if values.get("total") is not None else "",
            }
        )
    report.created["diagnostics"] = sum(1 for *_x, existing in rows if existing is None)
    report.updated["diagnostics"] = sum(1 for *_x, existing in rows if existing is not None)

    def save():
        for canteen, year, apply, existing in rows:
            diagnostic = existing or YearlyDiagnostic(canteen=canteen, year=year)
            apply(diagnostic)
            diagnostic.updated_by = user
            diagnostic.save()

    return save


def plan_simple_diagnostics(records, report, user, digest):
    key = "siret" if "siret" in report.format else "cantine_id"
    canteens = find_canteens(records, key, report, user, SUPPLY)
    items = []
    for record in records:
        canteen, year = canteens.get(record.row), year_of(record, report)
        if year is None:
            continue
        values = simple_values(record, report)
        if canteen is not None and values is not None:
            items.append((record, canteen, year, values, apply_simple(values)))
    return plan_yearly(items, report, user, key)
