"""Issue 14 in a real browser: the editorial workflow as a Rédactrice and a Relecteur DGAL use it.

A Rédactrice writes a resource in the page editor (typing, so Wagtail's autosave creates the page while she
writes), previews it in the panel, submits it to « Relecture DGAL »; a Relecteur opens the workflow preview and
approves it. She then translates it string by string in wagtail-localize's editor, submits the translation; the
Relecteur compares and approves; /en/… shows it. Before each approval, an anonymous visitor finds nothing of it
(page, hub, feeds, search suggestions, API).

Screenshots of the key screens land in SCREENSHOTS (var/screenshots/, like the other browser tests).
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, admin_login

pytestmark = pytest.mark.browser


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"editorial-{name}.png"), full_page=False)


def public_texts(browser, live_site, paths):
    """{path: (status, body)} as an anonymous visitor gets them (a fresh browser context: no cookie)."""
    context = browser.new_context(base_url=live_site.url)
    try:
        answers = {}
        for path in paths:
            response = context.request.get(path, max_redirects=0)
            answers[path] = (response.status, response.text())
        return answers
    finally:
        context.close()


def assert_not_public(browser, live_site, marker, page_path, lists):
    """The page answers 404 and no public list shows `marker`."""
    answers = public_texts(browser, live_site, [page_path, *lists])
    assert answers[page_path][0] == 404, (page_path, answers[page_path][0])
    leaks = [path for path in lists if marker in answers[path][1]]
    assert leaks == [], leaks


def public_lists(language):
    if language == "fr":
        return [
            "/ressources/",
            "/ressources/feed.xml",
            "/recherche/suggestions/?q=navigateur",
            "/recherche/?q=navigateur",
            "/api/v1/pages/?fields=title&limit=100",
            "/api/v1/resources/?page_size=100",
        ]
    return [
        "/en/resources/",
        "/en/resources/feed.xml",
        "/en/search/suggestions/?q=browser",
        "/api/v1/pages/?locale=en&fields=title&limit=100",
        "/api/v1/resources/?locale=en&page_size=100",
    ]


def approve_from_dashboard(page, title):
    """As the Relecteur: the dashboard row of `title`, its « Approuver » action."""
    page.goto("/admin/")
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("button").last.click()  # the row's « ... » actions menu
    page.get_by_role("button", name="Approuver", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(0)


def test_resource_written_previewed_reviewed_translated_and_reviewed_again(page, browser, editors, live_site):
    marker = uuid.uuid4().hex[:8]
    title = f"Fiche écrite dans le navigateur {marker}"
    slug = f"fiche-ecrite-dans-le-navigateur-{marker}"
    summary = "Peser les restes une semaine, puis ajuster les grammages."
    paragraph = "Commencez par peser les restes pendant une semaine."
    en_title = f"Sheet written in the browser {marker}"
    en_slug = f"sheet-written-in-the-browser-{marker}"
    english = {
        title: en_title,
        slug: en_slug,
        summary: "Weigh the leftovers for a week, then adjust the portions.",
        paragraph: "Start by weighing the leftovers for a week.",
    }
    hub = live_site.shell(
        "from resources.models import ResourceIndexPage; "
        "print(ResourceIndexPage.objects.get(locale__language_code='fr').pk)"
    ).strip()

    # --- the Rédactrice writes the resource, as people type ---------------------------------------------------
    admin_login(page, "redactrice", editors["redactrice"][1])
    page.goto(f"/admin/pages/add/resources/resourcepage/{hub}/")
    form = page.locator("form[data-edit-form]")
    page.locator("#id_title").press_sequentially(title, delay=40)
    page.locator("#id_summary").press_sequentially(summary, delay=25)
    page.get_by_role("button", name="Choisir type de ressource").click()
    page.get_by_role("dialog").get_by_role("link", name="Fiche pratique").click()
    expect(page.locator("#id_resource_type-title")).to_have_text("Fiche pratique")
    page.locator("#panel-child-contenu-body-section .c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraphe").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(paragraph, delay=25)
    expect(page.locator("input[type=hidden][name='body-0-value']")).to_have_value(re.compile("peser les restes"))
    # Wagtail's autosave has created the page meanwhile: the form now posts to its edit view.
    expect(form).to_have_attribute("action", re.compile(r"/admin/pages/\d+/edit/$"), timeout=30_000)

    # The preview panel shows the page itself, not an error.
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(title, timeout=30_000)
    expect(preview.locator("main")).to_contain_text(paragraph)
    shot(page, "1-preview-panel")
    page.locator("[data-side-panel-toggle='preview']").click()

    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Soumettre à Relecture DGAL").click()
    expect(page.locator(".messages")).to_contain_text("soumise pour modération")
    page_id = live_site.shell(
        f"from wagtail.models import Page; print(*Page.objects.filter(slug={slug!r}, locale__language_code='fr')"
        ".values_list('pk', flat=True))"
    ).split()
    assert len(page_id) == 1, page_id  # one page: the autosave and the submission did not make two
    page_id = page_id[0]

    assert_not_public(browser, live_site, marker, f"/ressources/{slug}/", public_lists("fr"))

    # --- the Relecteur previews the submitted version and approves it ------------------------------------------
    page.context.clear_cookies()
    admin_login(page, "relecteur", editors["relecteur"][1])
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("button").last.click()
    preview_url = page.get_by_role("link", name="Prévisualisation").get_attribute("href")
    assert "/admin/pages/workflow/preview/" in preview_url, preview_url
    page.goto(preview_url)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text(paragraph)
    shot(page, "2-workflow-preview")
    approve_from_dashboard(page, title)

    answers = public_texts(browser, live_site, [f"/ressources/{slug}/"])
    assert answers[f"/ressources/{slug}/"][0] == 200
    assert paragraph in answers[f"/ressources/{slug}/"][1]

    # --- the Rédactrice translates it string by string --------------------------------------------------------
    page.context.clear_cookies()
    admin_login(page, "redactrice", editors["redactrice"][1])
    en_alias = live_site.shell(
        f"from wagtail.models import Page, Locale; p = Page.objects.get(pk={page_id}); "
        "print(p.get_translation(Locale.objects.get(language_code='en')).pk)"
    ).strip()
    page.goto(f"/admin/pages/{en_alias}/edit/")
    page.get_by_role("link", name="Traduire cette page").click()
    page.get_by_role("button", name="Soumettre").click()
    expect(page.locator(".messages")).to_contain_text("soumise avec succès pour traduction")
    editor = page.locator(".js-translation-editor")
    saved = 0
    for tab in ("Contenu", "Promotion"):
        page.get_by_role("tab", name=tab).click()
        while True:
            todo = editor.locator("li.incomplete").filter(visible=True)
            if todo.count() == 0:
                break
            segment = todo.first
            source = segment.locator("p").first.inner_text().strip()
            if source not in english:
                pytest.fail(f"unexpected string to translate: {source!r}")
            segment.get_by_role("button", name="Traduire", exact=True).click()
            segment.locator("textarea").press_sequentially(english[source], delay=10)
            with page.expect_response(lambda r: r.request.method == "PUT" and "/strings/" in r.url) as answer:
                segment.get_by_role("button", name="Enregistrer").click()
            assert answer.value.status in (200, 201), answer.value.text()
            saved += 1
        if tab == "Contenu":
            shot(page, "3-translation-editor")
    assert saved == len(english), saved

    page.get_by_role("button", name="Soumettre la traduction à Relecture DGAL").click()
    expect(page.locator(".messages")).to_contain_text("soumise à Relecture DGAL")
    assert_not_public(browser, live_site, en_title, f"/en/resources/{en_slug}/", public_lists("en"))
    # The English address of the page still shows the French text (the alias), not the translation.
    status, body = public_texts(browser, live_site, [f"/en/resources/{slug}/"])[f"/en/resources/{slug}/"]
    assert status == 200 and en_title not in body and paragraph in body

    # --- the Relecteur compares and approves; /en/ shows the translation ---------------------------------------
    page.context.clear_cookies()
    admin_login(page, "relecteur", editors["relecteur"][1])
    translation_id = live_site.shell(
        "from wagtail.models import Page; from wagtail_localize.models import Translation; "
        f"key = Page.objects.get(pk={page_id}).translation_key; "
        "print(Translation.objects.get(source__object_id=key, target_locale__language_code='en').pk)"
    ).strip()
    page.goto(f"/admin/relecture/traduction/{translation_id}/comparer/")
    comparison = page.locator("#translation-comparison")
    expect(comparison).to_contain_text(title)
    expect(comparison).to_contain_text(en_title)
    expect(comparison).not_to_contain_text("non traduit")
    shot(page, "4-translation-comparison")
    approve_from_dashboard(page, en_title)

    answers = public_texts(browser, live_site, [f"/en/resources/{en_slug}/"])
    status, body = answers[f"/en/resources/{en_slug}/"]
    assert status == 200
    assert en_title in body and english[paragraph] in body


def test_a_click_while_the_first_autosave_is_on_its_way_waits_for_it(page, editors, live_site):
    """On a slow server, the click on « Soumettre » reached the create view after the autosave had created the
    page: « Le slug … est déjà utilisé » and an orphan draft. The autosave's answer is held here until after the
    click (docs/decisions/0008-autosave.md)."""
    marker = uuid.uuid4().hex[:8]
    title = f"Fiche soumise pendant l'autosave {marker}"
    hub = live_site.shell(
        "from resources.models import ResourceIndexPage; "
        "print(ResourceIndexPage.objects.get(locale__language_code='fr').pk)"
    ).strip()
    held, posts = [], []

    def hold_autosave(route):
        request = route.request
        if request.method == "POST":
            posts.append(request.resource_type)
        if request.method == "POST" and request.resource_type == "fetch" and not held:
            held.append((route, route.fetch()))  # the server has created the page; its answer waits
        else:
            route.continue_()

    admin_login(page, "redactrice", editors["redactrice"][1])
    page.route(re.compile(r"/admin/pages/add/"), hold_autosave)
    page.goto(f"/admin/pages/add/resources/resourcepage/{hub}/")
    page.get_by_role("button", name="Choisir type de ressource").click()
    page.get_by_role("dialog").get_by_role("link", name="Fiche pratique").click()
    page.locator("#id_summary").press_sequentially("Un résumé tapé.", delay=40)
    page.locator("#id_title").press_sequentially(title, delay=40)
    expect(page.locator("form[data-edit-form]")).to_have_attribute("data-autosave-in-flight", "", timeout=30_000)
    for _poll in range(600):  # the route handler runs between Playwright calls: until it holds the answer
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the autosave did not reach the server"

    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Soumettre à Relecture DGAL").click()
    assert posts == ["fetch"]  # the click waits: nothing posted but the autosave
    route, answer = held[0]
    route.fulfill(response=answer)

    expect(page.locator(".messages")).to_contain_text("soumise pour modération", timeout=30_000)
    assert posts == ["fetch"]  # the submission went to the page's edit view, not to the create view
    states = live_site.shell(
        "from wagtail.models import Page; "
        f"print(*(p.current_workflow_state is not None for p in Page.objects.filter(title={title!r}, "
        "locale__language_code='fr')))"
    ).split()
    assert states == ["True"]  # one page, in review
