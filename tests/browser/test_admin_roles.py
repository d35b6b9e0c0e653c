"""The admin screens editors really use, in Chromium, for every role (issue 14).

tests/admin/test_crawl.py follows every admin link with Django's test client; this opens the screens people
work in — the page editor with its preview panel, the workflow dashboard and preview, wagtail-localize's
translation editor, the side-by-side comparison — in a real browser, and fails on a JavaScript error in the
console or an answer of 500 or more. Anonymous visitors and a canteen manager (no admin access) are sent to the
admin's login page, without an error either.
"""

import json

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN_PASSWORD, MANAGER_EMAIL, MANAGER_PASSWORD, admin_login, site_login

pytestmark = pytest.mark.browser

SETUP = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from resources.models import ResourcePage

fr, en = Locale.objects.get(language_code="fr"), Locale.objects.get(language_code="en")
live, reviewed = ResourcePage.objects.live().filter(locale=fr).order_by("pk")[:2]
source, _ = TranslationSource.get_or_create_from_instance(live)
translation, _ = Translation.objects.get_or_create(source=source, target_locale=en)
translation.save_target(publish=False)
editor = get_user_model().objects.get(username="redactrice")
if reviewed.current_workflow_state is None:
    reviewed.save_revision(user=editor)
    reviewed.get_workflow().start(reviewed, editor)
print(json.dumps({
    "live": live.pk,
    "translated": live.get_translation(en).pk,
    "translation": translation.pk,
    "reviewed": reviewed.pk,
    "task": reviewed.current_workflow_task.pk,
    "title": live.title,
}))
"""


@pytest.fixture(scope="module")
def screens(live_site, editors):
    data = json.loads(live_site.shell(SETUP).strip().splitlines()[-1])
    return {
        "dashboard": "/admin/",
        "editor": f"/admin/pages/{data['live']}/edit/",
        "workflow_preview": f"/admin/pages/workflow/preview/{data['reviewed']}/{data['task']}/",
        "localize_editor": f"/admin/pages/{data['translated']}/edit/",
        "comparison": f"/admin/relecture/traduction/{data['translation']}/comparer/",
        "title": data["title"],
    }


def watch(page):
    """Collect the console's errors, uncaught exceptions and answers of 500 or more of every request."""
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.on("response", lambda answer: answer.status >= 500 and problems.append(f"{answer.status} {answer.url}"))
    return problems


def open_screens(page, screens):
    page.goto(screens["dashboard"])
    expect(page.locator("main")).to_be_visible()

    page.goto(screens["editor"])
    expect(page.locator("#id_title")).to_have_value(screens["title"])
    page.locator("[data-side-panel-toggle='preview']").click()
    expect(page.frame_locator("#w-preview-iframe").locator("h1")).to_have_text(screens["title"], timeout=30_000)

    page.goto(screens["workflow_preview"])
    expect(page.locator("main h1")).to_be_visible()

    page.goto(screens["localize_editor"])
    expect(page.get_by_role("button", name="Soumettre la traduction à Relecture DGAL")).to_be_visible()
    expect(page.locator(".js-translation-editor li").first).to_be_visible()  # the React editor rendered

    page.goto(screens["comparison"])
    expect(page.locator("#translation-comparison")).to_contain_text(screens["title"])


@pytest.mark.parametrize(
    "username,password",
    [
        ("redactrice", "mot-de-passe-redactrice-navigateur"),
        ("relecteur", "mot-de-passe-relecteur-navigateur"),
        ("admin", ADMIN_PASSWORD),
    ],
    ids=["redactrice", "relecteur", "administrateur"],
)
def test_editors_screens_have_no_javascript_error_and_no_server_error(page, screens, username, password):
    problems = watch(page)
    admin_login(page, username, password)
    open_screens(page, screens)
    assert problems == []


@pytest.mark.parametrize("role", ["anonyme", "gestionnaire"])
def test_without_admin_access_every_screen_leads_to_the_login_page(page, screens, role):
    problems = watch(page)
    if role == "gestionnaire":
        site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    for name in ("dashboard", "editor", "workflow_preview", "localize_editor", "comparison"):
        response = page.goto(screens[name])
        assert response.status < 400, (name, response.status)
        assert "/admin/login/" in page.url, (name, page.url)
        expect(page.locator("input[name=username]")).to_be_visible()
    assert problems == []
