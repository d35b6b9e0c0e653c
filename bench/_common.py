"""What the benches share: their database (created when missing, dropped on request), Django's setup, the
percentile they print, a query counter and the timing loop of the page benches (`time_requests`: wall clock,
CPU, queries). Each bench puts the repository on sys.path and imports from here (`from bench._common import …`).
"""

import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


def postgres_admin_connection(url):
    """(autocommit connection to the maintenance database `postgres`, name of the database of `url`)."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True), parts.path.lstrip("/")


def create_database_if_missing(url):
    """Create the bench's PostgreSQL database when it does not exist (SQLite files create themselves)."""
    if not is_postgres(url):
        return
    connection, name = postgres_admin_connection(url)
    with connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def drop_database(url):
    """Drop the bench's database (PostgreSQL; `--drop`), after closing Django's connections to it."""
    from django.db import connections

    connections.close_all()
    if not is_postgres(url):
        return
    connection, name = postgres_admin_connection(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"dropped database {name}")


def setup_django(url, media="bench", migrate=True, settings_module="config.settings.test", elasticsearch=True):
    """Django on the database `url` (test settings by default: DEBUG off, any host), its media in a temporary
    directory `cantine-<media>-media`, migrated unless `migrate=False`; `elasticsearch=False` ignores
    ELASTICSEARCH_URL (the database search backend is measured). `url=None` keeps the settings' database
    (DATABASE_URL or the SQLite default), for the benches that read none (poster, XLSX bombs).

    `migrate` runs only when a migration is missing: its post_migrate handlers would otherwise run again on a
    seeded database, and home/legal_pages.py would create the footer's pages under the default site's home (the
    bench's own, once a bench has made it the default) and synchronise that whole tree into English, one alias
    per page: twelve minutes for 10,000 resources, and pages the benches did not make."""
    if url is not None:
        os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if not elasticsearch:
        os.environ.pop("ELASTICSEARCH_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = Path(tempfile.gettempdir()) / f"cantine-{media}-media"
    if migrate:
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", verbosity=0, interactive=False)


def percentile(values, fraction):
    """The nearest-rank percentile (`fraction` 0.95 → p95); NaN for no value."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


class QueryCounter(list):
    """`with connection.execute_wrapper(queries := QueryCounter()):` keeps the SQL of each query run."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def load_average():
    """The load average line printed under the figures (the machine is shared: read ratios, not milliseconds)."""
    loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    return f"Load average during the run: {loads} ({os.cpu_count()} CPUs)"


@dataclass
class Timing:
    """What a bench prints for one scenario: median and p95 wall-clock time, median CPU time of this process
    (ms), and the SQL queries of one request."""

    median: float
    p95: float
    queries: int
    cpu: float


def time_requests(get, runs, expected_status=200, warm_up=5):
    """Time a scenario: `warm_up` requests (caches, connections), one counted request (its SQL queries), then
    `runs` timed requests, wall clock (`perf_counter`) and this process's CPU (`process_time`, where Django's
    own cost shows on a loaded machine). `get()` makes one request and returns the response, whose status must
    be `expected_status`."""
    from django.db import connection

    for _ in range(warm_up):
        response = get()
        assert response.status_code == expected_status, response.status_code
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        get()
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = get()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == expected_status, response.status_code
    return Timing(statistics.median(timings), percentile(timings, 0.95), len(queries), statistics.median(cpu))
