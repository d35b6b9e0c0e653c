"""`python manage.py search_reindex`: rebuild the search index from the pages, with a progress bar.

The database index (SearchEntry, vocabulary, tsvectors) is rebuilt in one transaction; with ELASTICSEARCH_URL
set, each language then gets a new versioned Elasticsearch index, loaded in bulk, and its alias is moved to it
atomically (no downtime). Counts are reported by language and type.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.health import breaker, elasticsearch_configured
from search.models import SearchEntry

BAR_WIDTH = 30


class ProgressBar:
    """A text progress bar: `[##########..........]  120/300 pages` (redrawn in place on a terminal)."""

    def __init__(self, stream, label: str):
        self.stream = stream
        self.label = label
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.last_drawn = -1

    def __call__(self, done: int, total: int):
        if total <= 0:
            self.stream.write(f"[{'.' * BAR_WIDTH}]  0/0 {self.label}\n")
            return
        filled = BAR_WIDTH * done // total
        percent = 100 * done // total
        # off a terminal (logs, CI): one line every 10 %, plus the last one
        if not self.interactive and done != total and percent // 10 == self.last_drawn // 10:
            return
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:>6}/{total} {self.label}"
        self.stream.write(("\r" + line) if self.interactive else (line + "\n"))
        if self.interactive and done == total:
            self.stream.write("\n")
        self.stream.flush()
        self.last_drawn = percent


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (base de données, et Elasticsearch si ELASTICSEARCH_URL est défini)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-elasticsearch", action="store_true", help="Ne reconstruit que l'index de la base de données."
        )
        parser.add_argument(
            "--elasticsearch-only",
            action="store_true",
            help="Recharge Elasticsearch depuis l'index de la base de données sans le reconstruire.",
        )

    def handle(self, *args, skip_elasticsearch=False, elasticsearch_only=False, **options):
        stream = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        if not elasticsearch_only:
            self.stdout.write("Index de la base de données :")
            counts = indexing.rebuild(progress=ProgressBar(stream, "pages"))
            total = sum(counts.values())
            for (language, kind), count in sorted(counts.items()):
                self.stdout.write(f"  {language}  {kind:<10} {count:>6}")
            self.stdout.write(self.style.SUCCESS(f"{total} pages indexées dans la base de données."))
        if skip_elasticsearch:
            return
        if not elasticsearch_configured():
            if elasticsearch_only:
                raise CommandError("ELASTICSEARCH_URL n'est pas défini.")
            self.stdout.write("Elasticsearch non configuré (ELASTICSEARCH_URL) : rien d'autre à faire.")
            return
        self.rebuild_elasticsearch(stream)

    def rebuild_elasticsearch(self, stream):
        from search.backends import elastic

        entries: dict[str, list] = {}
        for entry in SearchEntry.objects.order_by("pk").iterator():
            entries.setdefault(entry.locale, []).append(entry)
        bars = {language: ProgressBar(stream, f"documents ({language})") for language in entries}

        def progress(language, done):
            bars[language](done, len(entries[language]))

        self.stdout.write("Elasticsearch (nouvel index par langue, puis bascule de l'alias) :")
        try:
            counts = elastic.rebuild(entries, progress=progress)
        except Exception as error:
            breaker.failure(error)
            raise CommandError(
                f"Elasticsearch injoignable ou en erreur ({error}) : la recherche continue sur la base de données."
            ) from error
        breaker.success()
        for language, count in sorted(counts.items()):
            self.stdout.write(f"  {elastic.alias_name(language)}  {count:>6} documents")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} documents indexés dans Elasticsearch."))
