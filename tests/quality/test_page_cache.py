"""Anonymous page cache (home/page_cache.py): served from the cache, purged on publication, never personal."""

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from wagtail.models import PageViewRestriction

from home.models import SiteSettings
from home.page_cache import GENERATION_KEY, TOKEN_PLACEHOLDER, cache_key
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory, StandardPageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on(settings, db):
    settings.PAGE_CACHE_SECONDS = 60
    SiteSettings.load()  # created on first use, which purges the cache: do it before the tests
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def about(home_page):
    return StandardPageFactory(parent=home_page, title="À propos", slug="a-propos", introduction="Version 1")


@pytest.fixture
def resource(home_page):
    index = ResourceIndexPageFactory(parent=home_page)
    return ResourcePageFactory(parent=index, title="Fiche bio", slug="fiche-bio", measures=["quality"])


def test_second_anonymous_request_is_served_from_the_cache(client, about, django_assert_num_queries):
    first = client.get("/a-propos/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/a-propos/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # the middlewares above the cache still add their headers
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "fr"


def test_publishing_a_change_shows_it_at_once(client, about):
    assert "Version 1" in client.get("/a-propos/").content.decode()
    assert client.get("/a-propos/")["X-Page-Cache"] == "hit"
    about.introduction = "Version 2"
    about.save_revision().publish()
    response = client.get("/a-propos/")
    assert response["X-Page-Cache"] == "miss"
    assert "Version 2" in response.content.decode()


def test_unpublishing_removes_the_cached_page(client, about):
    client.get("/a-propos/")
    about.unpublish()
    assert client.get("/a-propos/").status_code == 404


def test_site_settings_and_snippets_purge_the_cache(client, about):
    client.get("/a-propos/")
    settings = SiteSettings.load()
    settings.footer_text = "Nouveau pied de page"
    settings.save()
    assert "Nouveau pied de page" in client.get("/a-propos/").content.decode()


def test_french_and_english_and_query_strings_are_distinct_entries(client, about, home_page_en):
    french = client.get("/")
    english = client.get("/en/")
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    assert client.get("/en/").content == english.content != french.content
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"


def test_authenticated_users_are_never_served_nor_stored(client, about):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/a-propos/")
    assert "X-Page-Cache" not in response
    client.logout()
    assert client.get("/a-propos/")["X-Page-Cache"] == "miss"


def test_restricted_pages_are_not_cached(client, about):
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    response = client.get("/a-propos/")
    assert "X-Page-Cache" not in response
    assert "Version 1" not in response.content.decode()


def test_adding_a_restriction_purges_the_cached_page(client, about):
    client.get("/a-propos/")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    assert "Version 1" not in client.get("/a-propos/").content.decode()


def test_other_views_are_not_cached(client, home_page):
    assert "X-Page-Cache" not in client.get("/diagnostic/")
    assert "X-Page-Cache" not in client.get("/compte/connexion/")
    assert "X-Page-Cache" not in client.get("/healthz")


def test_search_results_are_cached_and_purged_on_publish(client, resource):
    assert client.get("/recherche/?q=bio")["X-Page-Cache"] == "miss"
    assert client.get("/recherche/?q=bio")["X-Page-Cache"] == "hit"
    assert client.get("/en/search/?q=bio")["X-Page-Cache"] == "miss"
    assert client.get("/recherche/?q=bio&page=2")["X-Page-Cache"] == "miss"
    resource.title = "Fiche bio mise à jour"
    resource.save_revision().publish()
    response = client.get("/recherche/?q=bio")
    assert response["X-Page-Cache"] == "miss"
    assert "mise à jour" in response.content.decode()


def test_search_is_not_cached_when_not_listed(client, resource, settings):
    settings.PAGE_CACHE_VIEWS = []
    client.get("/recherche/?q=bio")
    assert "X-Page-Cache" not in client.get("/recherche/?q=bio")


def test_each_visitor_gets_their_own_csrf_token_on_a_cached_form(client, resource):
    from django.test import Client

    first = client.get("/ressources/fiche-bio/")
    assert first["X-Page-Cache"] == "miss"
    stored = cache.get(cache_key(RequestFactory().get("/ressources/fiche-bio/")))
    assert TOKEN_PLACEHOLDER in stored["content"]
    assert b"Fiche bio" in stored["content"]

    other = Client()
    second = other.get("/ressources/fiche-bio/")
    assert second["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode()).group(1)
    assert TOKEN_PLACEHOLDER.decode() not in second.content.decode()
    assert "csrftoken" in second.cookies
    # the token of the cached page works with the visitor's own cookie: the feedback form is accepted
    other_enforced = Client(enforce_csrf_checks=True)
    page = other_enforced.get("/ressources/fiche-bio/")
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    answer = other_enforced.post(
        f"/ressources/avis/{resource.pk}/", {"csrfmiddlewaretoken": token, "useful": "yes", "comment": ""}
    )
    assert answer.status_code == 302


def test_page_with_a_pending_message_is_neither_served_nor_stored(client, resource):
    client.get("/ressources/fiche-bio/")
    answer = client.post(f"/ressources/avis/{resource.pk}/", {"useful": "yes"}, follow=True)
    assert "Merci, votre avis a bien été enregistré." in answer.content.decode()
    assert "X-Page-Cache" not in answer
    assert "Merci" not in client.get("/ressources/fiche-bio/").content.decode()


def test_generation_is_redrawn_when_the_cache_loses_it(client, about):
    client.get("/a-propos/")
    cache.delete(GENERATION_KEY)
    assert client.get("/a-propos/")["X-Page-Cache"] == "miss"


@override_settings(PAGE_CACHE_SECONDS=0)
def test_switched_off_by_the_setting(client, about):
    client.get("/a-propos/")
    assert "X-Page-Cache" not in client.get("/a-propos/")


def test_system_check_warns_about_a_process_local_cache():
    from home.checks import page_cache_needs_shared_cache

    assert [w.id for w in page_cache_needs_shared_cache(None)] == ["home.W001"]
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    with override_settings(CACHES=redis):
        assert page_cache_needs_shared_cache(None) == []
