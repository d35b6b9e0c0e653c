"""Finding 3: a password-protected page leaked through its English alias (API detail and list, hub, search,
suggestions, feed, search index). A page's restriction now applies to its aliases everywhere."""

import pytest
from wagtail.models import Page, PageViewRestriction
from wagtail_localize.synctree import synchronize_tree

from search.models import SearchEntry
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db
SECRET = "Zanzibarique"  # a word found only in the private page
TITLE = f"Ressource {SECRET}"  # what a leak shows (the query itself is echoed by the search pages)


@pytest.fixture
def private_alias(home_page, locales):
    index = ResourceIndexPageFactory(parent=home_page)
    index_en = index.copy_for_translation(locales["en"])
    index_en.title, index_en.slug = "Resources", "resources"
    index_en.save_revision().publish()
    public = ResourcePageFactory(parent=index, title="Ressource publique", summary="Tout le monde la lit")
    private = ResourcePageFactory(parent=index, title=TITLE, summary=f"Texte {SECRET} réservé")
    synchronize_tree(locales["fr"], locales["en"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    alias = Page.objects.get(alias_of=private)
    public_alias = Page.objects.get(alias_of=public)
    return private, alias, public_alias


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_the_alias_is_not_served_by_the_api(client, private_alias, settings):
    settings.API_READ_RATE_LIMIT = None
    _private, alias, public_alias = private_alias
    assert client.get(f"/api/v1/resources/{alias.pk}/").status_code == 404
    assert client.get(f"/api/v1/pages/{alias.pk}/").status_code == 404
    listed = {item["id"] for item in client.get("/api/v1/resources/?locale=en").json()["results"]}
    assert public_alias.pk in listed and alias.pk not in listed
    pages = text(client.get("/api/v1/pages/?locale=en&limit=100"))
    assert SECRET not in pages


def test_the_alias_is_not_listed_searched_suggested_or_fed(client, private_alias):
    _private, alias, _public_alias = private_alias
    assert not SearchEntry.objects.filter(page_id=alias.pk).exists()
    assert TITLE not in text(client.get(f"/en/resources/?q={SECRET}"))
    assert TITLE not in text(client.get("/en/resources/"))
    assert TITLE not in text(client.get(f"/en/search/?q={SECRET}"))
    assert TITLE not in text(client.get(f"/en/search/suggestions/?q={SECRET[:5]}"))
    assert TITLE not in text(client.get("/en/resources/feed.xml"))
    assert client.get(alias.url).status_code in (200, 302) and SECRET not in text(client.get(alias.url))


def test_lifting_the_restriction_brings_the_alias_back(client, private_alias):
    private, alias, _public_alias = private_alias
    PageViewRestriction.objects.filter(page=private).delete()
    assert SearchEntry.objects.filter(page_id=alias.pk).exists()
    assert not Page.objects.public().filter(pk=alias.pk).count() == 0
