"""Admin crawl per role over a site holding every page type in every state (issue 14).

For each role — Rédacteur, Relecteur DGAL, administrator, canteen manager without admin access — GET the admin
menus and the pages they link to (one level), every page action of every page (edit, preview in the panel for
an existing and a new page, view draft, workflow preview, revisions, compare, history, translate, sync, convert,
copy, move, delete, unpublish, and any other admin link of the page's edit screen), the translation editor and its
preview, the snippets, reports and wagtail-localize screens. No 5xx for anyone; the manager never gets in; the
Rédacteur is refused what publishes or removes live content.
"""

import re

import pytest
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.models import Translation

from .crawler import Crawler, admin_links, menu_links

pytestmark = pytest.mark.django_db

ROLES = ["redacteur", "relecteur", "admin", "gestionnaire"]
# Every action is tried on the resource in each state and on the index pages.
ACTION_KINDS = {"resource", "ResourceIndexPage", "HomePage"}
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


def crawl(client, site, user):
    client.force_login(user)
    crawler = Crawler(client)
    dashboard = crawler.get("/admin/")

    if dashboard.status_code == 200:
        for url in sorted(menu_links(crawler.html["/admin/"])):
            crawler.get(url)
            for link in sorted(menu_links(crawler.html.get(url, ""))):
                if re.match(MENU_DEPTH_LINK, link) and "/delete/" not in link:
                    crawler.get(link)

    for (kind, _state), page in sorted(site["pages"].items(), key=lambda item: item[1].pk):
        page = Page.objects.get(pk=page.pk).specific
        for url in render_urls(page):
            crawler.get(url)
        edit = f"/admin/pages/{page.pk}/edit/"
        crawler.preview(edit, f"/admin/pages/{page.pk}/edit/preview/", stream_counts(type(page)))
        if kind in ACTION_KINDS:
            for url in action_urls(page):
                crawler.get(url)
            for link in sorted(admin_links(crawler.html.get(edit, ""))):
                crawler.get(link)
    for kind in ["ResourceIndexPage", "GuideIndexPage", "MeasureIndexPage", "HomePage"]:
        parent = site["pages"][(kind, "live")]
        for model, add_url, preview_url in add_urls(parent):
            crawler.get(add_url)
            crawler.preview(add_url, preview_url, stream_counts(model))
    return crawler


@pytest.mark.parametrize("role", ROLES)
def test_admin_crawl(client, editorial_site, role):
    crawler = crawl(client, editorial_site, editorial_site["users"][role])
    import os

    if os.environ.get("CRAWL_TIMINGS"):
        print(len(crawler.statuses), sum(t for t, _ in crawler.timings))
        for t, url in sorted(crawler.timings, reverse=True)[:40]:
            print(f"{t:.2f} {crawler.statuses[url]} {url}")
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
    # Previews work for every page type, on a new page, a draft, a live page with a draft and in moderation.
    previews = {url: status for url, status in statuses.items() if "/preview/" in url and "valid=" in url}
    assert previews and all(status == 200 for status in previews.values()), previews
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
