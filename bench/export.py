"""Open-data exports with many canteens, each timed against PostgreSQL's own `COPY (…) TO STDOUT WITH CSV` of the
same rows IN THE SAME RUN: COPY, export, COPY, export… interleaved, `--runs` times, so that both see the same load
on a shared machine; the ratio printed is median export / median COPY (and best / best).

    .venv/bin/python bench/export.py postgres://postgres@127.0.0.1:5432/cantine_bench_export [--count 100000] \
        [--runs 3] [--only registry] [--live]

Targets (issue 21, goal 3): CSV and JSON ≤ 3× COPY, XLSX ≤ 10× COPY, peak memory of an export process < 150 MB;
the officers' follow-up export and the mail merge of a whole region likewise (their COPY: the same canteens and
columns, read by PostgreSQL alone).

The whole-country downloads are served from the files `export_open_data --if-stale` writes after each change
(territories/opendata/stored.py): the bench writes them first (printing the time of each, the live cost of the
file) and checks they are fresh. Filtered downloads and the officers' exports are computed live; `--live` runs
only those (no file is built: a few minutes on a seeded database).

Each measure runs in a fresh child process (its peak resident memory, VmHWM, is its own): the child sets Django
up, answers one small request (the schema: URL configuration and views loaded, as in a running server), notes
its resident memory, then runs the whole export through the test client (middleware, view, streaming; the officer's
exports logged in as the demo officer, Bretagne) reading the body chunk by chunk without keeping it, or runs the
COPY through psycopg; it reports the duration, the bytes, the peak resident memory and its growth over the
baseline. `--tracemalloc` also reports Python's own allocation peak (slower). The database is filled as by
bench/registry.py (the same generator; a second run reuses it).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

OFFICER_REGION = "53"  # the demo officer's region (territories.demo.ensure_officer)
MERGE_TEMPLATE_CODE = "bench-publipostage"
# An export is a URL (GET) or "merge" (the mail-merge POST). The first four are served from the stored files.
# (name, export, COPY of the same rows, target ratio, live: computed on the fly, not a stored file)
SCENARIOS = [
    ("registry CSV", "/donnees/registre-cantines.csv", "registre-cantines", 3, False),
    ("registry JSON", "/donnees/registre-cantines.json", "registre-cantines", 3, False),
    ("registry XLSX", "/donnees/registre-cantines.xlsx", "registre-cantines", 10, False),
    ("campaign results CSV", "/donnees/resultats-campagnes.csv", "resultats-campagnes", 3, False),
    ("registry CSV, one region", "/donnees/registre-cantines.csv?region=84", "registre-cantines?region=84", 3, True),
    ("officer follow-up CSV (region)", "/territoires/suivi/export.csv", "officer", 3, True),
    ("officer follow-up XLSX (region)", "/territoires/suivi/export.xlsx", "officer", 10, True),
    ("officer mail merge CSV (region)", "merge", "officer", 3, True),
]
TARGET_MB = 150


def rss_mb():
    """Peak resident memory of this process so far (MiB): VmHWM, the high-water mark of this program's memory.
    Not ru_maxrss: Linux carries it over an exec, so a child started by a big parent reported the parent's."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def child(target, copy, use_tracemalloc):
    from bench._common import setup_django

    setup_django(os.environ["DATABASE_URL"], media="bench-territories", migrate=False)
    from django.test import Client

    client = Client()
    if not copy and (target == "merge" or target.startswith("/territoires/")):
        from django.contrib.auth import get_user_model

        from territories.demo import OFFICER_EMAIL

        client.force_login(get_user_model().objects.get(email=OFFICER_EMAIL))
    # A running server has its URL configuration, middleware and views loaded: one small request first (the
    # schema), so that neither COPY nor the export pays for the first import of half the project.
    client.get("/donnees/schemas/registre-cantines.json")
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    baseline = current_rss_mb()
    start = time.perf_counter()
    size = rows = 0
    if copy:
        size, rows = copy_export(target)
    else:
        if target == "merge":
            response = client.post("/territoires/suivi/publipostage/", merge_form())
        else:
            response = client.get(target)
        assert response.status_code == 200, response.status_code
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            size += len(chunk)
            rows += chunk.count(b"\n")
        if hasattr(response, "close"):
            response.close()
    duration = time.perf_counter() - start
    result = {"seconds": duration, "bytes": size, "lines": rows, "peak_rss_mb": rss_mb(), "baseline_mb": baseline}
    if use_tracemalloc:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    print(json.dumps(result))


def merge_form():
    from resources.models import MailTemplate

    template = MailTemplate.objects.get(code=MERGE_TEMPLATE_CODE, locale__language_code="fr")
    return {"template": template.pk, "signataire": "Dominique Démo", "perimetre": "filtre", "format": "csv"}


def copy_query(target):
    """(SQL, params) of the rows an export writes, as plain columns: the dataset's own query and order, or the
    officer's list (their canteens, the columns of the follow-up export)."""
    from territories import opendata

    if target == "officer":
        from django.contrib.auth import get_user_model

        from territories import officers
        from territories.demo import OFFICER_EMAIL

        scope = officers.scope_for(get_user_model().objects.get(email=OFFICER_EMAIL))
        _form, queryset, _year = officers.filtered(scope, {})
        paths = [
            "siret", "siren_unite_legale", "name", "city_insee_code", "city", "department",
            "territory_department__name", "sectors", "follow_status", "stats__published_year", "stats__bio_rate",
            "stats__egalim_rate", "pk",
        ]  # fmt: skip
        return queryset.values_list(*paths).query.sql_with_params()
    slug, _sep, query = target.partition("?")
    filters = dict(part.split("=", 1) for part in query.split("&") if part)
    dataset = opendata.DATASETS[slug]
    queryset = dataset.queryset(filters).order_by(*dataset.ordering)
    return queryset.values_list(*dataset.paths).query.sql_with_params()


def copy_export(target):
    """PostgreSQL's COPY of the export's query (same rows and joins, raw columns), read through psycopg."""
    from django.db import connection

    sql, params = copy_query(target)
    size = lines = 0
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params) as copy:
            for chunk in copy:
                size += len(chunk)
                lines += bytes(chunk).count(b"\n")
    return size, lines


def run_child(database_url, target, copy=False, use_tracemalloc=False):
    command = [sys.executable, __file__, database_url, "--child", target]
    if copy:
        command.append("--copy")
    if use_tracemalloc:
        command.append("--tracemalloc")
    output = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": database_url})
    if output.returncode:
        sys.exit(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def prepare_officer():
    """The demo officer (Bretagne) and a live mail template for the mail merge."""
    from wagtail.models import Locale

    from resources.models import MailTemplate
    from territories import demo

    class Quiet:
        def log(self, message):
            pass

    demo.ensure_officer(Quiet())
    if not MailTemplate.objects.filter(code=MERGE_TEMPLATE_CODE).exists():
        MailTemplate.objects.create(
            name="Banc d'essai",
            code=MERGE_TEMPLATE_CODE,
            subject="Votre cantine {{ nom_cantine }} sur ma cantine",
            body="Bonjour {{ nom_gestionnaire }},\n\nLa cantine {{ nom_cantine }} de {{ commune }} ({{ siret }}) : "
            "{{ lien_cantine }}\n\n{{ nom_signataire }}",
            placeholders="nom_cantine, commune, nom_signataire, nom_gestionnaire, siret, lien_cantine",
            locale=Locale.objects.get(language_code="fr"),
            live=True,
        )


def build_files():
    """`export_open_data --if-stale` until the whole-country files are fresh (a change less than stored.SETTLE
    before a snapshot, e.g. the migration of the stats, leaves its file stale: wait and rewrite it)."""
    import io

    from django.core.management import call_command

    from territories import opendata
    from territories.opendata import stored

    for _attempt in range(3):
        out = io.StringIO()
        start = time.perf_counter()
        call_command("export_open_data", "--if-stale", stdout=out)
        written = [line for line in out.getvalue().splitlines() if "lignes" in line]
        for line in written:
            print(f"  built {line}")
        if written:
            print(f"  export_open_data --if-stale: {time.perf_counter() - start:.0f} s")
        stale = [
            (slug, fmt)
            for slug, dataset in opendata.DATASETS.items()
            for fmt in opendata.FORMATS
            if stored.fresh_file(dataset, fmt) is None
        ]
        if not stale:
            return
        print(f"  stale after writing: {stale}; waiting {stored.SETTLE.seconds} s")
        time.sleep(stored.SETTLE.seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="COPY/export pairs per scenario (default 3)")
    parser.add_argument("--only", help="only the scenarios whose name contains this text")
    parser.add_argument(
        "--live",
        action="store_true",
        help="only the exports computed on the fly (one region, the officer's exports, the mail merge); the "
        "whole-country files are then neither built nor measured",
    )
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python's allocation peak")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--copy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL (a dedicated database, e.g. .../cantine_bench_export)")
    if args.child:
        os.environ["DATABASE_URL"] = args.database_url
        child(args.child, args.copy, args.tracemalloc)
        return 0

    from registry import fill

    from bench._common import create_database_if_missing, load_average, setup_django

    create_database_if_missing(args.database_url)
    setup_django(args.database_url, media="bench-territories")
    fill(args.count, args.force)
    prepare_officer()
    scenarios = [s for s in SCENARIOS if (not args.only or args.only in s[0]) and (s[4] or not args.live)]
    if not all(live for *_rest, live in scenarios):
        print("Whole-country files (built once per change, served while fresh):")
        build_files()
    from django.db import connection

    from territories.models import CanteenStats, DeclarationStats

    if connection.vendor != "postgresql":
        sys.exit("COPY needs PostgreSQL")
    print(
        f"\n{CanteenStats.objects.count()} canteens, {DeclarationStats.objects.count()} declarations; "
        f"{args.runs} interleaved COPY/export pairs per export, one child process each\n"
    )
    header = (
        f"{'export':<34} {'COPY s':>7} {'export s':>8} {'ratio':>6} {'best':>6} {'target':>6} "
        f"{'MB out':>7} {'lines':>7} {'peak RSS':>8} {'growth':>6}"
    )
    if args.tracemalloc:
        header += f" {'py peak':>7}"
    print(header)
    worst = 0.0
    missed = []
    for name, target, copy_target, target_ratio, _live in scenarios:
        copies, exports = [], []
        for _run in range(args.runs):
            copies.append(run_child(args.database_url, copy_target, copy=True)["seconds"])
            exports.append(run_child(args.database_url, target, use_tracemalloc=args.tracemalloc))
        copy_median, export_median = statistics.median(copies), statistics.median(e["seconds"] for e in exports)
        ratio = export_median / copy_median
        best = min(e["seconds"] for e in exports) / min(copies)
        last = exports[-1]
        peak = max(e["peak_rss_mb"] for e in exports)
        growth = max(e["peak_rss_mb"] - e["baseline_mb"] for e in exports)
        lines = "—" if "xlsx" in target else str(last["lines"])  # a ZIP: its newlines mean nothing
        line = (
            f"{name:<34} {copy_median:7.2f} {export_median:8.2f} {ratio:5.1f}× {best:5.1f}× {target_ratio:5d}× "
            f"{last['bytes'] / 1e6:7.1f} {lines:>7} {peak:7.0f}M {growth:5.0f}M"
        )
        if args.tracemalloc:
            line += f" {max(e['tracemalloc_peak_mb'] for e in exports):6.1f}M"
        print(line, flush=True)
        worst = max(worst, peak)
        if ratio > target_ratio:
            missed.append(name)
    print(f"\nworst peak resident memory of an export process: {worst:.0f} MB (target < {TARGET_MB} MB)")
    print(f"ratios over target (median): {', '.join(missed) or 'none'}")
    print(load_average())
    return 0 if worst < TARGET_MB and not missed else 1


if __name__ == "__main__":
    sys.exit(main())
