"""A live site for the browser, fault and load tests: gunicorn on a database of its own, filled by `load_demo`.

The database is a fresh PostgreSQL database named after DATABASE_URL's with the `_browser` suffix (a copy of the
parallel run's migrated template, tests/dbtemplate.py, when there is one), or a SQLite file when DATABASE_URL is
not PostgreSQL. One site per test session, shared by tests/browser and tests/quality
through `shared_live_site()`; more gunicorn servers on the same database (other settings, e.g. an unreachable
Elasticsearch) with `LiveSite.start_server(...)`.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.dbtemplate import ready_template

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "mot-de-passe-admin-navigateur"
MANAGER_EMAIL = "gestionnaire@ma-cantine.example"
MANAGER_PASSWORD = "mot-de-passe-gestionnaire-navigateur"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database(tmp):
    """(DATABASE_URL of the live site, (maintenance URL, database name) on PostgreSQL or None)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}", None
    import psycopg

    parts = urlsplit(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1… in a parallel run: one database per worker
    name = parts.path.lstrip("/") + "_browser" + (f"_{worker}" if worker else "")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        template = ready_template()  # a parallel run's migrated template: `migrate` then has nothing to do
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return urlunsplit(parts._replace(path=f"/{name}")), (admin_url, name)


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if json.load(response)["database"] == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the test server at {url} did not start")
        time.sleep(0.3)


class LiveSite:
    def __init__(self, url, env, postgres=None):
        self.url = url
        self.env = env
        self.postgres = postgres  # (maintenance URL, database name) or None on SQLite
        self.servers = []

    def manage(self, *args, input_text=None):
        """Run a management command against the live site's database."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=900,  # migrate and load_demo on a loaded 2-core machine
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "-v", "0", "-c", code)

    def start_server(self, port=None, workers=2, threads=4, **extra_env):
        """A gunicorn server on this site's database; returns (base URL, process). Stop it with stop_server()."""
        port = port or free_port()
        env = {**self.env, "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}", **extra_env}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        self.servers.append(process)
        try:
            wait_until_up(url, process)
        except RuntimeError:
            self.stop_server(process)
            raise
        return url, process

    def stop_server(self, process):
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process in self.servers:
            self.servers.remove(process)

    def postgres_admin(self):
        """An autocommit connection to the maintenance database (PostgreSQL only)."""
        import psycopg

        return psycopg.connect(self.postgres[0], autocommit=True)


def start_live_site():
    tmp = Path(tempfile.mkdtemp(prefix="cantine-browser-"))
    database_url, postgres = _database(tmp)
    port = int(os.environ.get("BROWSER_TEST_PORT") or 0) or free_port()  # a shared machine gives each one ports
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": "browser-tests-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp),
        "MEDIA_ROOT": str(tmp / "media"),
        "DEMO_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DEMO_MANAGER_PASSWORD": MANAGER_PASSWORD,
        "PAGE_CACHE_SECONDS": "0",  # per-worker cache without Redis: see tests/quality/test_page_cache.py
    }
    env.pop("ELASTICSEARCH_URL", None)
    site = LiveSite(f"http://127.0.0.1:{port}", env, postgres)
    site.tmp = tmp
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo")
        site.start_server(port=port)
    except BaseException:
        stop_live_site(site)
        raise
    return site


def stop_live_site(site):
    for process in list(site.servers):
        site.stop_server(process)
    if site.postgres:
        with site.postgres_admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{site.postgres[1]}" WITH (FORCE)')
    shutil.rmtree(site.tmp, ignore_errors=True)


_shared = None


@contextlib.contextmanager
def shared_live_site():
    """The session's live site: started by the first fixture that asks, stopped when that fixture ends (the
    end of the session for session-scoped fixtures)."""
    global _shared
    if _shared is not None:
        yield _shared
        return
    _shared = start_live_site()
    try:
        yield _shared
    finally:
        site, _shared = _shared, None
        stop_live_site(site)
