"""Publish-bypass matrix (issue 14): every route that could put content online, tried as a Rédacteur with the real
admin requests. The live site, the API, the search suggestions and the feeds stay as they were: checked on the
public answers (HTML, JSON, XML), not only in the database. Then the same content goes online through « Relecture
DGAL » when a Relecteur approves it.
"""

import datetime
from urllib.parse import urlencode

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import StringSegment, Translation

from .crawler import form_data

pytestmark = pytest.mark.django_db

MARKER = "Zorglub"  # a word found nowhere else: it must never be public before review
FR_TEXT = f"{MARKER} publié sans relecture"
EN_TEXT = f"{MARKER} published without review"


def public_answers(site) -> dict:
    """What an anonymous visitor, an API client, the search box and a feed reader get."""
    client = Client()
    pages = site["pages"]
    urls = [
        pages[("resource", "live")].url,
        pages[("resource", "live_draft")].url,
        pages[("resource", "translated")].url,
        pages[("resource", "alias")].url,
        pages[("guide", "live")].url,
        pages[("kit", "live")].url,
        "/ressources/",
        "/en/resources/",
        "/ressources/feed.xml",
        "/en/resources/feed.xml",
        "/ressources/atom.xml",
        f"/recherche/?q={MARKER}",
        f"/recherche/suggestions/?q={MARKER}",
        f"/en/search/suggestions/?q={MARKER}",
        "/api/v1/pages/?fields=title&limit=100",
        "/api/v1/pages/?locale=en&fields=title&limit=100",
        f"/api/v1/pages/?search={MARKER}",
        f"/api/v1/pages/{pages[('resource', 'translated')].pk}/",
        "/api/v1/resources/?page_size=100",
        "/api/v1/resources/?locale=en&page_size=100",
        "/api/v1/mail-templates/",
        "/api/v1/kits/",
        "/api/v1/documents/",
        "/api/v1/images/",
    ]
    answers = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers[url] = (response.status_code, body.decode())
    return answers


def assert_nothing_published(site, before):
    """No public answer shows the marker more often than before (the search page echoes the query itself), and
    none changed status."""
    after = public_answers(site)

    def count(body):
        return body.lower().count(MARKER.lower())

    leaks = {url: status for url, (status, body) in after.items() if count(body) > count(before[url][1])}
    assert not leaks, leaks
    changed = {url for url in after if after[url][0] != before[url][0]}
    assert not changed, {url: (before[url][0], after[url][0]) for url in changed}
    return after


@pytest.fixture(scope="module")
def pristine(shared_editorial_site, django_db_blocker):
    """The public answers of the untouched site, read once for the module: each test starts from that site (what
    it changes is rolled back), so the `before` of a test that changes nothing first is this one."""
    with django_db_blocker.unblock():
        return public_answers(shared_editorial_site)


@pytest.fixture
def editor(client, editorial_site):
    client.force_login(editorial_site["users"]["redacteur"])
    return client


def stream_counts(page):
    return {f"{f.name}-count": "0" for f in type(page)._meta.fields if isinstance(f, StreamField)}


def edit_form(client, page, url=None):
    response = client.get(url or f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = form_data(response.content.decode())
    for name, value in stream_counts(page).items():
        data.setdefault(name, value)
    return data


def live_page(site, kind="resource", state="live"):
    return Page.objects.get(pk=site["pages"][(kind, state)].pk).specific


# --- pages: edit, revert, schedule, copy, bulk, unpublish --------------------------------------------------------


def test_edit_and_publish(editor, editorial_site, pristine):
    before = pristine
    page = live_page(editorial_site)
    data = edit_form(editor, page)
    data.update({"title": FR_TEXT, "summary": FR_TEXT, "action-publish": "1"})
    response = editor.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.title != FR_TEXT and page.has_unpublished_changes
    assert_nothing_published(editorial_site, before)


def test_revert_to_a_revision_and_publish(editor, editorial_site, pristine):
    page = live_page(editorial_site)
    data = edit_form(editor, page)
    data.update({"title": FR_TEXT, "action-draft": "1"})
    assert editor.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    before = pristine  # the draft saved first must not show either
    marked = page.revisions.order_by("-created_at").first()
    data = edit_form(editor, page, f"/admin/pages/{page.pk}/revisions/{marked.pk}/revert/")
    data.update({"revision": str(marked.pk), "action-publish": "1"})
    editor.post(f"/admin/pages/{page.pk}/edit/", data)
    assert_nothing_published(editorial_site, before)


def test_scheduled_publishing(editor, editorial_site, pristine):
    before = pristine
    page = live_page(editorial_site)
    data = edit_form(editor, page)
    past = timezone.localtime() - datetime.timedelta(minutes=5)
    data.update({"title": FR_TEXT, "go_live_at": past.strftime("%Y-%m-%d %H:%M"), "action-publish": "1"})
    editor.post(f"/admin/pages/{page.pk}/edit/", data)
    call_command("publish_scheduled")
    assert_nothing_published(editorial_site, before)


def test_copy_with_publish(editor, editorial_site, pristine):
    before = pristine
    page = live_page(editorial_site)
    response = editor.post(
        f"/admin/pages/{page.pk}/copy/",
        {
            "new_title": FR_TEXT,
            "new_slug": "zorglub",
            "new_parent_page": str(page.get_parent().pk),
            "publish_copies": "on",
        },
    )
    assert response.status_code in (200, 302, 403)
    copy = Page.objects.filter(slug="zorglub").first()
    assert copy is None or not copy.live
    assert_nothing_published(editorial_site, before)


def test_bulk_publish(editor, editorial_site, pristine):
    page = Page.objects.get(pk=editorial_site["pages"][("resource", "draft")].pk).specific
    data = edit_form(editor, page)
    data.update({"title": FR_TEXT, "action-draft": "1"})
    assert editor.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    before = pristine  # the draft saved first must not show either
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    editor.get(url)
    editor.post(url, {"include_descendants": "on"})
    page.refresh_from_db()
    assert not page.live
    assert_nothing_published(editorial_site, before)


def test_unpublish_is_refused(editor, editorial_site, pristine):
    before = pristine
    page = live_page(editorial_site)
    response = editor.post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.live
    assert_nothing_published(editorial_site, before)


# --- translations (wagtail-localize) -------------------------------------------------------------------------


def marked_po(client, translation) -> bytes:
    response = client.get(f"/admin/localize/translate/{translation.pk}/pofile/download/")
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    for entry in po:
        entry.msgstr = EN_TEXT
    return str(po).encode()


def test_translation_routes_keep_the_live_english_page(editor, editorial_site, pristine):
    """Submit a translation of a page whose English alias is live, fill it by .po upload and in the editor (the
    browser's form body), update and « sync » it, try to publish and convert it: the English page online does not
    change. Then « Soumettre la traduction à Relecture DGAL » and a Relecteur's approval put it online."""
    site = editorial_site
    source = live_page(site, state="live_draft")  # its English version is a live alias
    english = Page.objects.get(pk=site["pages"][("resource", "alias")].pk).specific
    before = pristine
    english_before = Client().get(english.url).content.decode()

    response = editor.post(f"/admin/localize/submit/page/{source.pk}/", {"locales": [site["locales"]["en"].pk]})
    assert response.status_code == 302
    translation = Translation.objects.get(source__object_id=source.translation_key, target_locale__language_code="en")
    assert_nothing_published(site, before)

    # .po upload
    upload = SimpleUploadedFile("en.po", marked_po(editor, translation), content_type="text/x-gettext-translation")
    response = editor.post(f"/admin/localize/translate/{translation.pk}/pofile/upload/", {"file": upload})
    assert response.status_code == 302
    assert_nothing_published(site, before)

    # the editor: one string, as the browser sends it (415 before issue 14)
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    response = editor.put(
        f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/",
        urlencode({"value": EN_TEXT}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content[:300]

    # update (« sync ») with publish ticked, submit again, publish from the editor, convert to alias
    editor.post(f"/admin/localize/update/{translation.source_id}/", {"publish_translations": "on"})
    editor.post(f"/admin/localize/submit/page/{source.pk}/", {"locales": [site["locales"]["en"].pk]})
    assert editor.post(f"/admin/pages/{english.pk}/edit/", {"action": "publish"}).status_code in (302, 403)
    assert editor.post(f"/admin/localize/page/{english.pk}/convert_to_alias/").status_code in (302, 403)
    assert_nothing_published(site, before)
    assert Client().get(english.url).content.decode().count(MARKER) == english_before.count(MARKER) == 0

    # submitted to review: still not online
    response = editor.post(f"/admin/relecture/traduction/{translation.pk}/soumettre/")
    assert response.status_code == 302
    english.refresh_from_db()
    state = english.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert english.live and english.has_unpublished_changes
    assert_nothing_published(site, before)

    # the reviewer compares, previews and approves: now it is online
    reviewer = Client()
    reviewer.force_login(site["users"]["relecteur"])
    compare = reviewer.get(f"/admin/relecture/traduction/{translation.pk}/comparer/").content.decode()
    assert EN_TEXT in compare
    task_state = state.current_task_state
    preview = reviewer.get(f"/admin/pages/workflow/preview/{english.pk}/{task_state.task_id}/")
    assert preview.status_code == 200 and EN_TEXT in preview.content.decode()
    response = reviewer.post(f"/admin/pages/workflow/action/{english.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    english.refresh_from_db()
    assert english.title == EN_TEXT
    assert EN_TEXT in Client().get(english.url).content.decode()


def test_update_of_a_published_translation(editor, editorial_site, pristine):
    site = editorial_site
    source = live_page(site)
    translation = Translation.objects.get(source__object_id=source.translation_key, target_locale__language_code="en")
    before = pristine
    upload = SimpleUploadedFile("en.po", marked_po(editor, translation), content_type="text/x-gettext-translation")
    response = editor.post(f"/admin/localize/translate/{translation.pk}/pofile/upload/", {"file": upload})
    assert response.status_code == 302
    editor.post(f"/admin/localize/update/{translation.source_id}/", {"publish_translations": "on"})
    editor.post(f"/admin/relecture/traduction/{translation.pk}/soumettre/")
    assert_nothing_published(site, before)


# --- files and the API -------------------------------------------------------------------------------------------


def test_uploaded_document_is_not_public_until_its_page_is_published(editor, editorial_site, pristine):
    """404 anonymously (403 for a logged-in non-editor) before review, 200 once a Relecteur publishes its page."""
    from wagtail.documents import get_document_model

    site = editorial_site
    before = pristine
    upload = SimpleUploadedFile(f"{MARKER}.pdf", b"%PDF-1.4 zorglub", content_type="application/pdf")
    response = editor.post("/admin/documents/multiple/add/", {"files[]": upload})
    assert response.status_code == 200, response.content[:500]
    document = get_document_model().objects.get(title__icontains=MARKER)
    assert document.collection.name == "Fichiers en attente de relecture"
    anonymous = Client()
    assert anonymous.get(document.url).status_code == 404
    manager = Client()
    manager.force_login(site["users"]["gestionnaire"])
    assert manager.get(document.url).status_code == 403
    assert editor.get(document.url).status_code == 200  # the editors see it
    assert_nothing_published(site, before)

    # the Rédacteur attaches it to a resource and submits it; the Relecteur approves: the file becomes public
    page = live_page(site)
    data = edit_form(editor, page)
    total = int(data["files-TOTAL_FORMS"])
    data.update(
        {
            f"files-{total}-title": "",
            f"files-{total}-document": str(document.pk),
            f"files-{total}-url": "",
            f"files-{total}-ORDER": str(total + 1),
            f"files-{total}-DELETE": "",
            f"files-{total}-id": "",
            "files-TOTAL_FORMS": str(total + 1),
            "action-submit": "1",
        }
    )
    assert editor.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    assert anonymous.get(document.url).status_code == 404
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    reviewer = Client()
    reviewer.force_login(site["users"]["relecteur"])
    reviewer.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""})
    document.refresh_from_db()
    assert document.collection.is_root()
    assert anonymous.get(document.url).status_code == 200
    assert any(item["id"] == document.pk for item in anonymous.get("/api/v1/documents/").json()["items"])


def test_api_has_no_write_route_for_content(editor, editorial_site, pristine):
    before = pristine
    for url in ["/api/v1/pages/", "/api/v1/resources/", "/api/v1/mail-templates/", "/api/v1/documents/"]:
        response = editor.post(url, {"title": FR_TEXT})
        assert response.status_code in (401, 403, 404, 405), (url, response.status_code)
    assert_nothing_published(editorial_site, before)


# --- snippets: mail templates ------------------------------------------------------------------------------------


def test_mail_template_edit_goes_through_review(editor, editorial_site, pristine):
    site = editorial_site
    template = site["template"]
    url = f"/admin/snippets/resources/mailtemplate/edit/{template.pk}/"
    before = pristine
    response = editor.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    data = form_data(html)
    data.update({"subject": f"{FR_TEXT} {{{{ nom_cantine }}}}", "action-publish": "1"})
    editor.post(url, data)
    template.refresh_from_db()
    assert MARKER not in template.subject and template.live
    assert_nothing_published(site, before)
    assert MARKER not in Client().get(f"/ressources/modeles-de-mail/{template.pk}.txt").content.decode()

    data["action-submit"] = "1"
    del data["action-publish"]
    assert editor.post(url, data).status_code == 302
    template.refresh_from_db()
    state = template.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert_nothing_published(site, before)

    reviewer = Client()
    reviewer.force_login(site["users"]["relecteur"])
    task_state = state.current_task_state
    response = reviewer.post(
        f"/admin/snippets/resources/mailtemplate/workflow/action/{template.pk}/approve/{task_state.pk}/",
        {"comment": ""},
    )
    assert response.status_code in (200, 302), response.status_code
    template.refresh_from_db()
    assert MARKER in template.subject
    assert MARKER in Client().get("/api/v1/mail-templates/").content.decode()


def test_new_mail_template_draft_is_shown_nowhere(editor, editorial_site, pristine):
    site = editorial_site
    before = pristine
    response = editor.get("/admin/snippets/resources/mailtemplate/add/")
    assert response.status_code == 200
    data = form_data(response.content.decode())
    data.update(
        {
            "name": FR_TEXT,
            "code": "zorglub",
            "subject": FR_TEXT,
            "body": FR_TEXT,
            "placeholders": "",
            "action-publish": "1",
        }
    )
    editor.post("/admin/snippets/resources/mailtemplate/add/", data)
    template = site["template_model"].objects.filter(code="zorglub").first()
    assert template is not None and not template.live
    assert_nothing_published(site, before)
    assert Client().get(f"/ressources/modeles-de-mail/{template.pk}.txt").status_code == 404
