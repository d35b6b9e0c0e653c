"""Load the demo content: `python manage.py load_demo` (idempotent).

Each app contributes its own content through a `demo` module exposing `load(command)`;
they run in the order of DEMO_APPS, so later apps can rely on earlier content.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.synctree import synchronize_tree

from search.tasks import deferred

DEMO_APPS = ["home", "resources", "diagnostic", "canteens", "territories"]


class Command(BaseCommand):
    help = "Crée (ou complète) le contenu de démonstration. Relancer la commande ne change rien."

    def add_arguments(self, parser):
        parser.add_argument(
            "--canteens",
            type=int,
            default=None,
            metavar="N",
            help="nombre de cantines générées sur les territoires (300 par défaut ; seules les manquantes sont créées)",
        )

    def handle(self, *args, **options):
        # Each page is saved and published several times while the demo is built: the search index follows once,
        # at the end (search.tasks.deferred), instead of after every save.
        with deferred():
            self.load(options)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))

    def load(self, options):
        self.canteen_count = options.get("canteens")
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self)
        # Pages not translated yet get English aliases, so /en/ never 404s on them.
        with transaction.atomic():
            source = Locale.get_default()
            for locale in Locale.objects.exclude(pk=source.pk):
                synchronize_tree(source, locale)

    def log(self, message):
        self.stdout.write(message)
