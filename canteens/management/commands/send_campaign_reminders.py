"""`manage.py send_campaign_reminders --year 2025 [--kind last-week] [--per-minute 30] [--limit 500]`:
e-mail the managers of the canteens that have not declared (canteens/reminders.py; idempotent per kind)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from canteens.reminders import DEFAULT_TEMPLATE, ReminderError, send_reminders


class Command(BaseCommand):
    help = "Relance par e-mail les cantines qui n'ont pas télédéclaré (une fois par campagne et par type)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="année des données de la campagne")
        parser.add_argument("--kind", default="reminder", help="type de relance : chaque type part une fois")
        parser.add_argument("--template", default=DEFAULT_TEMPLATE, help="code du modèle de mail du centre")
        parser.add_argument("--per-minute", type=int, default=30, help="e-mails par minute au plus (0 : sans pause)")
        parser.add_argument("--limit", type=int, default=None, help="nombre d'e-mails au plus pour ce passage")

    def handle(self, *args, **options):
        try:
            result = send_reminders(
                options["year"],
                kind=options["kind"],
                template_code=options["template"],
                per_minute=options["per_minute"],
                limit=options["limit"],
                log=self.stdout.write if options["verbosity"] > 1 else None,
            )
        except ReminderError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext("%(n)s relance envoyée", "%(n)s relances envoyées", result.sent) % {"n": result.sent}
            + ", "
            + ngettext("%(n)s déjà faite ou sans adresse", "%(n)s déjà faites ou sans adresse", result.skipped)
            % {"n": result.skipped}
            + ", "
            + ngettext("%(n)s cantine sans déclaration.", "%(n)s cantines sans déclaration.", result.pending)
            % {"n": result.pending}
        )
