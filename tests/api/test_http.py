"""What every endpoint shares: ETag and Last-Modified, CORS for reads, rate limit (429), JSON errors, the
schema (JSON and YAML) and the documentation page."""

import pytest
from django.test import Client

from tests.api.conftest import get_json

pytestmark = pytest.mark.django_db

READS = ["/api/v1/resources/", "/api/v1/measures/", "/api/v1/kits/", "/api/v1/mail-templates/", "/api/v1/pages/"]


@pytest.mark.parametrize("url", [*READS, "/api/v1/canteens/", "/api/v1/documents/"])
def test_etag_and_last_modified(client, site, canteens, url):
    response = client.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and "no-cache" in response["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    if url != "/api/v1/mail-templates/":  # snippets: only edits logged by the admin date them
        last_modified = response["Last-Modified"]
        assert last_modified.endswith("GMT")
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_etag_changes_with_the_content(client, site):
    first = client.get("/api/v1/resources/")["ETag"]
    site["bio"].save_revision().publish()  # publishes the pending title
    response = client.get("/api/v1/resources/", HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200 and response["ETag"] != first
    assert "Titre pas encore publié" in response.content.decode()


def test_canteen_last_modified_follows_publication(client, canteens):
    url = f"/api/v1/canteens/{canteens['rennes'].pk}/"
    first = client.get(url)
    diagnostic = canteens["rennes"].diagnostics.get(year=2023)
    diagnostic.is_published = True
    diagnostic.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and [y["year"] for y in second.json()["published_years"]] == [2024, 2023]


def test_cors_is_open_for_reads_only(client, site):
    response = client.get("/api/v1/measures/", HTTP_ORIGIN="https://region.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/resources/", HTTP_ORIGIN="https://region.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    write_preflight = client.options(
        "/api/v1/egalim/evaluate/", HTTP_ORIGIN="https://x.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Methods" not in write_preflight
    post = client.post("/api/v1/egalim/evaluate/", "{}", content_type="application/json", HTTP_ORIGIN="https://x")
    assert "Access-Control-Allow-Origin" not in post
    assert "Access-Control-Allow-Origin" not in client.get("/ressources/")


def test_errors_are_json_with_cors(client, db):
    body = get_json(client, "/api/v1/nothing-here/", status=404)
    assert list(body["errors"]) == ["detail"]
    response = client.get("/api/v1/resources/99999/")
    assert response.status_code == 404 and response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/v1/resources/", {}).status_code == 405
    assert list(client.post("/api/v1/resources/", {}).json()["errors"]) == ["detail"]


def test_rate_limit_answers_429_in_json(client, site, settings):
    settings.API_READ_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/measures/").status_code == 200
    response = client.get("/api/v1/pages/")  # one counter for every read endpoint
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    message = "Trop de requêtes depuis cette adresse IP : réessayez dans une minute."
    assert response.json() == {"errors": {"detail": [message]}}
    assert client.get("/api/v1/measures/", REMOTE_ADDR="10.9.8.7").status_code == 200  # per IP


def test_writes_have_their_own_limit(client, canteens, settings):
    settings.API_WRITE_RATE_LIMIT = "1/m"
    url = f"/api/v1/canteens/{canteens['rennes'].pk}/diagnostics/"
    assert client.post(url, "{}", content_type="application/json").status_code == 401
    assert client.post(url, "{}", content_type="application/json").status_code == 429
    assert client.get("/api/v1/canteens/").status_code == 200


def test_schema_json_and_yaml(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    yaml = client.get("/api/v1/schema/?format=yaml")
    assert yaml.status_code == 200 and yaml.content.startswith(b"openapi:")


def test_the_schema_speaks_the_clients_language(client, db):
    """French by default; English with ?locale=en (the API's language parameter) or Accept-Language: en. The
    texts of the schema go through gettext (api/locale), the docstrings of the views never enter it."""
    french = client.get("/api/v1/schema/")
    assert french["Content-Language"] == "fr" and "Accept-Language" in french["Vary"]
    assert french.json()["info"]["description"] == "Contenus, ressources, cantines et règles EGAlim."
    operation = french.json()["paths"]["/api/v1/canteens/{id}/declarations/"]["post"]
    assert operation["summary"] == "Télédéclarer les données d'une année"
    for english in (client.get("/api/v1/schema/?locale=en"), client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en")):
        assert english["Content-Language"] == "en"
        schema = english.json()
        assert schema["info"]["description"] == "Content, resources, canteens and EGAlim rules."
        assert schema["paths"]["/api/v1/canteens/{id}/declarations/"]["post"]["summary"] == "Declare a year's data"
        assert schema["components"]["schemas"]["Purchases"]["properties"]["bio"]["description"] == "Organic purchases."
    yaml = client.get("/api/v1/schema/?format=yaml&locale=en").content.decode()
    assert "Declare a year's data" in yaml and "Télédéclarer" not in yaml
    assert client.get("/api/v1/schema/?locale=fr", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "fr"
    descriptions = [op.get("description", "") for ops in french.json()["paths"].values() for op in ops.values()]
    assert not any(text.startswith(("Count the request", "A read:")) for text in descriptions)  # no docstring


def test_docs_page_uses_the_projects_static_files_only(db):
    client = Client()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "https://cdn" not in html and "unpkg" not in html
    assert "/static/api/docs.js" in html and "/static/api/docs.css" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for operation in ("/api/v1/resources/", "/api/v1/pages/{id}/", "/api/v1/canteens/{id}/diagnostics/"):
        assert f"<code>{operation}</code>" in html
    assert 'id="schema-Resource"' in html
    assert 'action="/api/v1/measures/"' in html  # a GET form that works without JavaScript


def test_thresholds_are_a_cacheable_read(client, db):
    url = "/api/v1/egalim/thresholds/?department=976&year=2030"
    response = client.get(url, HTTP_ORIGIN="https://region.example")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"] and "Last-Modified" not in response  # changes with the code
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/egalim/thresholds/?department=976&year=2035", HTTP_IF_NONE_MATCH=response["ETag"])
    assert other.status_code == 200 and other["ETag"] != response["ETag"]
