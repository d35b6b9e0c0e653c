"""Canteens with their yearly figures, one line each (`diagnostics`, `diagnostics_cc`, `diagnostics_admin`: simple
figures; `diagnostics_complets`, `diagnostics_complets_cc`: detailed figures) — ma cantine's earlier bulk format.

Each line creates its canteen (the person becomes its manager) or, when the SIRET is registered, updates it if the
person may edit it; then, when `année_bilan` is given, it saves that year's figures. The canteen columns are read
by the same checks as `cantines_creer` and the figures by those of `bilans_simple_*` / `bilans_detaille`: the line
is renamed onto those formats' columns, and the errors name this file's columns again.
"""

from django.utils.translation import gettext as _

from ..models import Canteen
from ..permissions import EDIT
from .canteen_rows import add_managers, canteen_fields
from .core import Record, _identifier, _split, may
from .detailed import FAMILIES, apply_detailed, detailed_values
from .figures import apply_simple, plan_yearly, simple_values, year_of

# this format's canteen columns → cantines_creer's
CANTEEN_COLUMNS = {"code_insee_commune": "code_insee", "siret_livreur_repas": "siret_cuisine_centrale"}
# this format's simple figures → bilans_simple's
SIMPLE_COLUMNS = {
    "valeur_environnemental": "valeur_externalites_performance",
    "valeur_autres_egalim": "valeur_egalim_autres",
    "valeur_viandes": "valeur_viandes_volailles",
    "valeur_viandes_egalim": "valeur_viandes_volailles_egalim",
    "valeur_viandes_france": "valeur_viandes_volailles_france",
    "valeur_poissons": "valeur_produits_de_la_mer",
    "valeur_poissons_egalim": "valeur_produits_de_la_mer_egalim",
}
# diagnostics_complets: valeur_<category>_<family>, with its own spellings of both
COMPLETE_CATEGORIES = {
    "bio": "bio",
    "label_rouge": "label_rouge",
    "aocaop_igp_stg": "aoc_aop_igp_stg",
    "hve": "certification_environnementale",
    "peche_durable": "peche_durable",
    "rup": "region_ultraperipherique",
    "commerce_equitable": "commerce_equitable",
    "fermier": "fermier",
    "externalites": "couts_externalites",
    "performance": "performances_environnementales",
    "non_egalim": "non_egalim",
    "france": "provenance_france",
    "circuit_court": "circuit_court",
    "local": "produit_local",
}
COMPLETE_FAMILIES = {
    "meat_poultry": "viandes_volailles",
    "fish_seafood": "produits_aquatiques",
    "fruits_vegetables": "fruits_legumes",
    "charcuterie": "charcuterie",
    "dairy": "bof",
    "bakery": "boulangerie_patisserie",
    "drinks": "boissons",
    "other": "autres_produits",
}
COMPLETE_TOTALS = {
    "total": "valeur_totale",
    "meat_poultry": "valeur_viandes_volailles",
    "fish_seafood": "valeur_poissons_produits_mer",
}
# diagnostics_admin: the declaration status a file may ask for
ADMIN_STATUSES = ("", "draft", "brouillon")
assert set(COMPLETE_FAMILIES) == set(FAMILIES.values())


def complete_column(category, family):
    name = COMPLETE_CATEGORIES.get(category)
    return f"valeur_{name}_{COMPLETE_FAMILIES[family]}" if name else None


def renamed(record, mapping):
    """The record seen with another format's column names (`mapping`: this file's name → the other's)."""
    values = {mapping.get(name, name): value for name, value in record.values.items()}
    cells = {mapping.get(name, name): cell for name, cell in record.cells.items()}
    if "secteurs" in values:  # this format separates sectors with « + », cantines_creer with « , »
        values["secteurs"] = str(values["secteurs"] or "").replace("+", ",")
    return Record(record.row, values, cells)


def restore_fields(report, start, mapping):
    back = {other: mine for mine, other in mapping.items()}
    for error in report.errors[start:]:
        error.field = back.get(error.field, error.field)


def plan_combined(records, report, user, digest):
    fmt = report.format
    complete = fmt.startswith("diagnostics_complets")
    if fmt == "diagnostics_admin" and not user.is_staff:
        report.error(_("Seule l'équipe de la plateforme peut importer ce format."), row=1)
        return lambda: None
    wanted = {_identifier(record.values.get("siret")) for record in records}
    registered = {canteen.siret: canteen for canteen in Canteen.objects.filter(siret__in=wanted)}
    canteens, items = {}, []  # siret → (canteen, data, emails); yearly items
    for record in records:
        start = len(report.errors)
        as_canteen = renamed(record, CANTEEN_COLUMNS)
        planned = canteen_fields(as_canteen, report, creating=True)
        restore_fields(report, start, CANTEEN_COLUMNS)
        siret = _identifier(record.values.get("siret"))
        if planned is None:
            continue
        data, emails = planned
        if fmt == "diagnostics_admin":
            emails += _split(record.values.get("admin_gestionnaires_additionnels"))
            status = str(record.values.get("admin_statut_teledeclaration") or "").strip().lower()
            if status not in ADMIN_STATUSES:
                report.error(
                    _(
                        "La télédéclaration ne se fait pas par import : chaque cantine la fait elle-même pendant la "
                        "campagne. Laissez cette colonne vide."
                    ),
                    record,
                    "admin_statut_teledeclaration",
                )
                continue
        canteen = registered.get(siret)
        if siret in canteens:
            canteen = canteens[siret][0]
            canteens[siret][2].extend(emails)
        elif canteen is not None:
            if not may(user, canteen, EDIT):
                report.error(_("Vous n'êtes pas un gestionnaire de cette cantine."), record, "siret")
                continue
            canteens[siret] = (canteen, data, emails)
        else:
            canteen = Canteen(**data)
            canteens[siret] = (canteen, data, emails)
        if record.values.get("année_bilan") in (None, ""):
            continue  # a canteen without figures
        year = year_of(record, report)
        if year is None:
            continue
        if complete:
            planned = detailed_values(record, report, complete_column, COMPLETE_TOTALS)
            if planned is not None:
                table, values = planned
                items.append((record, canteen, year, values, apply_detailed(table, values)))
        else:
            start = len(report.errors)
            values = simple_values(renamed(record, SIMPLE_COLUMNS), report)
            restore_fields(report, start, SIMPLE_COLUMNS)
            if values is not None:
                items.append((record, canteen, year, values, apply_simple(values)))
    for canteen, data, _emails in canteens.values():
        action = "update" if canteen.pk else "create"
        preview = {"canteen_id": canteen.pk, "canteen": data["name"], "siret": data["siret"], "action": action}
        report.preview.append(preview)
    report.created = {
        "canteens": sum(1 for canteen, *_x in canteens.values() if not canteen.pk),
        "managers": sum(len(emails) for *_x, emails in canteens.values()),
    }
    report.updated = {"canteens": sum(1 for canteen, *_x in canteens.values() if canteen.pk)}
    save_figures = plan_yearly(items, report, user, "siret")

    def save():
        for canteen, data, emails in canteens.values():
            new = not canteen.pk
            for name, value in data.items():
                setattr(canteen, name, value)
            canteen.save()
            if new:
                canteen.managers.add(user)
            add_managers(canteen, emails, user)
        save_figures()

    return save
