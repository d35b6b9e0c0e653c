"""Campaign reminders: to the managers of canteens without a declaration, from the hub's mail template, once
per campaign and kind (idempotent), rate-limited, refused outside the campaign."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from canteens import declaration
from canteens.models import CampaignReminder
from tests.factories import CampaignFactory, CanteenFactory, MailTemplateFactory, UserFactory, YearlyDiagnosticFactory


@pytest.fixture
def campaign(db):
    today = timezone.localdate()
    return CampaignFactory(
        year=2024,
        declaration_start=today - datetime.timedelta(days=3),
        declaration_end=today + datetime.timedelta(days=7),
        correction_start=None,
        correction_end=None,
    )


@pytest.fixture
def template(db):
    return MailTemplateFactory(
        code="relance-teledeclaration",
        subject="{{ nom_cantine }} : télédéclarez vos données {{ annee }}",
        body="Bonjour,\n\nLa cantine {{ nom_cantine }} ({{ commune }}) n'a pas télédéclaré. Avant le "
        "{{ date_limite }} : {{ lien }}",
        placeholders="nom_cantine, commune, annee, date_limite, lien",
    )


def test_reminders_go_once_to_canteens_that_have_not_declared(campaign, template, capsys):
    late = CanteenFactory(name="Cantine en retard", managers=[UserFactory(email="g1@example.org")])
    done_manager = UserFactory(email="g2@example.org")
    done = CanteenFactory(name="Cantine à jour", managers=[done_manager])
    declaration.submit(done, YearlyDiagnosticFactory(canteen=done, year=2024), done_manager)
    CanteenFactory(name="Cantine sans gestionnaire")

    call_command("send_campaign_reminders", "--year", "2024", "--per-minute", "0")
    assert [message.to for message in mail.outbox] == [["g1@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Cantine en retard : télédéclarez vos données 2024"
    assert f"/mes-cantines/{late.pk}/" in message.body and "Rennes" in message.body
    assert "{{" not in message.body
    assert "1 relance envoyée, " in capsys.readouterr().out

    # Idempotent: a second run sends nothing; another kind of reminder goes again.
    call_command("send_campaign_reminders", "--year", "2024", "--per-minute", "0")
    assert len(mail.outbox) == 1
    call_command("send_campaign_reminders", "--year", "2024", "--kind", "last-week", "--per-minute", "0")
    assert len(mail.outbox) == 2
    assert CampaignReminder.objects.count() == 2


def test_limit_per_run(campaign, template):
    for n in range(3):
        CanteenFactory(managers=[UserFactory(email=f"m{n}@example.org")])
    call_command("send_campaign_reminders", "--year", "2024", "--per-minute", "0", "--limit", "2")
    assert len(mail.outbox) == 2
    call_command("send_campaign_reminders", "--year", "2024", "--per-minute", "0")
    assert len(mail.outbox) == 3


def test_no_reminder_outside_the_campaign_or_without_template(campaign, template):
    campaign.closed_on = timezone.localdate()
    campaign.save()
    CanteenFactory(managers=[UserFactory(email="g1@example.org")])
    with pytest.raises(CommandError, match="pas ouverte"):
        call_command("send_campaign_reminders", "--year", "2024")
    with pytest.raises(CommandError, match="Aucune campagne"):
        call_command("send_campaign_reminders", "--year", "2023")
    campaign.closed_on = None
    campaign.save()
    with pytest.raises(CommandError, match="Aucun modèle"):
        call_command("send_campaign_reminders", "--year", "2024", "--template", "inconnu")
    assert mail.outbox == []


def test_the_demo_reminder_template_is_filled_by_the_command(campaign):
    """The demo's `relance-teledeclaration` template (resources/demo_content.py) uses the command's placeholders,
    in French and in English: a reminder sent from it has none left."""
    from resources.demo_content import MAIL_TEMPLATES, MAIL_TEMPLATES_EN

    demo = next(data for data in MAIL_TEMPLATES if data["code"] == "relance-teledeclaration")
    template = MailTemplateFactory(
        code=demo["code"], subject=demo["subject"], body=demo["body"], placeholders=demo["placeholders"]
    )
    template.full_clean()
    english = MAIL_TEMPLATES_EN[demo["code"]]
    MailTemplateFactory.build(
        code="en", subject=english["subject"], body=english["body"], placeholders=demo["placeholders"]
    ).clean()
    CanteenFactory(name="Cantine en retard", managers=[UserFactory(email="g1@example.org")])
    call_command("send_campaign_reminders", "--year", "2024", "--per-minute", "0")
    message = mail.outbox[0]
    assert message.subject == "Plus que quelques jours pour télédéclarer les données 2024 de Cantine en retard"
    assert "{{" not in message.subject + message.body and "/mes-cantines/" in message.body
