"""Open-data exports with many canteens: time and peak memory of each streamed export, next to PostgreSQL's own
`COPY (…) TO STDOUT WITH CSV` of the same query read through psycopg.

    .venv/bin/python bench/export.py postgres://postgres@127.0.0.1:5432/cantine_bench_territories [--count 100000]

Target: the 100,000-canteen registry exports with a peak memory under 150 MB.

Each export runs in a fresh child process (so that its peak resident memory, `ru_maxrss`, is its own): the
child sets Django up, notes its resident memory, runs the whole export through the test client (middleware,
view, streaming) reading the body chunk by chunk without keeping it, and reports the duration, the bytes, the
peak resident memory and its growth over the baseline. `--tracemalloc` also reports Python's own allocation
peak (slower). The database is filled as by bench/registry.py (the same generator; a second run reuses it).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SCENARIOS = [
    ("registry CSV", "/donnees/registre-cantines.csv"),
    ("registry JSON", "/donnees/registre-cantines.json"),
    ("registry XLSX", "/donnees/registre-cantines.xlsx"),
    ("campaign results CSV", "/donnees/resultats-campagnes.csv"),
    ("registry CSV, one region", "/donnees/registre-cantines.csv?region=84"),
]
COPY_SCENARIOS = [("registry", "registre-cantines"), ("campaign results", "resultats-campagnes")]
TARGET_MB = 150


def rss_mb():
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def child(url, copy, use_tracemalloc):
    from bench._common import setup_django

    setup_django(os.environ["DATABASE_URL"], media="bench-territories", migrate=False)
    from django.test import Client

    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    baseline = current_rss_mb()
    start = time.perf_counter()
    size = rows = 0
    if copy:
        size, rows = copy_export(url)
    else:
        response = Client().get(url)
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


def copy_export(slug):
    """PostgreSQL's COPY of the dataset's own query (same rows and joins, raw columns), read through psycopg."""
    from django.db import connection

    from territories import opendata

    dataset = opendata.DATASETS[slug]
    queryset = dataset.queryset({}).order_by(*dataset.ordering)  # the export's own order and columns
    sql, params = queryset.values_list(*dataset.paths).query.sql_with_params()
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python's allocation peak")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--copy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL (a dedicated database, e.g. .../cantine_bench_territories)")
    if args.child:
        os.environ["DATABASE_URL"] = args.database_url
        child(args.child, args.copy, args.tracemalloc)
        return 0

    from registry import fill

    from bench._common import create_database_if_missing, setup_django

    create_database_if_missing(args.database_url)
    setup_django(args.database_url, media="bench-territories")
    fill(args.count, args.force)
    from django.db import connection

    from territories.models import CanteenStats, DeclarationStats

    print(
        f"\n{connection.vendor}, {CanteenStats.objects.count()} canteens, "
        f"{DeclarationStats.objects.count()} declarations; one child process per export\n"
    )
    header = f"{'export':<34} {'seconds':>8} {'MB out':>8} {'lines':>8} {'peak RSS':>9} {'growth':>7}"
    if args.tracemalloc:
        header += f" {'py peak':>8}"
    print(header)
    worst = 0.0
    rows = [(name, url, False) for name, url in SCENARIOS]
    if connection.vendor == "postgresql":
        rows += [(f"COPY TO STDOUT, {name}", slug, True) for name, slug in COPY_SCENARIOS]
    for name, target, copy in rows:
        result = run_child(args.database_url, target, copy, args.tracemalloc)
        growth = result["peak_rss_mb"] - result["baseline_mb"]
        lines = "—" if target.endswith(".xlsx") else str(result["lines"])  # a ZIP: its newlines mean nothing
        line = (
            f"{name:<34} {result['seconds']:8.2f} {result['bytes'] / 1e6:8.1f} {lines:>8} "
            f"{result['peak_rss_mb']:8.0f}M {growth:6.0f}M"
        )
        if args.tracemalloc:
            line += f" {result['tracemalloc_peak_mb']:7.1f}M"
        print(line, flush=True)
        if not copy:
            worst = max(worst, result["peak_rss_mb"])
    print(f"\nworst peak resident memory of an export process: {worst:.0f} MB (target < {TARGET_MB} MB)")
    return 0 if worst < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
