"""Counted downloads, « Cette ressource vous a-t-elle été utile ? » (anonymous, rate-limited) and the
admin reports built on them."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone
from wagtail.models import Collection, PageViewRestriction

from resources.models import ResourceDownload, ResourceFeedback
from tests.factories import DocumentFactory, ResourcePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resource(resource_index):
    document = DocumentFactory(title="Guide anti-gaspillage", file__filename="guide.pdf", file__data=b"%PDF-1.4 guide")
    sheet = DocumentFactory(title="Tableur", file__filename="suivi.xlsx", file__data=b"xlsx")
    return ResourcePageFactory(
        parent=resource_index,
        title="Réduire le gaspillage",
        slug="reduire-le-gaspillage",
        measures=["waste"],
        files=[{"document": document}, {"document": sheet}, {"url": "https://www.youtube.com/watch?v=abc"}],
    )


def files_of(page):
    return list(page.files.order_by("sort_order"))


def total(file):
    return sum(ResourceDownload.objects.filter(file=file).values_list("count", flat=True))


# --- downloads ------------------------------------------------------------------------------------------


def test_download_is_counted_per_file_and_day_and_serves_the_file(client, resource):
    pdf, sheet, _video = files_of(resource)
    response = client.get(f"/ressources/telecharger/{pdf.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 guide"
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{pdf.document.filename}"' in response["Content-Disposition"]
    assert pdf.document.filename.endswith(".pdf")
    client.get(f"/ressources/telecharger/{pdf.pk}/")
    response = client.get(f"/ressources/telecharger/{sheet.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert total(pdf) == 2 and total(sheet) == 1
    rows = ResourceDownload.objects.filter(page=resource)
    assert rows.count() == 2  # one row per file and day, not per download
    assert {row.day for row in rows} == {timezone.localdate()}


def test_each_day_has_its_own_row(resource):
    pdf = files_of(resource)[0]
    ResourceDownload.record(pdf, day=datetime.date(2025, 1, 1))
    ResourceDownload.record(pdf, day=datetime.date(2025, 1, 1))
    ResourceDownload.record(pdf, day=datetime.date(2025, 1, 2))
    counts = dict(ResourceDownload.objects.filter(file=pdf).values_list("day", "count"))
    assert counts == {datetime.date(2025, 1, 1): 2, datetime.date(2025, 1, 2): 1}


def test_counting_survives_a_concurrent_first_download(resource, monkeypatch):
    """Two first downloads of the day at once: both UPDATEs miss, one INSERT wins, the other falls back
    to the UPDATE when the unique constraint refuses its INSERT."""
    pdf = files_of(resource)[0]
    day = datetime.date(2025, 3, 1)
    ResourceDownload.objects.create(page=resource, file=pdf, day=day, count=1)  # the other request's row
    original_update = QuerySet.update
    calls = []

    def update_that_missed_the_row_the_first_time(queryset, **kwargs):
        calls.append(kwargs)
        return 0 if len(calls) == 1 else original_update(queryset, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_that_missed_the_row_the_first_time)
    ResourceDownload.record(pdf, day=day)
    assert len(calls) == 2
    assert ResourceDownload.objects.get(file=pdf, day=day).count == 2


def test_a_download_is_one_update_once_the_row_exists(resource, django_assert_num_queries):
    pdf = files_of(resource)[0]
    ResourceDownload.record(pdf)
    with django_assert_num_queries(1):
        ResourceDownload.record(pdf)


def test_links_and_videos_are_counted_and_redirected(client, resource):
    video = files_of(resource)[2]
    response = client.get(f"/ressources/telecharger/{video.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.youtube.com/watch?v=abc"
    assert total(video) == 1


def test_head_requests_and_crawlers_are_not_counted(client, resource):
    pdf = files_of(resource)[0]
    assert client.head(f"/ressources/telecharger/{pdf.pk}/").status_code == 200
    client.get(f"/ressources/telecharger/{pdf.pk}/", headers={"User-Agent": "Googlebot/2.1"})
    assert total(pdf) == 0


def test_downloads_of_drafts_unknown_files_or_private_pages(client, resource, resource_index):
    assert client.get("/ressources/telecharger/999999/").status_code == 404
    assert client.post(f"/ressources/telecharger/{files_of(resource)[0].pk}/").status_code == 405
    draft = ResourcePageFactory(parent=resource_index, live=False, files=[{"document": DocumentFactory()}])
    assert client.get(f"/ressources/telecharger/{files_of(draft)[0].pk}/").status_code == 404
    private = ResourcePageFactory(parent=resource_index, slug="privee", files=[{"document": DocumentFactory()}])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"/ressources/telecharger/{files_of(private)[0].pk}/")
    assert response.status_code == 302 and response["Location"] == private.url
    assert total(files_of(private)[0]) == 0


def test_documents_of_a_private_collection_go_through_wagtail(client, resource_index):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Interne")
    private.view_restrictions.create(restriction_type="login")
    page = ResourcePageFactory(parent=resource_index, files=[{"document": DocumentFactory(collection=private)}])
    file = files_of(page)[0]
    response = client.get(f"/ressources/telecharger/{file.pk}/")
    assert response.status_code == 302 and response["Location"] == file.document.url


def test_resource_page_links_to_the_counting_view(client, resource):
    html = client.get(resource.url).content.decode()
    for file in files_of(resource):
        assert f'href="/ressources/telecharger/{file.pk}/"' in html
    assert "PDF – 14" in html  # format and size
    assert "Français" in html  # language


# --- feedback -------------------------------------------------------------------------------------------


def test_feedback_is_stored_anonymously(client, resource):
    response = client.post(
        f"/ressources/avis/{resource.pk}/",
        {"useful": "yes", "comment": "  Très clair,\r\nmerci !\x07 "},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302 and response["Location"] == resource.url
    feedback = ResourceFeedback.objects.get()
    assert feedback.page_id == resource.pk and feedback.useful is True
    assert feedback.comment == "Très clair,\nmerci !"
    assert feedback.language == "fr"
    stored = {field.attname for field in ResourceFeedback._meta.concrete_fields}
    assert stored == {"id", "page_id", "useful", "comment", "language", "created_at"}  # no IP, no user
    html = client.get(response["Location"]).content.decode()
    assert "Merci, votre avis a bien été enregistré." in html


def test_feedback_without_answer_is_refused_with_a_message(client, resource):
    response = client.post(f"/ressources/avis/{resource.pk}/", {"comment": "?"}, follow=True)
    assert ResourceFeedback.objects.count() == 0
    assert "Répondez « Oui » ou « Non »." in response.content.decode()


def test_feedback_needs_post_and_csrf(resource):
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/ressources/avis/{resource.pk}/").status_code == 405
    assert client.post(f"/ressources/avis/{resource.pk}/", {"useful": "no"}).status_code == 403
    assert ResourceFeedback.objects.count() == 0
    # With the token of the page's form, it works.
    client.get(resource.url)
    token = client.cookies["csrftoken"].value
    response = client.post(f"/ressources/avis/{resource.pk}/", {"useful": "no", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ResourceFeedback.objects.get().useful is False


def test_feedback_is_rate_limited_per_ip_and_resource(client, resource, resource_index, settings):
    settings.RESOURCE_FEEDBACK_RATE_LIMIT = "5/h"
    url = f"/ressources/avis/{resource.pk}/"
    for _ in range(5):
        assert client.post(url, {"useful": "yes"}, REMOTE_ADDR="198.51.100.1").status_code == 302
    response = client.post(url, {"useful": "yes"}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert "Trop d'avis envoyés" in response.content.decode()
    assert ResourceFeedback.objects.count() == 5
    # Another address, or another resource, is not limited.
    assert client.post(url, {"useful": "yes"}, REMOTE_ADDR="198.51.100.2").status_code == 302
    other = ResourcePageFactory(parent=resource_index, slug="autre")
    assert (
        client.post(f"/ressources/avis/{other.pk}/", {"useful": "yes"}, REMOTE_ADDR="198.51.100.1").status_code == 302
    )


def test_feedback_on_a_draft_is_a_404(client, resource_index):
    draft = ResourcePageFactory(parent=resource_index, live=False)
    assert client.post(f"/ressources/avis/{draft.pk}/", {"useful": "yes"}).status_code == 404


# --- admin reports --------------------------------------------------------------------------------------


@pytest.fixture
def stats(resource, resource_index):
    other = ResourcePageFactory(parent=resource_index, title="Autre ressource", files=[{"url": "https://x.gouv.fr/"}])
    pdf, sheet, _video = files_of(resource)
    for _ in range(3):
        ResourceDownload.record(pdf)
    ResourceDownload.record(sheet)
    ResourceDownload.record(files_of(other)[0])
    ResourceDownload.record(pdf, day=timezone.localdate() - datetime.timedelta(days=200))
    ResourceFeedback.objects.create(page=resource, useful=True, comment="Parfait")
    ResourceFeedback.objects.create(page=resource, useful=True)
    ResourceFeedback.objects.create(page=other, useful=False, comment="Trop court")
    return {"resource": resource, "other": other}


def test_most_downloaded_report(admin_client, stats):
    response = admin_client.get("/admin/reports/ressources-les-plus-telechargees/")
    assert response.status_code == 200
    pages = list(response.context["object_list"])
    assert [(page.title, page.downloads) for page in pages] == [("Réduire le gaspillage", 5), ("Autre ressource", 1)]
    html = response.content.decode()
    assert "Ressources les plus téléchargées" in html and "Guide anti-gaspillage : 4" in html
    recent = admin_client.get("/admin/reports/ressources-les-plus-telechargees/?period=30").context["object_list"]
    assert [page.downloads for page in recent] == [4, 1]
    export = admin_client.get("/admin/reports/ressources-les-plus-telechargees/?export=csv")
    assert export.status_code == 200
    assert "Réduire le gaspillage" in b"".join(export.streaming_content).decode()


def test_most_useful_report(admin_client, stats):
    response = admin_client.get("/admin/reports/ressources-les-plus-utiles/")
    assert response.status_code == 200
    rows = [
        (page.title, page.useful_yes, page.useful_no, page.useful_share) for page in response.context["object_list"]
    ]
    assert rows == [("Réduire le gaspillage", 2, 0, "100 %"), ("Autre ressource", 0, 1, "0 %")]


def test_feedback_report(admin_client, stats):
    response = admin_client.get("/admin/reports/avis-sur-les-ressources/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Parfait" in html and "Trop court" in html
    only_no = admin_client.get("/admin/reports/avis-sur-les-ressources/?useful=0").context["object_list"]
    assert [feedback.comment for feedback in only_no] == ["Trop court"]
    with_comment = admin_client.get("/admin/reports/avis-sur-les-ressources/?with_comment=true").context["object_list"]
    assert len(with_comment) == 2


def test_reports_are_for_editors_only(client, stats):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/admin/reports/ressources-les-plus-telechargees/").status_code in (302, 403)
    anonymous = Client()
    response = anonymous.get("/admin/reports/avis-sur-les-ressources/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_reports_are_in_the_reports_menu(admin_client, stats):
    html = admin_client.get("/admin/").content.decode()
    for url in ["ressources-les-plus-telechargees", "ressources-les-plus-utiles", "avis-sur-les-ressources"]:
        assert f"/admin/reports/{url}/" in html
