from django.core.management.base import BaseCommand

from territories import stats


class Command(BaseCommand):
    help = (
        "Recalcule les chiffres stockés des cantines et des télédéclarations (registre, tableaux de bord, open data). "
        "Utile après un import en masse ou une restauration : les enregistrements ordinaires les tiennent à jour."
    )

    def handle(self, *args, **options):
        count = stats.rebuild(log=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"{count} cantines recalculées."))
