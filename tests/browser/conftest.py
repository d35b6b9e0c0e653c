"""Real-browser tests: Playwright drives Debian's Chromium against a gunicorn server started here.

The server runs on its own database (a fresh PostgreSQL database next to DATABASE_URL's, or a SQLite file),
migrated and filled by `load_demo`, so the journeys see the same site as `make run` (see live.py).
Locally, without /usr/bin/chromium, these tests are skipped with a message; in CI (CI=true) they fail.
"""

import os
import re
import warnings
from pathlib import Path

import pytest

from .live import ADMIN_PASSWORD, MANAGER_EMAIL, MANAGER_PASSWORD, ROOT, shared_live_site  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
EDITORS = {  # username: (group, password), created by the `editors` fixture
    "redactrice": ("Rédacteurs", "mot-de-passe-redactrice-navigateur"),
    "relecteur": ("Relecteurs DGAL", "mot-de-passe-relecteur-navigateur"),
}


def in_ci():
    """CI=true (set by .ci/run), CI=1...; CI unset, empty, 0 or false means a local run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason):
    if in_ci():
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"{reason}: browser tests skipped locally")


@pytest.fixture(scope="session")
def live_site():
    with shared_live_site() as site:
        yield site


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
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = browser.new_context(base_url=live_site.url, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        # An artefact, not a check: on a loaded machine a full-page capture can outlast the default timeout,
        # which failed a passing test (its teardown) after 15 s of waiting.
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, timeout=5_000)
    except PlaywrightTimeoutError:
        warnings.warn(f"no screenshot of {request.node.nodeid}: the capture timed out", stacklevel=1)
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
