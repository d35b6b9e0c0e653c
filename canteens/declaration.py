"""Teledeclaration: campaign windows, completeness and plausibility checks (the rules' table,
`egalim.declaration`), immutable versioned snapshots, central kitchens declaring for their
satellites, the receipt and the export of every version."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from diagnostic.summary import display_rate
from egalim import declaration as table
from egalim import formatting as fmt
from egalim.rules import PURCHASE_FIELDS

from .choices import CentralKitchenMode, DeclarationMode, sector_label
from .models import (
    DECLARATION_ANSWER_FIELDS,
    EXTRA_PURCHASE_FIELDS,
    Campaign,
    Purchase,
    Teledeclaration,
)

COST_PER_MEAL_WARNING = table.COST_PER_MEAL_BAND[1]
SUMMARY_RATES = ("bio", "egalim", "meat_fish_egalim")
# The purchase amounts of the calculator's form (blank is not 0). Which are mandatory depends on the data year:
# the rules' table (egalim.declaration) says; this names them with the form's labels.
MANDATORY_AMOUNTS = ("total", "bio", "siqo", "environmental", "other_egalim")


def missing_amounts(evaluation, missing=None) -> list[str]:
    """Labels of the mandatory amounts left blank (None, not 0), in the form's order; `missing` (the rules'
    table's missing fields) restricts them to what the data year asks."""
    from diagnostic.forms import PURCHASE_LABELS

    purchases = evaluation.input.purchases
    asked = MANDATORY_AMOUNTS if missing is None else [name for name in MANDATORY_AMOUNTS if name in missing]
    return [str(PURCHASE_LABELS[name][0]) for name in asked if getattr(purchases, name) is None]


def missing_amounts_message(missing) -> str:
    return _("Montants obligatoires non renseignés : %(fields)s. Indiquez 0 s'il n'y a eu aucun achat.") % {
        "fields": ", ".join(missing)
    }


class DeclarationRefused(Exception):
    """Refused, with a message; `errors` maps fields to messages (the API's `{"errors": …}`)."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {"non_field_errors": [str(message)]}


class DeclarationIncomplete(DeclarationRefused):
    def __init__(self, missing, lang="fr", message=None):
        self.missing = missing
        generic = ngettext(
            "La déclaration est incomplète : %(count)s valeur obligatoire manque.",
            "La déclaration est incomplète : %(count)s valeurs obligatoires manquent.",
            len(missing),
        ) % {"count": len(missing)}
        super().__init__(
            f"{generic} {message}" if message else generic,
            {item.field: [item.message(lang)] for item in missing},
        )


class ConfirmationNeeded(DeclarationRefused):
    def __init__(self, warnings):
        self.warnings = warnings
        errors = {}
        for warning in warnings:
            errors.setdefault(warning.field, []).append(warning.message)
        super().__init__(
            _("Des valeurs semblent invraisemblables : confirmez-les pour déclarer (%(codes)s).")
            % {"codes": ", ".join(warning.code for warning in warnings)},
            errors,
        )


class OutsideCampaign(DeclarationRefused):
    pass


def campaign_for(year):
    return Campaign.objects.filter(year=year).first()


def phase(year, today=None):
    campaign = campaign_for(year)
    return campaign.phase(today) if campaign else None


def current(canteen, year):
    return Teledeclaration.objects.filter(canteen=canteen, year=year).submitted().first()


def _date(value):
    return formats.date_format(value, "j F Y") if value else ""


def window_message(year, campaign=None) -> str:
    """Why a declaration is refused today: the campaign's dates, or that there is none."""
    campaign = campaign or campaign_for(year)
    if campaign is None:
        return _("Aucune campagne de télédéclaration n'est prévue pour les données %(year)s.") % {"year": year}
    message = _("La télédéclaration des données %(year)s n'est pas ouverte : déclaration du %(start)s au %(end)s") % {
        "year": year,
        "start": _date(campaign.declaration_start),
        "end": _date(campaign.declaration_end),
    }
    if campaign.correction_start:
        message += _(", corrections du %(start)s au %(end)s") % {
            "start": _date(campaign.correction_start),
            "end": _date(campaign.correction_end),
        }
    if campaign.closed_on:
        message += _(" ; campagne close le %(date)s") % {"date": _date(campaign.closed_on)}
    return message + "."


# --- what is declared, and its checks ---------------------------------------------------------------------


def declared_values(diagnostic) -> dict:
    """The flat mapping the rules' declaration table reads (blank stays None, 0 stays 0)."""
    values = {name: getattr(diagnostic, name) for name in PURCHASE_FIELDS + EXTRA_PURCHASE_FIELDS}
    values.update({name: getattr(diagnostic, name) for name in DECLARATION_ANSWER_FIELDS})
    values["answers"] = diagnostic.answers or {}
    values["family_detail"] = diagnostic.family_detail or {}
    return values


def confirmed_satellites(canteen):
    """The satellites a central kitchen may declare for: those whose managers confirmed the link to it
    (`Canteen.satellites()` keeps only the confirmed ones)."""
    return canteen.satellites()


def central_declaration_for(canteen, year):
    """The submitted declaration of the central kitchen that declares this satellite's data, if any."""
    central = canteen.central_kitchen() if canteen.is_satellite else None
    if central is None or central.pk != canteen.confirmed_central_kitchen_id:
        return None
    return (
        Teledeclaration.objects.submitted()
        .filter(canteen=central, year=year, mode__in=[DeclarationMode.CENTRAL_APPRO, DeclarationMode.CENTRAL_ALL])
        .first()
    )


def declaration_mode(canteen, diagnostic) -> str:
    if canteen.is_central_kitchen and diagnostic.central_kitchen_mode == CentralKitchenMode.ALL:
        return DeclarationMode.CENTRAL_ALL
    if canteen.is_central_kitchen and diagnostic.central_kitchen_mode == CentralKitchenMode.APPRO:
        return DeclarationMode.CENTRAL_APPRO
    if canteen.is_satellite:
        central = central_declaration_for(canteen, diagnostic.year)
        if central is not None and central.mode == DeclarationMode.CENTRAL_APPRO:
            return DeclarationMode.SATELLITE_WITHOUT_APPRO
    return DeclarationMode.SITE


def context_for(canteen, diagnostic, mode=None) -> table.Context:
    return table.Context(
        year=diagnostic.year,
        mode=diagnostic.mode,
        declaration_mode=mode or declaration_mode(canteen, diagnostic),
        daily_meals=canteen.daily_meal_count,
        central_kitchen=canteen.is_central_kitchen and confirmed_satellites(canteen).exists(),
    )


def imported_total(canteen, year):
    return Purchase.objects.filter(canteen=canteen, date__year=year).aggregate(total=Sum("amount"))["total"] or None


def check(canteen, diagnostic, lang=None):
    """(missing mandatory values, implausible values) of what would be declared now."""
    lang = lang or get_language() or "fr"
    values = declared_values(diagnostic)
    context = context_for(canteen, diagnostic)
    missing = table.missing(values, context, lang)
    found = table.warnings(
        values,
        context,
        yearly_meals=canteen.yearly_meal_count,
        imported_total=imported_total(canteen, diagnostic.year),
        lang=lang,
    )
    return missing, found


def field_anchor(canteen, diagnostic, field) -> str:
    """Where to fill a missing value: the diagnostic's edit page, at the field's input."""
    url = diagnostic.get_absolute_url() + "modifier/"
    if field.startswith("answers."):
        _answers, measure, name = field.split(".", 2)
        return f"{url}#id_{measure}-{name}"
    if field.startswith("family_detail."):
        _detail, family, column = field.split(".", 2)
        return f"{url}?mode=detailed#id_{family}__{column}"
    return f"{url}#id_{field}"


def warnings(canteen, diagnostic, evaluation) -> list[str]:
    """Things worth a second look before sending (the summary screen): blank mandatory amounts, the rules'
    implausible values (to confirm), answers the evaluation lacks."""
    lang = translation.get_language() or "fr"
    missing_fields, found = check(canteen, diagnostic)
    messages = []
    missing_amounts_ = missing_amounts(evaluation, {item.field for item in missing_fields})
    if missing_amounts_:
        messages.append(missing_amounts_message(missing_amounts_))
    messages += [warning.message for warning in found]
    missing = [path for result in evaluation.measures.values() for path in result.missing]
    if missing and diagnostic.year < 2025:
        messages.append(
            ngettext(
                "%(count)s réponse manque au diagnostic : la mesure concernée restera « à compléter ».",
                "%(count)s réponses manquent au diagnostic : les mesures concernées resteront « à compléter ».",
                len(missing),
            )
            % {"count": fmt.integer(len(missing), lang)}
        )
    return messages


def recap(canteen, diagnostic, evaluation) -> dict:
    """The summary screen's figures before sending: the canteen and diagnostic as they are now."""
    return {
        "name": canteen.name,
        "identifier": canteen.identifier,
        "total": diagnostic.total,
        "yearly_meal_count": canteen.yearly_meal_count,
        "cost_per_meal": diagnostic.cost_per_meal(canteen),
        "rates": {name: display_rate(evaluation.rates[name]) for name in SUMMARY_RATES},
    }


def recap_of_snapshot(data) -> dict:
    """The same figures read from a declaration's snapshot: what was sent, whatever changed since."""

    def decimal(value):
        return None if value in (None, "") else Decimal(value)

    identity = data.get("canteen") or {}
    rates = (data.get("results") or {}).get("rates") or {}
    return {
        "name": identity.get("name"),
        "identifier": identity.get("siret") or identity.get("siren_unite_legale"),
        "total": decimal(((data.get("inputs") or {}).get("purchases") or {}).get("total")),
        "yearly_meal_count": identity.get("yearly_meal_count"),
        "cost_per_meal": decimal(data.get("cost_per_meal")),
        "rates": {name: display_rate(decimal(rates.get(name))) for name in SUMMARY_RATES},
    }


def _json(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def territory(canteen) -> dict:
    department = canteen.territory_department
    region = department.region if department is not None else None
    return {
        "department": canteen.department,
        "department_name": department.name if department is not None else "",
        "region": region.code if region is not None else "",
        "region_name": region.name if region is not None else "",
        "epci": canteen.epci,
        "epci_name": canteen.epci_name,
        "pat": list(canteen.pat or []),
    }


def applicant(user) -> dict:
    if user is None:
        return {}
    return {"id": user.pk, "name": user.get_full_name() or "", "email": user.email}


def satellite_identity(satellite) -> dict:
    return {
        "id": satellite.pk,
        "name": satellite.name,
        "siret": satellite.siret,
        "siren_unite_legale": satellite.siren_unite_legale,
        "daily_meal_count": satellite.daily_meal_count,
        "yearly_meal_count": satellite.yearly_meal_count,
    }


def snapshot(canteen, diagnostic, evaluation, *, mode=DeclarationMode.SITE, satellites=()) -> dict:
    """Everything declared, as JSON: the canteen's identity and territory, the inputs, the rules' results."""

    def amount(value):
        return None if value is None else f"{value:.2f}"

    cost = diagnostic.cost_per_meal(canteen)
    return {
        "canteen": {
            "id": canteen.pk,
            "name": canteen.name,
            "siret": canteen.siret,
            "siren_unite_legale": canteen.siren_unite_legale,
            "city_insee_code": canteen.city_insee_code,
            "city": canteen.city,
            "department": canteen.department,
            "sectors": list(canteen.sectors),
            "sector_labels": [sector_label(code) for code in canteen.sectors],
            "management_type": canteen.management_type,
            "production_type": canteen.production_type,
            "central_kitchen_siret": canteen.central_kitchen_siret,
            "economic_model": canteen.economic_model,
            "line_ministry": canteen.line_ministry,
            "daily_meal_count": canteen.daily_meal_count,
            "yearly_meal_count": canteen.yearly_meal_count,
            "satellite_count": len(satellites),
        },
        "territory": territory(canteen),
        "mode": str(mode),
        "inputs": {
            "year": diagnostic.year,
            "mode": diagnostic.mode,
            "purchases": {name: amount(getattr(diagnostic, name)) for name in PURCHASE_FIELDS},
            "declared": {
                **{name: amount(getattr(diagnostic, name)) for name in EXTRA_PURCHASE_FIELDS},
                **{name: _json(getattr(diagnostic, name)) for name in DECLARATION_ANSWER_FIELDS},
            },
            "family_detail": diagnostic.family_detail,
            "answers": diagnostic.answers,
        },
        "results": evaluation.as_dict("fr"),
        "cost_per_meal": amount(cost),
    }


def _next_version(canteen, year):
    last = Teledeclaration.objects.filter(canteen=canteen, year=year).aggregate(v=Max("version"))["v"]
    return (last or 0) + 1


def submit(canteen, diagnostic, user, today=None, *, confirmed=(), lang=None) -> Teledeclaration:
    """Declare `diagnostic`: refused outside the campaign (with its dates), when a mandatory value is blank
    (DeclarationIncomplete, every missing field), or when an implausible value is not in `confirmed`
    (ConfirmationNeeded). A central kitchen declaring everything for its satellites also creates their
    declarations (version by version, each pointing to the central kitchen's)."""
    if phase(diagnostic.year, today) is None:
        raise OutsideCampaign(window_message(diagnostic.year))
    mode = declaration_mode(canteen, diagnostic)
    satellites = (
        list(confirmed_satellites(canteen))
        if mode in (DeclarationMode.CENTRAL_ALL, DeclarationMode.CENTRAL_APPRO)
        else []
    )
    with transaction.atomic():
        # Lock the canteen rows (and the satellites declared for): two managers submitting together get
        # versions 1 and 2, never twice 1, and an import sent at the same moment (it takes the same lock,
        # canteens/imports.py) either lands before the diagnostic is read below, or sees the year declared
        # and is refused. The checks run on the diagnostic as read under the lock.
        list(
            type(canteen)
            .objects.select_for_update()
            .filter(pk__in=[canteen.pk, *(satellite.pk for satellite in satellites)])
            .order_by("pk")
        )
        diagnostic.refresh_from_db()
        if canteen.is_satellite:
            central = central_declaration_for(canteen, diagnostic.year)
            if central is not None and central.mode == DeclarationMode.CENTRAL_ALL:
                raise DeclarationRefused(
                    _("La cuisine centrale %(name)s déclare déjà toutes les données de ce restaurant satellite.")
                    % {"name": central.canteen.name}
                )
        missing, found = check(canteen, diagnostic, lang)
        if missing:
            amounts = missing_amounts(diagnostic.evaluate(canteen), {item.field for item in missing})
            message = missing_amounts_message(amounts) if amounts else None
            raise DeclarationIncomplete(missing, lang or get_language() or "fr", message)
        unconfirmed = [warning for warning in found if warning.code not in set(confirmed)]
        if unconfirmed:
            raise ConfirmationNeeded(unconfirmed)
        mode = declaration_mode(canteen, diagnostic)
        evaluation = diagnostic.evaluate(canteen)
        if current(canteen, diagnostic.year) is not None:
            raise DeclarationRefused(_("Cette année est déjà télédéclarée : annulez la déclaration pour la corriger."))
        data = snapshot(canteen, diagnostic, evaluation, mode=mode, satellites=satellites)
        declaration = Teledeclaration.objects.create(
            canteen=canteen,
            year=diagnostic.year,
            version=_next_version(canteen, diagnostic.year),
            snapshot=data,
            submitted_by=user,
            mode=mode,
            applicant_snapshot=applicant(user),
            satellites_snapshot=[satellite_identity(satellite) for satellite in satellites],
            confirmed_warnings=sorted({warning.code for warning in found}),
        )
        if mode == DeclarationMode.CENTRAL_ALL:
            for satellite in satellites:
                if current(satellite, diagnostic.year) is not None:
                    continue  # declared on its own: kept (the central kitchen's snapshot still lists it)
                satellite_data = snapshot(satellite, diagnostic, evaluation, mode=mode)
                satellite_data["central_kitchen"] = {"id": canteen.pk, "name": canteen.name, "siret": canteen.siret}
                Teledeclaration.objects.create(
                    canteen=satellite,
                    year=diagnostic.year,
                    version=_next_version(satellite, diagnostic.year),
                    snapshot=satellite_data,
                    submitted_by=user,
                    mode=mode,
                    applicant_snapshot=declaration.applicant_snapshot,
                    central_declaration=declaration,
                    confirmed_warnings=declaration.confirmed_warnings,
                )
        return declaration


def cancel(declaration, user, today=None):
    """Cancel a declaration (and the satellites' declarations a central kitchen made with it)."""
    if phase(declaration.year, today) is None:
        raise OutsideCampaign(
            _("La campagne est close : la déclaration ne peut plus être annulée.")
            + " "
            + window_message(declaration.year)
        )
    if declaration.status != Teledeclaration.Status.SUBMITTED:
        raise DeclarationRefused(_("Cette déclaration est déjà annulée."))
    if declaration.central_declaration_id is not None:
        raise DeclarationRefused(
            _("Cette déclaration a été faite par la cuisine centrale : elle seule peut l'annuler.")
        )
    now = timezone.now()
    with transaction.atomic():
        for sent in [declaration, *declaration.satellite_declarations.submitted()]:
            sent.status = Teledeclaration.Status.CANCELLED
            sent.cancelled_by = user
            sent.cancelled_at = now
            sent.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    return declaration


# --- export of every version --------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    ["canteen_id", "name", "siret", "year", "version", "status", "mode", "submitted_at", "submitted_by"]
    + ["cancelled_at", "region", "department", "epci", "central_declaration"]
    + list(PURCHASE_FIELDS)
    + list(EXTRA_PURCHASE_FIELDS)
    + list(DECLARATION_ANSWER_FIELDS)
    + ["bio_rate", "egalim_rate", "meat_fish_egalim_rate", "cost_per_meal", "confirmed_warnings"]
)


def export_rows(declarations):
    """One row per version (cancelled ones too), from each snapshot: what was declared, not today's data."""
    for sent in declarations:
        data = sent.snapshot or {}
        identity = data.get("canteen") or {}
        where = data.get("territory") or {}
        inputs = data.get("inputs") or {}
        purchases = inputs.get("purchases") or {}
        declared = inputs.get("declared") or {}
        rates = (data.get("results") or {}).get("rates") or {}
        row = [
            identity.get("id"),
            identity.get("name"),
            identity.get("siret") or identity.get("siren_unite_legale"),
            sent.year,
            sent.version,
            sent.status,
            sent.mode,
            sent.submitted_at.isoformat(),
            (sent.applicant_snapshot or {}).get("email", ""),
            sent.cancelled_at.isoformat() if sent.cancelled_at else "",
            where.get("region", ""),
            where.get("department", identity.get("department", "")),
            where.get("epci", ""),
            sent.central_declaration_id or "",
        ]
        row += [purchases.get(name) for name in PURCHASE_FIELDS]
        row += [declared.get(name) for name in EXTRA_PURCHASE_FIELDS]
        row += [
            ", ".join(map(str, value)) if isinstance(value, list) else value
            for value in (declared.get(name) for name in DECLARATION_ANSWER_FIELDS)
        ]
        row += [rates.get("bio"), rates.get("egalim"), rates.get("meat_fish_egalim"), data.get("cost_per_meal")]
        row += [", ".join(sent.confirmed_warnings or [])]
        yield ["" if value is None else value for value in row]
