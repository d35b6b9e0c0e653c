"""One migration for a whole parallel run: the controller migrates a template database once, in the background
while the workers start and collect; each worker's test database (`test_<base>_gw<N>`) and the live site's database
are then PostgreSQL copies of it (`CREATE DATABASE … TEMPLATE`, a fraction of a second) instead of being migrated
one by one (about 30 s of CPU each at rest). Django still runs `migrate` on each copy: it finds nothing to apply.

Only for `-n N` runs on PostgreSQL without `--reuse-db`; otherwise each database is migrated as before. The
template is dropped at the end of the session (`finish`).
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
ENV = "CANTINE_TEST_DB_TEMPLATE"  # "<database name>|<status file>", inherited by the workers
WAIT_SECONDS = 1800  # migrating on a loaded 2-core machine


def _admin_url(url):
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _drop(url, name):
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Template:
    """The template database being migrated by a subprocess; a thread writes its status file when it ends."""

    def __init__(self, url):
        import psycopg

        self.url = url
        base = urlsplit(url).path.lstrip("/")
        self.name = f"test_{base}_template"
        handle, status = tempfile.mkstemp(prefix="cantine-test-template-", suffix=".status")
        os.close(handle)
        self.status = Path(status)
        self.status.unlink()  # written once, when the migration ends
        self.log = self.status.with_suffix(".log")
        with psycopg.connect(_admin_url(url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.name}"')
        env = {
            **os.environ,
            "DATABASE_URL": urlunsplit(urlsplit(url)._replace(path=f"/{self.name}")),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self.thread.start()
        os.environ[ENV] = f"{self.name}|{self.status}"

    def _wait(self):
        code = self.process.wait()
        draft = self.status.with_suffix(".draft")
        draft.write_text("ok" if code == 0 else f"migrate exited with {code}:\n{self.log.read_text()}")
        draft.replace(self.status)

    def finish(self):
        os.environ.pop(ENV, None)
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()
        self.thread.join()
        _drop(self.url, self.name)
        for path in (self.status, self.log):
            path.unlink(missing_ok=True)


def start(config):
    """In the controller of a parallel run on PostgreSQL (not with --reuse-db): a Template, else None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or config.getvalue("reuse_db"):
        return None
    return Template(url)


def ready_template():
    """The template's name once migrated (waits for it), or None when this run has none."""
    if not os.environ.get(ENV):
        return None
    name, status = os.environ[ENV].split("|", 1)
    status = Path(status)
    deadline = time.monotonic() + WAIT_SECONDS
    while not status.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the template database {name} was not migrated after {WAIT_SECONDS} s")
        time.sleep(0.2)
    outcome = status.read_text()
    if outcome != "ok":
        raise RuntimeError(f"the template database {name} could not be migrated: {outcome}")
    return name
