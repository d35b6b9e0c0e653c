"""Write the national open-data files (every dataset in CSV, XLSX and JSON) into the media storage.

Meant for a schedule every few minutes with `--if-stale`, e.g. `*/5 * * * * cd /srv/cantine && .venv/bin/python
manage.py export_open_data --if-stale`: only the files whose data changed are rewritten (territories/opendata/
stored.py), and whole-country downloads are served from them while they are fresh. Each file is written to a
temporary file, its CSV checked against the dataset's Table Schema, then moved into place
(`open-data/<dataset>.<format>`); /donnees/ shows the date of the last generation.
"""

import io
import tempfile
import time

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from territories import opendata, tableschema
from territories.models import OpenDataFile
from territories.opendata import stored

DIRECTORY = "open-data"


class Command(BaseCommand):
    help = "Régénère les fichiers open data nationaux (CSV, XLSX, JSON) affichés sur /donnees/."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", choices=list(opendata.DATASETS), help="un seul jeu de données")
        parser.add_argument("--no-check", action="store_true", help="ne pas valider le CSV contre son schéma")
        parser.add_argument(
            "--if-stale", action="store_true", help="ne réécrire que les fichiers dont les données ont changé"
        )

    def handle(self, *args, **options):
        names = [options["dataset"]] if options["dataset"] else list(opendata.DATASETS)
        for name in names:
            dataset = opendata.DATASETS[name]
            for fmt in opendata.FORMATS:
                if options["if_stale"] and stored.fresh_file(dataset, fmt) is not None:
                    continue
                start = time.perf_counter()
                snapshot = timezone.now()  # the data as of now: stored.is_fresh compares the later changes with it
                with tempfile.TemporaryFile(suffix=f".{fmt}") as handle:
                    rows = _Counter(dataset.rows({}))
                    if fmt == "xlsx":
                        opendata.write_xlsx(dataset, rows, handle)
                    else:
                        writer = opendata.iter_csv if fmt == "csv" else opendata.iter_json
                        for chunk in writer(dataset, rows):
                            handle.write(chunk)
                    size = handle.tell() if fmt != "xlsx" else handle.seek(0, 2)
                    handle.seek(0)
                    if fmt == "csv" and not options["no_check"]:
                        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                        errors = tableschema.validate_csv(dataset.schema(), text)
                        text.detach()
                        if errors:
                            raise CommandError(f"{name}.csv does not match its schema: " + "; ".join(errors[:10]))
                        handle.seek(0)
                    path = f"{DIRECTORY}/{name}.{fmt}"
                    if default_storage.exists(path):
                        default_storage.delete(path)
                    saved = default_storage.save(path, File(handle, name=f"{name}.{fmt}"))
                OpenDataFile.objects.update_or_create(
                    dataset=name,
                    format=fmt,
                    defaults={"path": saved, "rows": rows.count, "size": size, "generated_at": snapshot},
                )
                self.stdout.write(
                    f"{saved}: {rows.count} lignes, {size / 1e6:.1f} Mo, {time.perf_counter() - start:.1f} s"
                )
        self.stdout.write(self.style.SUCCESS("Fichiers open data à jour."))


class _Counter:
    def __init__(self, rows):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
