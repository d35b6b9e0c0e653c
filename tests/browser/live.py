"""A live site for the browser, fault and load tests: gunicorn on a database of its own, filled by `load_demo`.

The database is a fresh PostgreSQL database named after DATABASE_URL's with the `_browser` suffix (a copy of the
parallel run's migrated template, tests/dbtemplate.py, when there is one), or a SQLite file when DATABASE_URL is
not PostgreSQL. One site per test session, shared by tests/browser and tests/quality
through `shared_live_site()`; more gunicorn servers on the same database (other settings, e.g. an unreachable
Elasticsearch) with `LiveSite.start_server(...)`. The settings are `make run`'s with fast password hashing
(live_settings.py); `LiveSite.shell()` runs code in one Django process kept for the session.
"""

import contextlib
import json
import os
import select
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
    """(DATABASE_URL of the live site, (maintenance URL, database name) on PostgreSQL or None, migrated: whether
    it is a copy of the parallel run's migrated template)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}", None, False
    import psycopg

    parts = urlsplit(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1… in a parallel run: one database per worker
    name = parts.path.lstrip("/") + "_browser" + (f"_{worker}" if worker else "")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        template = ready_template()  # a parallel run's migrated template: `migrate` then has nothing to do
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return urlunsplit(parts._replace(path=f"/{name}")), (admin_url, name), bool(template)


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


# The Python process behind LiveSite.shell(): Django set up once, then one snippet per line of JSON on stdin, run
# as `manage.py shell -c` runs it (the models imported), its output captured and sent back as one line of JSON.
# The connections are closed after each snippet (a later one may follow a restart of the database).
SHELL_LOOP = """
import contextlib, io, json, os, sys, traceback
import django
django.setup()
from django.core.management.commands.shell import Command
from django.db import connections
replies = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
namespace = Command().get_namespace(verbosity=0)
for line in sys.stdin:
    output, ok = io.StringIO(), True
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(json.loads(line), "<LiveSite.shell>", "exec"), {"__name__": "__main__", **namespace})
    except BaseException:
        ok = False
        output.write(traceback.format_exc())
    finally:
        connections.close_all()
    replies.write(json.dumps({"ok": ok, "output": output.getvalue()}) + "\\n")
    replies.flush()
"""
SHELL_TIMEOUT = 900  # seconds for one snippet on a loaded 2-core machine


class LiveSite:
    def __init__(self, url, env, postgres=None):
        self.url = url
        self.env = env
        self.postgres = postgres  # (maintenance URL, database name) or None on SQLite
        self.servers = []
        self.shell_process = None

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
        """Run Python code against the live site's database, as `manage.py shell -c` would; returns its output.
        One process answers every call (SHELL_LOOP): Django starts once per session, not once per call."""
        if self.shell_process is None or self.shell_process.poll() is not None:
            self.shell_process = subprocess.Popen(
                [sys.executable, "-c", SHELL_LOOP],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        process = self.shell_process
        process.stdin.write(json.dumps(code) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], SHELL_TIMEOUT)
        reply = process.stdout.readline() if ready else ""
        if not reply:
            self.stop_shell()
            raise RuntimeError(f"the live site's shell did not answer (exit code {process.poll()})")
        reply = json.loads(reply)
        assert reply["ok"], reply["output"]
        return reply["output"]

    def stop_shell(self):
        process, self.shell_process = self.shell_process, None
        if process is not None:
            process.stdin.close()  # the loop ends
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()

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
    database_url, postgres, migrated = _database(tmp)
    port = int(os.environ.get("BROWSER_TEST_PORT") or 0) or free_port()  # a shared machine gives each one ports
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.live_settings",
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
        if not migrated:  # a copy of the migrated template: `migrate` would find nothing to do
            site.manage("migrate", "--no-input", "-v", "0")
        site.manage("load_demo")
        site.start_server(port=port)
    except BaseException:
        stop_live_site(site)
        raise
    return site


def stop_live_site(site):
    site.stop_shell()
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
