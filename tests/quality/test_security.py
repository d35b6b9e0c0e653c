"""Security settings and headers: production HTTPS, HSTS and cookies, the Content-Security-Policy, rate limits.

Also checked elsewhere (not repeated here):
- `manage.py check --deploy` is clean with the production settings: tests/home/test_site.py;
- login and magic-link rate limits (429, French message): tests/accounts/test_accounts.py;
- « Cette ressource vous a-t-elle été utile ? » rate limit (429): tests/resources/test_downloads.py;
- EGAlim API rate limit (429 in JSON): tests/diagnostic/test_api.py;
- uploads: tests/quality/test_uploads.py; stored and reflected XSS, rich text: tests/quality/test_xss.py;
- no CSP violation in a real browser: tests/browser/test_csp.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def production_settings(**env):
    """The production settings' values, read in a fresh process. Importing the settings module is enough:
    `django.setup()` (the apps, their models, about 2.5 s of processor each time) changes none of them."""
    code = (
        "import json; from django.conf import settings; "
        "names = ['DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', 'X_FRAME_OPTIONS', 'SECURE_PROXY_SSL_HEADER', "
        "'PAGE_CACHE_SECONDS', 'WAGTAILDOCS_DOCUMENT_FORM_BASE', 'WAGTAILDOCS_MAX_UPLOAD_SIZE', "
        "'WAGTAILIMAGES_MAX_UPLOAD_SIZE', 'WAGTAILIMAGES_EXTENSIONS', 'CONTENT_SECURITY_POLICY']; "
        "print(json.dumps({name: getattr(settings, name) for name in names}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PAGE_CACHE_SECONDS")},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "ma-cantine.example",
            **env,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_forces_https_with_hsts_and_secure_cookies():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    script_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    assert script_src == ["'self'"]


def test_production_page_cache_follows_redis():
    assert production_settings()["PAGE_CACHE_SECONDS"] == 0  # no shared cache: off (home/checks.py)
    with_redis = production_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis["PAGE_CACHE_SECONDS"] == 300


def test_production_upload_limits():
    values = production_settings()
    assert values["WAGTAILDOCS_DOCUMENT_FORM_BASE"] == "home.uploads.SafeDocumentForm"
    assert values["WAGTAILDOCS_MAX_UPLOAD_SIZE"] == 20 * 1024 * 1024
    assert values["WAGTAILIMAGES_MAX_UPLOAD_SIZE"] == 10 * 1024 * 1024
    assert "svg" not in values["WAGTAILIMAGES_EXTENSIONS"]


def test_https_redirect_and_hsts_header(client, settings, home_page):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", headers={"host": "localhost"})
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get("/", headers={"host": "localhost", "x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_and_http_only(client, settings, home_page):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/compte/connexion/")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    client.post("/diagnostic/", {"department": "35", "year": "2024"})
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.parametrize("path", ["/", "/ressources/", "/diagnostic/", "/recherche/?q=bio", "/compte/connexion/"])
def test_public_pages_send_the_security_headers(client, home_page, path):
    response = client.get(path, follow=True)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )  # {"script-src": "'self'", ...}
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()  # no inline script at all: every script has a src


def test_admin_keeps_wagtails_own_scripts(client):
    """/admin/ gets its own CSP (home/admin_csp.py): Wagtail's inline scripts run, nothing from elsewhere does."""
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy and "form-action 'self'" in policy
