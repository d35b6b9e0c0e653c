"""The admin page explorer's translation buttons without queries per row (home/admin_listing.py)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.wagtail_hooks import page_listing_more_buttons as localize_buttons

from home.admin_listing import annotate_explorer_pages, page_listing_more_buttons
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory, UserFactory, bulk_create_resources

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(home_page, locales):
    index = ResourceIndexPageFactory(parent=home_page)
    translated = ResourcePageFactory(parent=index, title="Traduite")
    source, _created = TranslationSource.get_or_create_from_instance(translated)
    Translation.objects.create(source=source, target_locale=locales["en"], enabled=True)
    ResourcePageFactory(parent=index, title="Pas encore traduite")
    return index


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


def buttons(generator):
    return [(button.label, button.url) for button in generator]


def test_row_buttons_are_wagtail_localize_buttons(hub, admin):
    request = RequestFactory().get("/admin/")
    request.user = admin
    pages = annotate_explorer_pages(hub, Page.objects.child_of(hub).specific(), request)
    seen = []
    for page in pages:
        ours = buttons(page_listing_more_buttons(page, admin, next_url="/admin/pages/"))
        assert ours == buttons(localize_buttons(page, admin, next_url="/admin/pages/"))
        seen.append(tuple(str(label) for label, _url in ours))
    assert ("Traduire cette page", "Synchroniser les pages traduites") in seen  # the translated source
    assert ("Traduire cette page",) in seen  # no enabled translation: nothing to sync


def test_explorer_query_count_does_not_grow_with_rows(client, hub, admin):
    client.force_login(admin)
    url = f"/admin/pages/{hub.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.content.decode().count("Traduire cette page") >= 2
    bulk_create_resources(hub, 30)
    client.get(url)  # the creation purged the caches (the site lookup among them): compare warm with warm
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Traduire cette page") >= 32
    assert len(many) == len(few) <= 40  # 132 with wagtail-localize's two queries per row (50 rows)
