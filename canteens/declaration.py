"""Teledeclaration: campaign windows, the summary's warnings, immutable versioned snapshots, the receipt."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egalim import formatting as fmt
from egalim.rules import PURCHASE_FIELDS

from .choices import sector_label
from .models import Campaign, Teledeclaration
from .results import display_rate

# Guard-rail of the summary screen (not an EGAlim rule): above this, the cost per meal is probably a typo.
COST_PER_MEAL_WARNING = Decimal("20")
SUMMARY_RATES = ("bio", "egalim", "meat_fish_egalim")
# Amounts without which the bio and EGAlim rates cannot be computed: a blank one refuses the declaration (0 is a
# valid answer: "no purchase"). The full completeness rules of a declaration extend this (teledeclaration issue).
MANDATORY_AMOUNTS = ("total", "bio", "siqo", "environmental", "other_egalim")


def missing_amounts(evaluation) -> list[str]:
    """Labels of the mandatory amounts left blank (None, not 0), in the form's order."""
    from diagnostic.forms import PURCHASE_LABELS

    purchases = evaluation.input.purchases
    return [str(PURCHASE_LABELS[name][0]) for name in MANDATORY_AMOUNTS if getattr(purchases, name) is None]


def missing_amounts_message(missing) -> str:
    return _("Montants obligatoires non renseignés : %(fields)s. Indiquez 0 s'il n'y a eu aucun achat.") % {
        "fields": ", ".join(missing)
    }


class DeclarationRefused(Exception):
    pass


def campaign_for(year):
    return Campaign.objects.filter(year=year).first()


def phase(year, today=None):
    campaign = campaign_for(year)
    return campaign.phase(today) if campaign else None


def current(canteen, year):
    return Teledeclaration.objects.filter(canteen=canteen, year=year).submitted().first()


def warnings(canteen, diagnostic, evaluation) -> list[str]:
    """Things worth a second look before sending (the declaration may still be sent)."""
    messages = []
    lang = translation.get_language() or "fr"
    cost = diagnostic.cost_per_meal(canteen)
    if cost is not None and cost > COST_PER_MEAL_WARNING:
        messages.append(
            _(
                "Le coût des denrées par repas est de %(cost)s €, au-dessus de %(limit)s € : vérifiez le total des "
                "achats et le nombre de couverts par an."
            )
            % {"cost": fmt.number(cost, 2, lang), "limit": fmt.number(COST_PER_MEAL_WARNING, 0, lang)}
        )
    missing_amounts_ = missing_amounts(evaluation)
    if missing_amounts_:
        messages.append(missing_amounts_message(missing_amounts_))
    missing = [path for result in evaluation.measures.values() for path in result.missing]
    if missing:
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


def snapshot(canteen, diagnostic, evaluation) -> dict:
    """Everything declared, as JSON: the canteen's identity, the inputs and the rules' results."""

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
        },
        "inputs": {
            "year": diagnostic.year,
            "mode": diagnostic.mode,
            "purchases": {name: amount(getattr(diagnostic, name)) for name in PURCHASE_FIELDS},
            "family_detail": diagnostic.family_detail,
            "answers": diagnostic.answers,
        },
        "results": evaluation.as_dict("fr"),
        "cost_per_meal": amount(cost),
    }


def submit(canteen, diagnostic, user, today=None) -> Teledeclaration:
    if phase(diagnostic.year, today) is None:
        raise DeclarationRefused(_("La télédéclaration de cette année n'est pas ouverte."))
    with transaction.atomic():
        # Lock the canteen row: two managers submitting together get versions 1 and 2, never twice 1, and an
        # import sent at the same moment (it takes the same lock, canteens/imports.py) either lands before the
        # diagnostic is read below, or sees the year declared and is refused.
        type(canteen).objects.select_for_update().filter(pk=canteen.pk).first()
        diagnostic.refresh_from_db()
        evaluation = diagnostic.evaluate(canteen)
        if current(canteen, diagnostic.year) is not None:
            raise DeclarationRefused(_("Cette année est déjà télédéclarée : annulez la déclaration pour la corriger."))
        missing = missing_amounts(evaluation)
        if missing:
            raise DeclarationRefused(missing_amounts_message(missing))
        last = Teledeclaration.objects.filter(canteen=canteen, year=diagnostic.year).aggregate(v=Max("version"))["v"]
        return Teledeclaration.objects.create(
            canteen=canteen,
            year=diagnostic.year,
            version=(last or 0) + 1,
            snapshot=snapshot(canteen, diagnostic, evaluation),
            submitted_by=user,
        )


def cancel(declaration, user, today=None):
    if phase(declaration.year, today) is None:
        raise DeclarationRefused(_("La campagne est close : la déclaration ne peut plus être annulée."))
    if declaration.status != Teledeclaration.Status.SUBMITTED:
        raise DeclarationRefused(_("Cette déclaration est déjà annulée."))
    declaration.status = Teledeclaration.Status.CANCELLED
    declaration.cancelled_by = user
    declaration.cancelled_at = timezone.now()
    declaration.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    return declaration
