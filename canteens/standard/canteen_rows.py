"""Canteens (`cantines_creer`, `cantines_modifier`) and their managers (`cantines_gestionnaires`)."""

from django.utils.translation import gettext as _

from accounts.backends import find_user_by_email

from ..choices import CENTRAL_TYPES
from ..models import Canteen, ManagerInvitation
from ..permissions import EDIT, MANAGE
from ..validators import commune_code_error, siren_error, siret_error
from . import codes
from .core import STATE_SECTORS, _identifier, _split, find_canteens


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
        insee = str(values.get("code_insee") or "").strip().upper()
        if insee and insee.isdigit() and len(insee) == 4:
            insee = "0" + insee  # a spreadsheet dropped the leading zero
        if insee and (message := commune_code_error(insee)):
            report.error(message, record, "code_insee")
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
