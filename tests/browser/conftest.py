"""Real-browser tests: Playwright drives Debian's Chromium against a gunicorn server started here.

The server runs on its own database (a fresh PostgreSQL database next to DATABASE_URL's, or a SQLite file),
migrated and filled by `load_demo`, so the journeys see the same site as `make run`.
Locally, without /usr/bin/chromium, these tests are skipped with a message; in CI (CI=true) they fail.
"""

import json
import os
import re
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

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
ADMIN_PASSWORD = "mot-de-passe-admin-navigateur"
MANAGER_EMAIL = "gestionnaire@ma-cantine.example"
MANAGER_PASSWORD = "mot-de-passe-gestionnaire-navigateur"
EDITORS = {  # username: (group, password), created by the `editors` fixture
    "redactrice": ("Rédacteurs", "mot-de-passe-redactrice-navigateur"),
    "relecteur": ("Relecteurs DGAL", "mot-de-passe-relecteur-navigateur"),
}


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"{reason}: browser tests skipped locally")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_database(tmp):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}", None
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_browser"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), (admin_url, name)


class LiveSite:
    def __init__(self, url, env):
        self.url = url
        self.env = env

    def manage(self, *args, input_text=None):
        """Run a management command against the live site's database."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "-v", "0", "-c", code)


@pytest.fixture(scope="session")
def live_site():
    tmp = Path(tempfile.mkdtemp(prefix="cantine-browser-"))
    database_url, pg = _browser_database(tmp)
    port = _free_port()
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
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    site = LiveSite(f"http://127.0.0.1:{port}", env)
    site.manage("migrate", "--no-input", "-v", "0")
    site.manage("load_demo")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{site.url}/healthz", timeout=2) as response:
                    if json.load(response)["database"] == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.3)
        yield site
    finally:
        server.terminate()
        server.wait(timeout=20)
        if pg:
            import psycopg

            with psycopg.connect(pg[0], autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{pg[1]}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def editors(live_site):
    """A Rédactrice and a Relecteur DGAL in the live site's database (usernames and passwords in EDITORS)."""
    lines = [
        "from django.contrib.auth import get_user_model",
        "from django.contrib.auth.models import Group",
        "User = get_user_model()",
    ]
    for username, (group, password) in EDITORS.items():
        lines += [
            f"user, _ = User.objects.get_or_create(username={username!r}, "
            f"defaults={{'email': '{username}@agriculture.example', 'first_name': {username.title()!r}}})",
            f"user.set_password({password!r}); user.is_active = True; user.save()",
            f"user.groups.set([Group.objects.get(name={group!r})])",
        ]
    live_site.shell("\n".join(lines))
    return EDITORS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_site, request):
    context = browser.new_context(base_url=live_site.url, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture
def axe():
    """Run axe-core in the page; returns the serious and critical violations."""
    if not AXE.exists():
        _unavailable("axe-core not found in node_modules (npm install)")
    source = AXE.read_text()

    def run(page):
        page.evaluate(source)  # evaluated through the DevTools protocol: the page's CSP stays in force
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


def admin_login(page, username, password):
    """Log in to the Wagtail admin."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def site_login(page, email, password):
    """Log in to the public site (/compte/connexion/) with an e-mail address."""
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/mes-cantines/")
