"""Roles and the « Relecture DGAL » workflow, driven through the real Wagtail admin views."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from resources.models import Measure, ResourcePage, ResourceType
from tests.factories import ResourcePageFactory, UserFactory, taxonomy_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def redactrice():
    user = UserFactory(username="redactrice", email="redactrice@agriculture.gouv.fr")
    user.groups.add(Group.objects.get(name="Rédacteurs"))
    return user


@pytest.fixture
def relecteur():
    user = UserFactory(username="relecteur", email="relecteur@agriculture.gouv.fr")
    user.groups.add(Group.objects.get(name="Relecteurs DGAL"))
    return user


def login(client, user):
    client.force_login(user)
    return client


def resource_form(**overrides):
    data = {
        "title": "Mettre en place le tri des biodéchets",
        "slug": "tri-des-biodechets",
        "summary": "Les étapes pour trier les biodéchets en cuisine et en salle.",
        "resource_type": str(taxonomy_term(ResourceType, "fiche-pratique").pk),
        "measures": [str(taxonomy_term(Measure, "waste").pk)],
        "gaps": ["waste.no_action"],
        "language": "fr",
        "last_reviewed": "2025-01-15",
        "files": inline_formset([{"title": "Fiche ADEME", "url": "https://www.ademe.fr/", "document": ""}]),
        "body": streamfield([("paragraph", rich_text("<p>Commencez par peser les restes.</p>"))]),
    }
    data.update(overrides)
    return nested_form_data(data)


def french_page(slug):
    # The English tree is synchronised: a page created in the admin also gets an English alias with the same slug.
    return ResourcePage.objects.get(slug=slug, locale__language_code="fr")


def add_url(parent):
    return f"/admin/pages/add/resources/resourcepage/{parent.pk}/"


def test_migration_creates_groups_and_workflow_on_the_whole_site():
    workflow = Workflow.objects.get(name="Relecture DGAL")
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert [group.name for group in tasks[0].groups.all()] == ["Relecteurs DGAL"]
    root = Page.get_first_root_node()
    assert root.get_workflow() == workflow
    editors = Group.objects.get(name="Rédacteurs")
    reviewers = Group.objects.get(name="Relecteurs DGAL")
    editor_page_perms = set(editors.page_permissions.values_list("permission__codename", flat=True))
    reviewer_page_perms = set(reviewers.page_permissions.values_list("permission__codename", flat=True))
    assert editor_page_perms == {"add_page", "change_page"}
    assert {"add_page", "change_page", "publish_page"} <= reviewer_page_perms


def test_page_of_the_tree_uses_the_workflow(resource_index):
    assert resource_index.get_workflow().name == "Relecture DGAL"


def test_redacteur_cannot_publish(client, redactrice, resource_index):
    login(client, redactrice)
    response = client.get(add_url(resource_index))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html

    response = client.post(add_url(resource_index), resource_form(**{"action-publish": "action-publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = french_page("tri-des-biodechets")
    assert not page.live  # saved as a draft, not published
    assert page.files.get().format == "link"

    # Editing a live page and asking to publish does not change what is online either.
    live = ResourcePageFactory(parent=resource_index, title="En ligne", slug="en-ligne", summary="Version en ligne")
    response = client.post(
        f"/admin/pages/{live.pk}/edit/",
        resource_form(title="En ligne", slug="en-ligne", summary="Version modifiée", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.summary == "Version en ligne"
    assert live.has_unpublished_changes
    assert client.post(f"/admin/pages/{live.pk}/unpublish/").status_code in (302, 403)
    live.refresh_from_db()
    assert live.live


def submit(client, redactrice, resource_index):
    login(client, redactrice)
    response = client.post(add_url(resource_index), resource_form(**{"action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = french_page("tri-des-biodechets")
    return page


def test_submitting_puts_the_page_in_moderation_and_notifies_reviewers(client, redactrice, relecteur, resource_index):
    mail.outbox.clear()
    page = submit(client, redactrice, resource_index)
    assert not page.live
    assert client.get("/ressources/tri-des-biodechets/").status_code == 404
    assert client.get("/en/ressources/tri-des-biodechets/").status_code == 404  # nor its English alias
    state = page.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Relecture DGAL"
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS

    recipients = [address for message in mail.outbox for address in message.to]
    assert "relecteur@agriculture.gouv.fr" in recipients
    assert "redactrice@agriculture.gouv.fr" not in [m.to[0] for m in mail.outbox if "relecteur" in m.to[0]]
    notification = next(m for m in mail.outbox if "relecteur@agriculture.gouv.fr" in m.to)
    assert "Mettre en place le tri des biodéchets" in notification.subject + notification.body

    # The page shows up in the reviewer's dashboard.
    login(client, relecteur)
    assert "Mettre en place le tri des biodéchets" in client.get("/admin/").content.decode()


def test_redacteur_cannot_approve_but_relecteur_approves_and_page_goes_live(
    client, redactrice, relecteur, resource_index
):
    page = submit(client, redactrice, resource_index)
    task_state = page.current_workflow_task_state
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"

    client.post(url, {"comment": ""})  # the author is not a reviewer
    page.refresh_from_db()
    assert not page.live

    mail.outbox.clear()
    login(client, relecteur)
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == relecteur
    assert client.get("/ressources/tri-des-biodechets/").status_code == 200
    assert any("redactrice@agriculture.gouv.fr" in m.to for m in mail.outbox)  # the author is told

    # Not translated yet: its English alias goes live with it and links to the French version.
    client.logout()
    response = client.get("/en/ressources/tri-des-biodechets/")
    assert response.status_code == 200
    assert 'href="/ressources/tri-des-biodechets/" hreflang="fr">Read the French version</a>' in (
        response.content.decode()
    )


def test_rejection_sends_the_page_back_with_the_comment(client, redactrice, relecteur, resource_index):
    page = submit(client, redactrice, resource_index)
    task_state = page.current_workflow_task_state
    mail.outbox.clear()
    login(client, relecteur)
    comment = "Merci d'ajouter la source réglementaire (loi AGEC) avant publication."
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/", {"comment": comment})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == comment
    # The author is notified, with the comment, and sees it in the page's workflow history.
    rejection = next(m for m in mail.outbox if "redactrice@agriculture.gouv.fr" in m.to)
    assert comment in rejection.body
    login(client, redactrice)
    history = client.get(f"/admin/pages/{page.pk}/workflow_history/detail/{state.pk}/").content.decode()
    assert "loi AGEC" in history

    # The author fixes the page and resubmits: the workflow restarts.
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        resource_form(summary="Avec la source : loi AGEC, article 88.", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_scheduled_publishing_and_expiry(client, relecteur, resource_index):
    login(client, relecteur)
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        add_url(resource_index),
        resource_form(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"), **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = french_page("tri-des-biodechets")
    assert not page.live
    revision = Revision.page_revisions.get(object_id=str(page.pk), approved_go_live_at__isnull=False)

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live  # not yet

    # Time passes: the go-live date is now in the past.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live

    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired


def test_review_due_report(client, redactrice, resource_index):
    old = ResourcePageFactory(
        parent=resource_index, title="Fiche ancienne", last_reviewed=timezone.localdate() - datetime.timedelta(days=400)
    )
    ResourcePageFactory(parent=resource_index, title="Fiche récente", last_reviewed=timezone.localdate())
    login(client, redactrice)
    response = client.get("/admin/reports/contenus-a-relire/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contenus à relire" in html
    assert "Fiche ancienne" in html
    assert "Fiche récente" not in html
    assert f"/admin/pages/{old.pk}/edit/" in html
    assert "/admin/reports/contenus-a-relire/" in client.get("/admin/").content.decode()  # in the Reports menu
    export = client.get("/admin/reports/contenus-a-relire/?export=csv")
    assert export.status_code == 200
    assert "Fiche ancienne" in b"".join(export.streaming_content).decode()


def test_review_due_report_needs_admin_access(client, resource_index):
    login(client, UserFactory())
    response = client.get("/admin/reports/contenus-a-relire/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_redacteur_cannot_publish_translations_through_the_update_view(
    client, admin_client, redactrice, relecteur, guide_index, locales
):
    """wagtail-localize's « update translations » can publish at once: not for a Rédacteur (outside the workflow)."""
    from wagtail_localize.models import TranslationSource

    from resources.models import GuidePage
    from tests.factories import GuidePageFactory

    guide = GuidePageFactory(parent=guide_index, slug="guide", title="Guide relu")
    response = admin_client.post(
        f"/admin/localize/submit/page/{guide_index.pk}/", {"locales": [locales["en"].pk], "include_subtree": "on"}
    )
    assert response.status_code == 302
    english = GuidePage.objects.get(translation_key=guide.translation_key, locale=locales["en"])
    english.save_revision().publish()  # the English version online, as a reviewer would have published it
    assert english.title == "Guide relu"
    guide.title = "Guide modifié et relu"
    guide.save_revision().publish()
    source = TranslationSource.objects.get(object_id=guide.translation_key)
    url = f"/admin/localize/update/{source.pk}/"

    login(client, redactrice)
    html = client.get(url).content.decode()
    assert "Seuls les Relecteurs DGAL publient" in html
    assert not re.search(r'<input type="checkbox" name="publish_translations"', html)  # no box to tick
    response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.title == "Guide relu"  # nothing published

    login(client, relecteur)
    response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.title == "Guide modifié et relu"  # a reviewer may publish the update
