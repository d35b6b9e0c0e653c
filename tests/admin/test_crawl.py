"""Admin crawl per role over a site holding every page type in every state (issue 14).

For each role — Rédacteur, Relecteur DGAL, administrator, canteen manager without admin access — GET the admin
menus and the pages they link to (one level), every page action of a page in every state (the resource in each
state, translated and aliased, the home page and an index page: edit, preview in the panel, view draft, workflow
preview, revisions, compare, history, translate, sync, convert, copy, move, delete, unpublish, and any other admin
link of the page's edit screen), one page of every other type (edit, preview, view draft, revisions), the add
screen of every type, the translation editor, the snippets, reports and wagtail-localize screens. No 5xx for
anyone; the manager never gets in; the Rédacteur is refused what publishes or removes live content.

What depends on the page's type and state but not on the role — the preview of every type on a new page, a
draft, a live page with a draft and in moderation, the view of its draft and revision, the workflow preview, the
translation editor and its preview for every type — is crawled once, as a Relecteur
(`test_every_page_type_renders_in_every_state`), instead of once per role: each role still renders one page of
each type and the resource in every state, where its permissions and action menus show. The English aliases of
the index pages are no longer tried action by action in each role: the resource's alias is, and the index
aliases are rendered once.
"""

import os
import re

import pytest
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.models import Translation

from .conftest import STATES
from .crawler import Crawler, admin_links, menu_links

pytestmark = pytest.mark.django_db

ROLES = ["redacteur", "relecteur", "admin", "gestionnaire"]
LEAF_KINDS = ["standard", "measure", "guide", "resource", "kit"]
PARENT_KINDS = ["ResourceIndexPage", "GuideIndexPage", "MeasureIndexPage", "HomePage"]
# The actions depend on the page's state (and on the role), not on its type: in each role they are tried on the
# resource in each state (its alias included) and on two live index pages (one of them the site's root).
ACTION_PAGES = {("resource", state) for state in [*STATES, "translated", "alias"]} | {
    ("ResourceIndexPage", "live"),
    ("HomePage", "live"),
}
# The renders depend on the page's type and state: in each role, one page of each type (live, with a newer draft);
# every type in every state once, in `test_every_page_type_renders_in_every_state`.
SAMPLE_STATE = "live_draft"
# Followed one level from the menus: screens, not every row of a long listing.
MENU_DEPTH_LINK = r"^/admin/(snippets|documents|images|reports|localize|settings|workflows|collections|locales|sites)/"


def render_urls(page):
    """What renders the page itself (depends on its type): edit screen, draft, revisions, workflow preview."""
    pk = page.pk
    urls = [f"/admin/pages/{pk}/edit/", f"/admin/pages/{pk}/view_draft/"]
    revision = page.latest_revision
    if revision is not None:
        urls.append(f"/admin/pages/{pk}/revisions/{revision.pk}/view/")
        if page.live and page.has_unpublished_changes:
            urls.append(f"/admin/pages/{pk}/revisions/live...latest/")
    state = page.current_workflow_state
    if state is not None and state.current_task_state is not None:
        task_id, task_state_id = state.current_task_state.task_id, state.current_task_state.pk
        urls += [
            f"/admin/pages/workflow/preview/{pk}/{task_id}/",
            f"/admin/pages/workflow/action/{pk}/approve/{task_state_id}/",
            f"/admin/pages/workflow/action/{pk}/reject/{task_state_id}/",
        ]
    for translation in Translation.objects.filter(source__object_id=page.translation_key):
        urls.append(f"/admin/localize/translate/{translation.pk}/preview/")
    return urls


def action_urls(page):
    """The page's actions (they depend on its state, not on its type)."""
    pk = page.pk
    urls = [
        f"/admin/pages/{pk}/",
        f"/admin/pages/{pk}/history/",
        f"/admin/pages/{pk}/revisions/",
        f"/admin/pages/{pk}/workflow_history/",
        f"/admin/pages/{pk}/usage/",
        f"/admin/pages/{pk}/copy/",
        f"/admin/pages/{pk}/move/",
        f"/admin/pages/{pk}/delete/",
        f"/admin/pages/{pk}/unpublish/",
        f"/admin/pages/{pk}/privacy/",
        f"/admin/pages/{pk}/add_subpage/",
        f"/admin/localize/submit/page/{pk}/",
        f"/admin/localize/page/{pk}/convert_to_alias/",
    ]
    if page.latest_revision is not None:
        urls.append(f"/admin/pages/{pk}/revisions/earliest...latest/")
    for translation in Translation.objects.filter(source__object_id=page.translation_key):
        urls += [
            f"/admin/localize/update/{translation.source_id}/",
            f"/admin/localize/translate/{translation.pk}/pofile/download/",
            f"/admin/relecture/traduction/{translation.pk}/comparer/",
        ]
    return urls


def add_urls(parent):
    for model in parent.specific_class.allowed_subpage_models():
        app, name = model._meta.app_label, model._meta.model_name
        add = f"/admin/pages/add/{app}/{name}/{parent.pk}/"
        yield model, add, add + "preview/"


def stream_counts(model):
    """StreamFields are posted by the admin's JavaScript: an empty one is `<name>-count=0`."""
    return {f"{field.name}-count": "0" for field in model._meta.fields if isinstance(field, StreamField)}


def render_page(crawler, page):
    """The renders of one page and its preview in the panel (the edit form posted as it is)."""
    for url in render_urls(page):
        crawler.get(url)
    edit = f"/admin/pages/{page.pk}/edit/"
    crawler.preview(edit, f"/admin/pages/{page.pk}/edit/preview/", stream_counts(type(page)))


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def crawl(client, site, user):
    """What depends on the role: the menus and the screens one level below, the actions of a page in every state
    (the resource, the index pages), one page of each type and the add screens of every type."""
    client.force_login(user)
    crawler = Crawler(client)
    dashboard = crawler.get("/admin/")

    if dashboard.status_code == 200:
        for url in sorted(menu_links(crawler.html["/admin/"])):
            crawler.get(url)
            for link in sorted(menu_links(crawler.html.get(url, ""))):
                if re.match(MENU_DEPTH_LINK, link) and "/delete/" not in link:
                    crawler.get(link)

    for key, page in sorted(site["pages"].items(), key=lambda item: item[1].pk):
        if key not in ACTION_PAGES and key[1] != SAMPLE_STATE:
            continue
        page = fresh(page)
        render_page(crawler, page)
        if key in ACTION_PAGES:
            for url in action_urls(page):
                crawler.get(url)
            for link in sorted(admin_links(crawler.html.get(f"/admin/pages/{page.pk}/edit/", ""))):
                crawler.get(link)
    for kind in PARENT_KINDS:
        for _model, add_url, _preview_url in add_urls(site["pages"][(kind, "live")]):
            crawler.get(add_url)
    return crawler


def crawl_renders(client, site, user):
    """What depends on the page's type and state, not on the role: every page's renders and preview (the pages
    that `crawl` renders in every role left out), every new page's preview."""
    client.force_login(user)
    crawler = Crawler(client)
    for key, page in sorted(site["pages"].items(), key=lambda item: item[1].pk):
        if key not in ACTION_PAGES:
            render_page(crawler, fresh(page))
    for kind in PARENT_KINDS:
        for model, add_url, preview_url in add_urls(site["pages"][(kind, "live")]):
            crawler.preview(add_url, preview_url, stream_counts(model))
    return crawler


def report_timings(crawler):
    if os.environ.get("CRAWL_TIMINGS"):
        print(len(crawler.statuses), sum(t for t, _ in crawler.timings))
        for t, url in sorted(crawler.timings, reverse=True)[:40]:
            print(f"{t:.2f} {crawler.statuses[url]} {url}")


@pytest.mark.parametrize("role", ROLES)
def test_admin_crawl(client, editorial_site, role):
    crawler = crawl(client, editorial_site, editorial_site["users"][role])
    report_timings(crawler)
    assert not crawler.errors, crawler.errors
    statuses = crawler.statuses
    assert len(statuses) > 100
    if role == "gestionnaire":
        # No admin access: every screen sends to the login page (or refuses), nothing is shown.
        shown = {url: status for url, status in statuses.items() if status == 200}
        assert not shown, shown
        return
    pages = editorial_site["pages"]
    live = pages[("resource", "live")]
    translated = pages[("resource", "translated")]
    moderation = pages[("resource", "moderation")]
    # Previews work for this role on one page of every type and on the resource in every state.
    previews = {url: status for url, status in statuses.items() if "/preview/" in url and "valid=" in url}
    assert previews and all(status == 200 for status in previews.values()), previews
    for kind in LEAF_KINDS:
        page = pages[(kind, SAMPLE_STATE)]
        assert statuses[f"/admin/pages/{page.pk}/edit/"] == 200, kind
        assert any(url.startswith(f"/admin/pages/{page.pk}/edit/preview/ ") for url in previews), kind
    for state in STATES:
        page = pages[("resource", state)]
        assert any(url.startswith(f"/admin/pages/{page.pk}/edit/preview/ ") for url in previews), state
    for kind in PARENT_KINDS:
        parent = pages[(kind, "live")]
        for model, add_url, _preview_url in add_urls(parent):
            if model.can_create_at(parent):
                assert statuses[add_url] == 200, add_url
    assert statuses[f"/admin/pages/{live.pk}/revisions/{live.latest_revision.pk}/view/"] == 200
    assert statuses[f"/admin/pages/{translated.pk}/edit/"] == 200  # the translation editor
    task_state = moderation.current_workflow_state.current_task_state
    task_id = task_state.task_id
    workflow_preview = f"/admin/pages/workflow/preview/{moderation.pk}/{task_id}/"
    translation = Translation.objects.get(source__object_id=live.translation_key)
    compare = reverse("resources_compare_translation", args=[translation.pk])
    if role == "redacteur":
        refused = [
            f"/admin/pages/{live.pk}/unpublish/",
            f"/admin/pages/{live.pk}/delete/",
            f"/admin/localize/page/{translated.pk}/convert_to_alias/",
            f"/admin/pages/workflow/action/{moderation.pk}/approve/{task_state.pk}/",
        ]
        for url in refused:
            assert statuses[url] in (302, 403), (url, statuses[url])
        assert statuses[workflow_preview] in (302, 403)
    else:
        assert statuses[workflow_preview] == 200
        assert statuses[f"/admin/localize/page/{translated.pk}/convert_to_alias/"] == 200
    assert statuses[compare] == 200


def test_every_page_type_renders_in_every_state(client, editorial_site):
    """As a Relecteur (an editor's group permissions, and the workflow's screens on pages in moderation)."""
    crawler = crawl_renders(client, editorial_site, editorial_site["users"]["relecteur"])
    report_timings(crawler)
    assert not crawler.errors, crawler.errors
    statuses = crawler.statuses
    pages = editorial_site["pages"]
    previews = {url.split(" ")[0]: status for url, status in statuses.items() if "valid=" in url}
    assert all(status == 200 for status in previews.values()), previews
    # Previews for every page type on a new page, a draft, a live page with a draft and in moderation (the
    # resource's in every role, `test_admin_crawl`).
    for kind in [kind for kind in LEAF_KINDS if kind != "resource"]:
        for state in STATES:
            page = pages[(kind, state)]
            assert previews.get(f"/admin/pages/{page.pk}/edit/preview/") == 200, (kind, state)
            assert statuses[f"/admin/pages/{page.pk}/view_draft/"] == 200, (kind, state)
        moderation = pages[(kind, "moderation")]
        task_state = moderation.current_workflow_state.current_task_state
        assert statuses[f"/admin/pages/workflow/preview/{moderation.pk}/{task_state.task_id}/"] == 200, kind
        translated = pages[(kind, "translated")]
        assert statuses[f"/admin/pages/{translated.pk}/edit/"] == 200, kind  # the translation editor
        translation = Translation.objects.get(source__object_id=translated.translation_key)
        assert statuses[f"/admin/localize/translate/{translation.pk}/preview/"] == 200, kind
    for kind in PARENT_KINDS:
        parent = pages[(kind, "live")]
        for model, _add_url, preview_url in add_urls(parent):
            if model.can_create_at(parent):
                assert previews.get(preview_url) == 200, preview_url
