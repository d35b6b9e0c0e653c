"""Reminders of a campaign to the canteens that have not declared: one e-mail per canteen (to its managers),
written from a mail template of the resource hub (`MailTemplate`, code `relance-teledeclaration` by default,
placeholders `nom_cantine`, `commune`, `annee`, `date_limite`, `lien`).

Idempotent: each sending is recorded (`CampaignReminder`, unique per campaign, canteen and kind) before the
e-mail leaves, in the same transaction, so running the command twice sends nothing the second time and two
runs at once never send twice. Rate-limited: at most `per_minute` e-mails a minute (a pause between two).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats

from .models import Campaign, CampaignReminder, Canteen, Teledeclaration

DEFAULT_TEMPLATE = "relance-teledeclaration"


class ReminderError(Exception):
    pass


@dataclass
class Result:
    sent: int = 0
    skipped: int = 0  # already reminded (this kind), or no manager with an address
    pending: int = 0  # canteens still without a declaration


def pending_canteens(campaign):
    """Canteens with managers and no declaration in force for the campaign's year (a satellite declared by its
    central kitchen has one)."""
    declared = Teledeclaration.objects.submitted().filter(canteen=OuterRef("pk"), year=campaign.year)
    return Canteen.objects.filter(managers__isnull=False).exclude(Exists(declared)).distinct().order_by("pk")


def template_for(code):
    from wagtail.models import Locale

    from resources.models import MailTemplate

    template = MailTemplate.objects.filter(code=code, locale=Locale.get_default()).first()
    if template is None:
        raise ReminderError(f"Aucun modèle de mail « {code} » dans le centre de ressources.")
    return template


def send_reminders(year, *, kind="reminder", template_code=DEFAULT_TEMPLATE, per_minute=30, limit=None, log=None):
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise ReminderError(f"Aucune campagne pour les données {year}.")
    if campaign.phase() is None:
        raise ReminderError(f"La campagne {year} n'est pas ouverte : pas de relance.")
    template = template_for(template_code)
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    deadline = campaign.declaration_end if campaign.phase() == "declaration" else campaign.correction_end
    pause = 60 / per_minute if per_minute else 0
    result = Result()
    already = set(CampaignReminder.objects.filter(campaign=campaign, kind=kind).values_list("canteen_id", flat=True))
    for canteen in pending_canteens(campaign).prefetch_related("managers").iterator(chunk_size=200):
        result.pending += 1
        recipients = sorted({user.email for user in canteen.managers.all() if user.is_active and user.email})
        if canteen.pk in already or not recipients:
            result.skipped += 1
            continue
        if limit is not None and result.sent >= limit:
            continue
        subject, body = template.render(
            {
                "nom_cantine": canteen.name,
                "commune": canteen.city,
                "annee": str(year),
                "date_limite": formats.date_format(deadline, "j F Y"),
                "lien": base_url + reverse("canteens:detail", args=[canteen.pk]),
            }
        )
        try:
            with transaction.atomic():
                CampaignReminder.objects.create(campaign=campaign, canteen=canteen, kind=kind, recipients=recipients)
                EmailMessage(subject, body, to=recipients).send()
        except IntegrityError:  # another run reminded it meanwhile
            result.skipped += 1
            continue
        result.sent += 1
        if log:
            log(f"{canteen.pk} {canteen.name}: {', '.join(recipients)}")
        if pause:
            time.sleep(pause)
    return result
