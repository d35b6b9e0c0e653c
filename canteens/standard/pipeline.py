"""One import pipeline for ma cantine's national formats: read → check against the Table Schema → check against
the database (canteens, permissions) → preview → save, all or nothing.

    report = run(raw_bytes, filename, user, format_name=None, dry_run=True)
    report.as_dict()  # {"format", "accepted", "rows", "created", "updated", "errors": [...], "preview": [...]}

Each error carries the row (line of the file, the header being line 1), the column (1-based) and its header,
the schema field, the cell's value and a French message; file-level errors have `row`/`column` None.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.backends import find_user_by_email
from egalim.rules import FIRST_YEAR, LAST_YEAR

from .. import imports as purchase_imports
from ..choices import CENTRAL_TYPES
from ..models import Canteen, ManagerInvitation, Purchase, PurchaseImport, YearlyDiagnostic
from ..permissions import EDIT, MANAGE, SUPPLY, can
from ..validators import department_of_commune, normalize_identifier, siren_error, siret_error
from . import codes, schema
from .reader import FileRefused, read


class ConcurrentChange(Exception):
    """Found under the lock: what was checked changed meanwhile (str(error) is the message)."""


CENT = Decimal("0.01")
# sectors of the State's restaurants, the only ones with a line ministry (as in ma cantine)
STATE_SECTORS = {"admin_state", "admin_inter", "armed_forces", "public_bodies", "prison"}
MAX_ERRORS = 1000
# Other apps may widen who may import into a canteen (territory officers): f(user, canteen, action) -> bool.
EDITOR_HOOKS = []
# Formats loaded by other apps (the national campaign files): name → (detect(raw) -> bool, load(raw, filename,
# user, dry_run) -> a report with as_dict() and accepted)
EXTRA_FORMATS = {}


def may(user, canteen, action) -> bool:
    return can(user, canteen, action) or any(hook(user, canteen, action) for hook in EDITOR_HOOKS)


@dataclass
class Error:
    message: str
    row: int | None = None
    column: int | None = None
    header: str | None = None
    field: str | None = None
    value: str | None = None

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "field": self.field,
            "value": self.value,
            "message": str(self.message),
        }


@dataclass
class Record:
    row: int
    values: dict  # field name → python value
    cells: dict  # field name → (column number, header, text)


@dataclass
class Report:
    format: str | None = None
    rows: int = 0
    errors: list = field(default_factory=list)
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    preview: list = field(default_factory=list)
    saved: bool = False
    table: object = None

    @property
    def accepted(self):
        return not self.errors

    def error(self, message, record=None, name=None, **extra):
        if len(self.errors) >= MAX_ERRORS:
            return
        if record is not None and name is not None and name in record.cells:
            column, header, value = record.cells[name]
            self.errors.append(Error(message, record.row, column, header, name, value))
        else:
            self.errors.append(Error(message, record.row if record else extra.get("row"), field=name))

    def as_dict(self):
        return {
            "format": self.format,
            "accepted": self.accepted,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": [error.as_dict() for error in self.errors],
            "preview": self.preview,
        }


# --- Table Schema checks --------------------------------------------------------------------------------------


def check_header(header, fields, report):
    names = [f.name for f in fields]
    header = [cell.strip().lstrip("\ufeff") if isinstance(cell, str) else cell for cell in header]
    while len(header) > len(names) and not str(header[-1]).strip():
        header = header[:-1]  # trailing empty header cells of a spreadsheet: not columns
    if len(header) < len(names):
        missing = [name for name in names if name not in header]
        report.errors.append(
            Error(
                _(
                    "Première ligne du fichier incorrecte : elle doit contenir les bons noms de colonnes et dans le "
                    "bon ordre (%(expected)s). Colonnes manquantes : %(missing)s."
                )
                % {"expected": ", ".join(names), "missing": ", ".join(missing) or _("aucune (ordre incorrect)")},
                row=1,
                field="en-tête",
                value=", ".join(str(cell) for cell in header),
            )
        )
        return
    for index, name in enumerate(names):
        if header[index] != name:
            report.errors.append(
                Error(
                    _("Valeur incorrecte vous avez écrit « %(wrong)s » au lieu de « %(right)s »")
                    % {"wrong": header[index], "right": name},
                    row=1,
                    column=index + 1,
                    header=str(header[index]),
                    field=name,
                    value=str(header[index]),
                )
            )
    extra = len(header) - len(names)
    if extra > 0:
        report.errors.append(
            Error(
                _(
                    "%(count)s colonnes supplémentaires : supprimez les %(count)s colonnes en excès et toutes les "
                    "données présentes dans ces dernières (un espace ou un symbole invisible peut suffire)."
                )
                % {"count": extra},
                row=1,
                column=len(names) + 1,
                field="en-tête",
                value=", ".join(str(cell) for cell in header[len(names) :]),
            )
        )


def check_rows(table, fmt, report) -> list:
    fields = fmt.fields
    width = len(fields)
    header = table.rows[0]
    records, seen = [], {f.name: {} for f in fields if f.unique}
    for line, row in enumerate(table.rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            report.error(_("ligne vide : supprimez-la"), row=line)
            continue
        report.rows += 1
        if table.kind == "xlsx":
            row = row + [""] * (width - len(row))
        if len(row) != width and not (len(row) > width and not any(str(c).strip() for c in row[width:])):
            report.error(_("La ligne n'a pas le même nombre de cellules que l'en-tête"), row=line)
        values, cells, ok = {}, {}, True
        for index, f in enumerate(fields):
            text = str(row[index]) if index < len(row) else ""
            cells[f.name] = (index + 1, str(header[index]) if index < len(header) else f.name, text)
            record = Record(line, values, cells)
            if index >= len(row):
                values[f.name] = None
                continue
            value, message = f.check(text)
            if message:
                ok = False
                report.error(message, record, f.name)
                continue
            values[f.name] = value
            if f.unique and value not in (None, ""):
                if value in seen[f.name]:
                    ok = False
                    report.error(
                        _("« %(value)s » figure déjà ligne %(line)s : une seule ligne par valeur de %(field)s")
                        % {"value": text.strip(), "line": seen[f.name][value], "field": f.name},
                        record,
                        f.name,
                    )
                else:
                    seen[f.name][value] = line
        if ok:
            records.append(Record(line, values, cells))
    return records


# --- canteens ----------------------------------------------------------------------------------------------------


def _identifier(value) -> str:
    return normalize_identifier(value)


def find_canteens(records, key, report, user, action):
    """{record row: canteen} for the records whose `key` (siret or cantine_id) names a canteen `user` may
    `action`; an error on the others."""
    wanted = {_identifier(r.values.get(key)) for r in records if r.values.get(key) not in (None, "")}
    if key == "siret":
        found = {c.siret: c for c in Canteen.objects.filter(siret__in=wanted)}
    else:
        ids = {int(Decimal(value)) for value in wanted if value.replace(".", "", 1).isdigit()}
        found = {str(c.pk): c for c in Canteen.objects.filter(pk__in=ids)}
    result = {}
    for record in records:
        value = _identifier(record.values.get(key))
        if key == "cantine_id" and value.endswith(".0"):
            value = value[:-2]
        canteen = found.get(value)
        if canteen is None:
            if key == "siret":
                message = _("Une cantine avec le siret « %(value)s » n'existe pas sur la plateforme.")
            else:
                message = _("Une cantine avec l'id « %(value)s » n'existe pas sur la plateforme.")
            report.error(message % {"value": value}, record, key)
        elif not may(user, canteen, action):
            report.error(_("Vous n'êtes pas un gestionnaire de cette cantine."), record, key)
        else:
            result[record.row] = canteen
    return result


# --- purchases ---------------------------------------------------------------------------------------------------


def _split(text):
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def purchase_of(record, old: bool) -> Purchase:
    values = record.values
    labels, origin, local, short_circuit = [], "", bool(values.get("est_local")), bool(values.get("est_circuit_court"))
    characteristics = _split(values.get("caracteristiques" if old else "categories_egalim"))
    for code in characteristics:
        if code in codes.LABELS:
            if codes.LABELS[code] not in labels:
                labels.append(codes.LABELS[code])
        elif code in codes.ORIGINS:
            origin = code
        elif code == codes.LOCAL:
            local = True
        elif code == codes.SHORT_CIRCUIT:
            short_circuit = True
    if not old and values.get("origine"):
        origin = values["origine"].strip()
    amount = values["prix_ht"].quantize(CENT, rounding=ROUND_HALF_UP)
    km = values.get("definition_local_km")
    return Purchase(
        date=values["date"],
        description=str(values.get("description") or "").strip()[:255],
        supplier=str(values.get("fournisseur") or "").strip()[:255],
        family=codes.FAMILIES[values["famille_produits"].strip()],
        labels=labels,
        amount=amount,
        origin=origin,
        short_circuit=short_circuit,
        local=local,
        local_definition=str(values.get("definition_local") or "").strip(),
        local_km=km.quantize(CENT) if km is not None else None,
    )


def plan_purchases(records, report, user, digest):
    fmt = report.format
    key = "siret" if "siret" in fmt else "cantine_id"
    old = fmt.endswith("_old")
    canteens = find_canteens(records, key, report, user, SUPPLY)
    by_canteen = defaultdict(list)
    for record in records:
        canteen = canteens.get(record.row)
        if canteen is None:
            continue
        purchase = purchase_of(record, old)
        if not FIRST_YEAR <= purchase.date.year <= LAST_YEAR:
            report.error(
                _("Année hors de %(first)s–%(last)s : ces achats ne peuvent remplir aucun bilan.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                record,
                "date",
            )
            continue
        if purchase.amount < 0:
            report.error(_("Le montant ne peut pas être négatif."), record, "prix_ht")
            continue
        by_canteen[canteen].append((record, purchase))
    if digest and PurchaseImport.objects.filter(digest=digest, canteen__in=list(by_canteen)).exists():
        report.errors.insert(0, Error(_("Ce fichier a déjà été utilisé pour un import")))
    from ..declaration import current  # declared years cannot change

    for canteen, items in by_canteen.items():
        years = sorted({purchase.date.year for _record, purchase in items})
        declared = [year for year in years if current(canteen, year)]
        if declared:
            report.error(
                _("La cantine « %(name)s » a déjà télédéclaré %(years)s : annulez la déclaration avant d'importer.")
                % {"name": canteen.name, "years": ", ".join(map(str, declared))},
                items[0][0],
                key,
            )
        before = {
            d.year: d.total for d in YearlyDiagnostic.objects.filter(canteen=canteen, year__in=years).only("total")
        }
        for year in years:
            added = [p.amount for _r, p in items if p.date.year == year]
            report.preview.append(
                {
                    "canteen_id": canteen.pk,
                    "canteen": canteen.name,
                    "siret": canteen.siret,
                    "year": year,
                    "purchases": len(added),
                    "amount": str(sum(added, Decimal(0))),
                    "total_before": str(before.get(year) or Decimal(0)),
                    "total_after": str((before.get(year) or Decimal(0)) + sum(added, Decimal(0))),
                }
            )
    count = sum(len(items) for items in by_canteen.values())
    report.created = {"purchases": count}
    report.updated = {"diagnostics": len(report.preview)}

    def save():
        # Under the canteens' row locks (the lock teledeclarations take), the checks above hold again: a file
        # sent twice at the same moment, or a declaration made meanwhile, stops the save (issue 15).
        for canteen in sorted(by_canteen, key=lambda canteen: canteen.pk):
            purchase_imports.lock_canteen(canteen)
        if digest and PurchaseImport.objects.filter(digest=digest, canteen__in=list(by_canteen)).exists():
            raise ConcurrentChange(_("Ce fichier a déjà été utilisé pour un import"))
        for canteen, items in by_canteen.items():
            if any(current(canteen, year) for year in {purchase.date.year for _record, purchase in items}):
                raise ConcurrentChange(
                    _("La cantine « %(name)s » a déjà télédéclaré : annulez la déclaration avant d'importer.")
                    % {"name": canteen.name}
                )
        for canteen, items in by_canteen.items():
            purchases = [purchase for _record, purchase in items]
            batch = PurchaseImport.objects.create(
                canteen=canteen,
                filename=report.filename[:255],
                line_count=len(purchases),
                total=sum((p.amount for p in purchases), Decimal(0)),
                years=sorted({p.date.year for p in purchases}),
                imported_by=user,
                digest=digest,
                file_format=fmt,
            )
            for purchase in purchases:
                purchase.canteen, purchase.batch = canteen, batch
            Purchase.objects.bulk_create(purchases, batch_size=2000)
            for year in batch.years:
                diagnostic, _created = YearlyDiagnostic.objects.get_or_create(canteen=canteen, year=year)
                diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
                diagnostic.set_purchases_from_detail(purchase_imports.aggregate(canteen, year))
                diagnostic.updated_by = user
                diagnostic.save()

    return save


# --- canteens ----------------------------------------------------------------------------------------------------


def canteen_fields(record, report, creating):
    """The model fields of a cantines_creer / cantines_modifier line, or None after reporting its errors."""
    values, errors = record.values, len(report.errors)
    data = {"name": str(values["nom"]).strip()[:255]}
    siret = _identifier(values.get("siret"))
    if siret or creating:
        if message := siret_error(siret):
            report.error(message, record, "siret")
        data["siret"] = siret
    if "siren_unite_legale" in values:
        siren = _identifier(values.get("siren_unite_legale"))
        if siren and (message := siren_error(siren)):
            report.error(message, record, "siren_unite_legale")
        data["siren_unite_legale"] = siren
        if not siret and not siren:
            report.error(_("Renseignez le SIRET de la cantine ou le SIREN de son unité légale."), record, "siret")
    if "code_insee" in values:
        insee = str(values.get("code_insee") or "").strip()
        if insee and insee.isdigit() and len(insee) == 4:
            insee = "0" + insee  # a spreadsheet dropped the leading zero
        if insee and department_of_commune(insee) is None:
            report.error(
                _("Le code INSEE de la commune compte 5 caractères (par exemple 75056)."), record, "code_insee"
            )
        elif not insee and not siret:
            report.error(
                _("Le code INSEE est obligatoire pour une cantine rattachée à une unité légale."), record, "code_insee"
            )
        if insee:
            data["city_insee_code"] = insee
    central = _identifier(values.get("siret_cuisine_centrale"))
    if central and (message := siret_error(central)):
        report.error(message, record, "siret_cuisine_centrale")
    daily, yearly = values["nombre_repas_jour"], values["nombre_repas_an"]
    if daily < 3:
        report.error(_("Au moins 3 repas par jour, couverts livrés compris."), record, "nombre_repas_jour")
    if yearly < 420:
        report.error(_("Au moins 420 repas par an, couverts livrés compris."), record, "nombre_repas_an")
    elif yearly <= daily:
        report.error(_("Le nombre de repas par an doit être supérieur au nombre par jour."), record, "nombre_repas_an")
    sectors, unknown = codes.sectors_of(values.get("secteurs"))
    if unknown:
        report.error(_("Secteur inconnu « %(value)s »") % {"value": unknown[0]}, record, "secteurs")
    elif len(sectors) > 3:
        report.error(
            _("3 secteurs maximum (vous en avez indiqué %(count)s).") % {"count": len(sectors)}, record, "secteurs"
        )
    elif not sectors:
        report.error(_("Indiquez de 1 à 3 secteurs."), record, "secteurs")
    production = codes.production(values["type_production"])
    if production is None:  # pragma: no cover - the schema's pattern refuses it first
        report.error(_("Type de production inconnu."), record, "type_production")
    ministry = codes.ministry(values.get("administration_tutelle")) if values.get("administration_tutelle") else ""
    economic_model = codes.economic_model(values["modèle_économique"])
    if ministry and economic_model != "public":
        report.error(
            _("Seul un restaurant public peut avoir une administration de tutelle."), record, "administration_tutelle"
        )
    if central and production != "satellite":
        report.error(
            _("La cuisine centrale ne se renseigne que pour un restaurant satellite."), record, "siret_cuisine_centrale"
        )
    group = values.get("groupe_id")
    if group is not None:
        kitchen = Canteen.objects.filter(pk=group, production_type__in=CENTRAL_TYPES).exclude(siret="").first()
        if production != "satellite":
            report.error(_("Le groupe ne se renseigne que pour un restaurant satellite."), record, "groupe_id")
        elif kitchen is None:
            report.error(
                _("Le groupe « %(value)s » n'existe pas : indiquez l'id d'une cuisine centrale inscrite.")
                % {"value": group},
                record,
                "groupe_id",
            )
        else:
            central = kitchen.siret
    if ministry and sectors and not set(sectors) & STATE_SECTORS:
        report.error(
            _("Une administration de tutelle ne se renseigne que pour un restaurant d'État (secteurs : %(s)s).")
            % {"s": ", ".join(codes.SECTOR_EXPORT[code] for code in sorted(STATE_SECTORS))},
            record,
            "administration_tutelle",
        )
    if production == "satellite" and central and central == siret:
        report.error(_("Un satellite ne peut pas être sa propre cuisine centrale."), record, "siret_cuisine_centrale")
    emails = _split(values.get("gestionnaires_additionnels"))
    for email in emails:
        if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
            report.error(
                _("Adresse e-mail invalide « %(value)s »") % {"value": email}, record, "gestionnaires_additionnels"
            )
    if len(report.errors) > errors:
        return None
    data.update(
        central_kitchen_siret=central if production == "satellite" else "",
        daily_meal_count=daily,
        yearly_meal_count=yearly,
        sectors=sectors,
        production_type=production,
        management_type=codes.management(values["type_gestion"]),
        economic_model=economic_model,
        line_ministry=ministry or "",
    )
    return data, emails


def add_managers(canteen, emails, inviter):
    added = 0
    for email in emails:
        email = email.lower()
        user = find_user_by_email(email)
        if user is not None and user.is_active:
            canteen.managers.add(user)
        else:
            ManagerInvitation.objects.get_or_create(canteen=canteen, email=email, defaults={"invited_by": inviter})
        added += 1
    return added


def plan_canteens_create(records, report, user, digest):
    wanted = {_identifier(r.values.get("siret")) for r in records}
    existing = set(Canteen.objects.filter(siret__in=wanted).values_list("siret", flat=True))
    rows = []
    for record in records:
        planned = canteen_fields(record, report, creating=True)
        if planned is None:
            continue
        data, emails = planned
        if data["siret"] in existing:
            report.error(
                _("Une cantine avec le SIRET « %(value)s » existe déjà sur la plateforme : demandez à la rejoindre.")
                % {"value": data["siret"]},
                record,
                "siret",
            )
            continue
        rows.append((data, emails))
        report.preview.append({"canteen": data["name"], "siret": data["siret"], "action": "create"})
    report.created = {"canteens": len(rows), "managers": sum(len(emails) for _d, emails in rows)}

    def save():
        for data, emails in rows:
            canteen = Canteen(**data)
            canteen.save()
            canteen.managers.add(user)
            add_managers(canteen, emails, user)

    return save


def plan_canteens_update(records, report, user, digest):
    canteens = find_canteens(records, "cantine_id", report, user, EDIT)
    rows = []
    taken = {}
    for record in records:
        canteen = canteens.get(record.row)
        planned = canteen_fields(record, report, creating=False)
        if canteen is None or planned is None:
            continue
        data, emails = planned
        if data.get("siret"):
            taken[data["siret"]] = (record, canteen.pk)
        rows.append((canteen, data, emails))
        report.preview.append(
            {"canteen_id": canteen.pk, "canteen": data["name"], "siret": data.get("siret", ""), "action": "update"}
        )
    if taken:
        clash = Canteen.objects.filter(siret__in=list(taken)).values_list("siret", "pk")
        for siret, pk in clash:
            record, own = taken[siret]
            if pk != own:
                report.error(_("Une autre cantine a déjà le SIRET « %(value)s ».") % {"value": siret}, record, "siret")
    report.updated = {"canteens": len(rows)}
    report.created = {"managers": sum(len(emails) for *_x, emails in rows)}

    def save():
        for canteen, data, emails in rows:
            for name, value in data.items():
                setattr(canteen, name, value)
            canteen.save()
            add_managers(canteen, emails, user)

    return save


def plan_managers(records, report, user, digest):
    canteens = find_canteens(records, "siret", report, user, MANAGE)
    rows = []
    for record in records:
        canteen = canteens.get(record.row)
        emails = _split(record.values.get("gestionnaires_additionnels"))
        bad = [email for email in emails if "@" not in email or " " in email]
        if bad:
            report.error(
                _("Adresse e-mail invalide « %(value)s »") % {"value": bad[0]}, record, "gestionnaires_additionnels"
            )
            continue
        if canteen is not None:
            rows.append((canteen, emails))
            report.preview.append(
                {"canteen_id": canteen.pk, "canteen": canteen.name, "siret": canteen.siret, "managers": len(emails)}
            )
    report.created = {"managers": sum(len(emails) for _c, emails in rows)}

    def save():
        for canteen, emails in rows:
            add_managers(canteen, emails, user)

    return save


# --- yearly figures (bilans simplifiés) ----------------------------------------------------------------------------

# bilans_simple_* column → YearlyDiagnostic field (the France amounts of the other families add up into `france`)
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


def plan_simple_diagnostics(records, report, user, digest):
    from ..declaration import current

    key = "siret" if "siret" in report.format else "cantine_id"
    canteens = find_canteens(records, key, report, user, SUPPLY)
    rows, seen = [], {}
    for record in records:
        canteen = canteens.get(record.row)
        year_text = str(record.values.get("année_bilan") or "").strip()
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            report.error(
                _("L'année doit être comprise entre %(first)s et %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                record,
                "année_bilan",
            )
            continue
        values = simple_values(record, report)
        if canteen is None or values is None:
            continue
        if (canteen.pk, year) in seen:
            report.error(
                _("Un seul bilan par cantine et par année : déjà ligne %(line)s.") % {"line": seen[(canteen.pk, year)]},
                record,
                key,
            )
            continue
        seen[(canteen.pk, year)] = record.row
        if current(canteen, year):
            report.error(
                _("Le bilan %(year)s de cette cantine est télédéclaré : annulez la déclaration avant d'importer.")
                % {"year": year},
                record,
                "année_bilan",
            )
            continue
        existing = YearlyDiagnostic.objects.filter(canteen=canteen, year=year).first()
        rows.append((canteen, year, values, existing))
        report.preview.append(
            {
                "canteen_id": canteen.pk,
                "canteen": canteen.name,
                "siret": canteen.siret,
                "year": year,
                "action": "update" if existing else "create",
                "total_before": str(existing.total) if existing and existing.total is not None else "",
                "total_after": str(values["total"]) if values["total"] is not None else "",
            }
        )
    report.created = {"diagnostics": sum(1 for *_x, existing in rows if existing is None)}
    report.updated = {"diagnostics": sum(1 for *_x, existing in rows if existing is not None)}

    def save():
        for canteen, year, values, existing in rows:
            diagnostic = existing or YearlyDiagnostic(canteen=canteen, year=year)
            diagnostic.mode = YearlyDiagnostic.Mode.SIMPLE
            diagnostic.family_detail = {}
            for name, value in values.items():
                setattr(diagnostic, name, value)
            diagnostic.updated_by = user
            diagnostic.save()

    return save


PLANNERS = {
    "achats_siret": plan_purchases,
    "achats_id": plan_purchases,
    "achats_siret_old": plan_purchases,
    "achats_id_old": plan_purchases,
    "cantines_creer": plan_canteens_create,
    "cantines_modifier": plan_canteens_update,
    "cantines_gestionnaires": plan_managers,
    "bilans_simple_siret": plan_simple_diagnostics,
    "bilans_simple_id": plan_simple_diagnostics,
}
# formats read and checked against their schema, whose saving waits for the yearly-figures model (issue 18)
CHECK_ONLY = tuple(name for name in schema.IMPORT_FORMATS if name not in PLANNERS)


def run(raw: bytes, filename: str, user, format_name: str | None = None, dry_run: bool = False) -> Report:
    report = Report(format=format_name)
    report.filename = filename or ""
    try:
        table = read(raw, filename)
    except FileRefused as error:
        report.errors.append(Error(str(error)))
        return report
    report.table = table
    if not table.rows:
        report.errors.append(Error(_("Le fichier est vide.")))
        return report
    if format_name is None:
        format_name = report.format = schema.detect(table.rows[0])
        if format_name is None:
            report.errors.append(
                Error(
                    _(
                        "Format non reconnu : la première ligne doit contenir les noms de colonnes d'un des modèles "
                        "de ma cantine (par exemple %(example)s)."
                    )
                    % {"example": ", ".join(schema.load("achats_siret").field_names)},
                    row=1,
                    value=", ".join(str(cell) for cell in table.rows[0]),
                )
            )
            return report
    elif format_name not in schema.IMPORT_FORMATS:
        report.errors.append(Error(_("Format inconnu « %(value)s ».") % {"value": format_name}))
        return report
    fmt = schema.load(format_name)
    check_header(table.rows[0], fmt.fields, report)
    if report.errors:
        return report
    records = check_rows(table, fmt, report)
    if report.errors:
        return report
    if report.rows == 0:
        report.errors.append(Error(_("Le fichier ne contient aucune ligne sous la ligne d'en-tête.")))
        return report
    planner = PLANNERS.get(format_name)
    if planner is None:
        report.errors.append(
            Error(
                _(
                    "Ce fichier est conforme au format « %(format)s », mais son enregistrement n'est pas encore "
                    "disponible ici : rien n'est enregistré."
                )
                % {"format": format_name}
            )
        )
        return report
    digest = hashlib.sha256(raw).hexdigest()
    save = planner(records, report, user, digest)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            save()
    except ConcurrentChange as error:  # another request saved first: nothing of this one is saved
        report.errors.append(Error(str(error)))
        return report
    report.saved = True
    return report
