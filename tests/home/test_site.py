import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import override_settings

from home.models import SiteSettings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_search_off(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "off"}


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9", ELASTICSEARCH_TIMEOUT=0.5)
def test_healthz_reports_search_degraded_when_cluster_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["search"] == "degraded"


def test_healthz_returns_503_when_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_migrations_install_french_and_english_with_a_synchronised_tree():
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    # No load_demo here: a production database gets both locales from the migrations alone.
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}
    assert Locale.get_default().language_code == "fr"
    sync = LocaleSynchronization.objects.get()
    assert (sync.locale.language_code, sync.sync_from.language_code) == ("en", "fr")


def test_admin_login_renders_in_french(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "S'identifier" in response.content.decode() or "Se connecter" in response.content.decode()


def test_404_renders_dsfr_page(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html
    assert "fr-header" in html


def test_500_page_renders_without_database():
    from django.test import RequestFactory

    from home.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


def test_footer_shows_site_settings(client, home_page):
    settings = SiteSettings.load()
    settings.contact_email = "contact@example.org"
    settings.footer_text = "Texte de pied de page <b>échappé</b>"
    settings.mastodon_url = "https://social.example.org/@macantine"
    settings.save()
    html = client.get("/").content.decode()
    assert "mailto:contact@example.org" in html
    assert "Texte de pied de page &lt;b&gt;échappé&lt;/b&gt;" in html
    assert "https://social.example.org/@macantine" in html


# `load_demo` (every app's demo, run twice: idempotent, the admin's password from DEMO_ADMIN_PASSWORD) is tested
# in tests/resources/test_demo.py, the suite's one in-process run of the whole command.


def test_check_deploy_is_clean_with_production_settings():
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (a session fixture sets it in this worker): production has none.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "ma-cantine.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_require_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x.example"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_public_pages_send_a_csp_without_inline_scripts(client, home_page):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_header_has_search_box_and_links_to_registry_territories_and_open_data(client, home_page):
    html = client.get("/").content.decode()
    assert 'action="/recherche/"' in html
    assert 'data-suggest-url="/recherche/suggestions/"' in html
    assert 'id="header-search-input" name="q"' in html
    links = (("/cantines/", "Les cantines"), ("/territoires/", "Territoires"), ("/donnees/", "Données ouvertes"))
    for href, label in links:
        assert f'href="{href}"' in html and label in html
    assert html.count("search/suggest") == 1


def test_header_links_are_translated_in_english(client, home_page):
    html = client.get("/en/").content.decode()
    assert "Open data" in html and "Territories" in html and "Canteens" in html
    assert 'action="/en/search/"' in html


def test_search_page_does_not_repeat_the_header_search_ids(client, home_page):
    html = client.get("/recherche/?q=bio").content.decode()
    assert html.count('id="header-search-input"') == 1
    assert html.count('id="search-input"') == 1
