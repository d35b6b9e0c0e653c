"""Wagtail's API v2 at /api/v1/pages/, images/, documents/: fields of every page type, locale, and content
that must never be served (drafts, private pages, unpublished changes, aliases, private documents)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.models import Page

from tests.api.conftest import get_json
from tests.api.schema_check import assert_matches_schema
from tests.factories import ResourcePageFactory

pytestmark = pytest.mark.django_db


def all_pages(client, query=""):
    data = get_json(client, f"/api/v1/pages/?limit=100{query}")
    assert data["meta"]["total_count"] == len(data["items"])
    return data["items"]


def test_listing_shape_and_schema(client, site):
    response = client.get("/api/v1/pages/?limit=2")
    assert_matches_schema(response, "/api/v1/pages/")
    data = response.json()
    assert data["meta"]["total_count"] > 2 and len(data["items"]) == 2
    assert data["meta"]["next"].endswith("/api/v1/pages/?limit=2&offset=2") and data["meta"]["previous"] is None
    following = get_json(client, data["meta"]["next"])
    assert following["meta"]["previous"].endswith("/api/v1/pages/?limit=2")
    item = data["items"][0]
    assert set(item) == {"id", "meta", "title"}
    assert set(item["meta"]) >= {"type", "detail_url", "html_url", "slug", "locale"}


def test_drafts_private_pages_and_aliases_are_never_served(client, site, locales):
    served = {item["id"] for item in all_pages(client)}
    titles = {item["title"] for item in all_pages(client)}
    for page in site["hidden"].values():
        assert page.pk not in served
        assert list(get_json(client, f"/api/v1/pages/{page.pk}/", status=404)) == ["errors"]
        assert client.get(f"/api/v1/pages/find/?id={page.pk}").status_code == 404
    assert {"Brouillon secret", "Ressource privée", "Guide sous une page privée", "Espace privé"}.isdisjoint(titles)
    assert "Titre pas encore publié" not in titles  # the draft revision of a live page
    aliases = Page.objects.filter(alias_of__isnull=False)
    assert aliases.exists() and served.isdisjoint(aliases.values_list("pk", flat=True))
    typed = all_pages(client, "&type=resources.ResourcePage&fields=title")
    assert {item["title"] for item in typed} == {"Réduire le gaspillage", "Acheter bio", "Reducing food waste"}


def test_hidden_detail_answers_json_404(client, site):
    body = get_json(client, f"/api/v1/pages/{site['hidden']['draft'].pk}/", status=404)
    assert list(body) == ["errors"] and body["errors"]["detail"][0].startswith("Introuvable")
    detail = get_json(client, f"/api/v1/pages/{site['bio'].pk}/")
    assert detail["title"] == "Acheter bio"  # the published title, not the draft's


def test_locale_filter(client, site):
    english = all_pages(client, "&locale=en")
    assert {item["meta"]["locale"] for item in english} == {"en"}
    assert {item["title"] for item in english} == {"Home", "Resources", "Reducing food waste"}
    french = all_pages(client, "&locale=fr")
    assert {item["meta"]["locale"] for item in french} == {"fr"} and len(french) > len(english)
    body = get_json(client, "/api/v1/pages/?locale=xx", status=400)
    assert "xx" in body["errors"]["detail"][0]
    translations = all_pages(client, f"&translation_of={site['waste'].pk}")
    assert [item["id"] for item in translations] == [site["waste_en"].pk]


def test_resource_page_fields(client, site):
    response = client.get(f"/api/v1/pages/{site['waste'].pk}/")
    assert_matches_schema(response, "/api/v1/pages/1/")
    data = response.json()
    assert data["meta"]["type"] == "resources.ResourcePage" and data["meta"]["locale"] == "fr"
    assert data["resource_type"] == {"code": "fiche-pratique", "name": "Fiche pratique"}
    assert data["measures"] == [{"code": "waste", "name": "Lutte contre le gaspillage alimentaire et dons"}]
    assert data["audiences"] == [{"code": "gestionnaire", "name": "Gestionnaire de cantine"}]
    assert data["sectors"] == [{"code": "enseignement", "name": "Enseignement"}]
    assert data["gaps"] == [
        {"code": "waste.no_action", "measure": "waste", "name": "Pas d'action de réduction du gaspillage"}
    ]
    pdf, video = data["files"]
    assert pdf["format"] == "pdf" and pdf["size"] == site["pdf"].get_file_size() and pdf["document"] == site["pdf"].pk
    assert pdf["url"] == "http://testserver" + site["pdf"].url
    assert video == {
        "title": "https://www.youtube.com/watch?v=x",
        "url": "https://www.youtube.com/watch?v=x",
        "format": "video",
        "size": None,
        "document": None,
    }
    assert [related["title"] for related in data["related_resources"]] == ["Acheter bio"]


def test_english_page_has_english_labels(client, site, locales):
    from resources.models import Measure
    from tests.factories import taxonomy_term

    waste_en = taxonomy_term(Measure, "waste").copy_for_translation(locales["en"])
    waste_en.name = "Food waste"
    waste_en.save()
    data = get_json(client, f"/api/v1/pages/{site['waste_en'].pk}/")
    assert data["meta"]["locale"] == "en" and data["title"] == "Reducing food waste"
    assert data["measures"] == [{"code": "waste", "name": "Food waste"}]
    assert data["gaps"][0]["name"] == "No waste reduction action"


def test_guide_streamfield_is_structured_json(client, site):
    data = get_json(client, f"/api/v1/pages/{site['guide'].pk}/")
    heading, paragraph, document, secret = data["body"]
    assert heading["type"] == "heading" and heading["value"] == {"text": "Peser les restes", "level": "h2"}
    assert paragraph["value"] == '<p>Voir <a href="/mesures-egalim/quality/">la mesure</a>.</p>'
    assert document["value"]["document"] == {
        "id": site["pdf"].pk,
        "title": "Guide PDF",
        "url": "http://testserver" + site["pdf"].url,
        "size": site["pdf"].get_file_size(),
        "format": "pdf",
    }
    assert secret["value"]["document"] is None  # a document of a private collection
    assert data["toc"] == [{"anchor": "peser-les-restes", "text": "Peser les restes", "level": "h2"}]
    raw = get_json(client, f"/api/v1/pages/{site['guide'].pk}/?rich_text_format=db_html")
    assert 'linktype="page"' in raw["body"][1]["value"]


def test_measure_and_kit_fields(client, site):
    measure = get_json(client, f"/api/v1/pages/{site['quality'].pk}/")
    assert measure["measure"] == {"code": "quality", "name": "Qualité et durabilité des produits"}
    assert measure["requirements"].startswith("<p>La loi demande")
    assert {"thresholds", "body", "sources", "faq", "since", "summary"} <= set(measure)
    kit = get_json(client, f"/api/v1/pages/{site['kit'].pk}/")
    assert [item["type"] for item in kit["items"]] == ["resource", "document", "mail_template"]
    assert kit["items"][2]["mail_template"]["code"] == "cantine-non-inscrite"
    assert kit["zip_url"].endswith("/ressources/kit-ambassadeur/zip/")


def test_documents_and_images(client, site):
    response = client.get("/api/v1/documents/")
    assert_matches_schema(response, "/api/v1/documents/")
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Guide PDF"]  # not the private collection's document
    assert items[0]["file_size"] == site["pdf"].get_file_size() and items[0]["format"] == "pdf"
    assert client.get(f"/api/v1/documents/{site['secret_document'].pk}/").status_code == 404
    images = client.get("/api/v1/images/")
    assert_matches_schema(images, "/api/v1/images/")


@pytest.mark.parametrize(
    "query",
    ["unknown=1", "limit=abc", "limit=1000", "offset=-1", "type=nope.Nope", "fields=nope", "order=nope", "child_of=x"],
)
def test_bad_parameters_answer_400_in_the_api_format(client, site, query):
    response = client.get(f"/api/v1/pages/?{query}")
    assert response.status_code == 400, response.content
    assert_matches_schema(response, "/api/v1/pages/")
    assert set(response.json()) == {"errors"}


def test_field_filter_with_a_bad_value_is_a_400(client, site):
    response = client.get("/api/v1/pages/?type=resources.ResourcePage&measures=abc")
    assert response.status_code == 400


def test_search(client, site):
    """Full text through the project's search service (the site's ranking), aliases (the English copies of French
    pages) still left out."""
    found = all_pages(client, "&search=gaspillage")
    assert site["waste"].pk in {item["id"] for item in found}
    assert {"Brouillon secret", "Ressource privée"}.isdisjoint(item["title"] for item in found)
    aliases = set(Page.objects.filter(alias_of__isnull=False).values_list("pk", flat=True))
    assert aliases.isdisjoint(item["id"] for item in all_pages(client, "&search=Acheter&locale=en"))
    typed = all_pages(client, "&type=resources.ResourcePage&search=gaspillage&order=title")
    assert site["waste"].pk in [item["id"] for item in typed]
    assert [item["title"] for item in typed] == sorted(item["title"] for item in typed)
    # The service's ranking (the site search's and the hub's), not Wagtail's index: the same pages, same order.
    from resources.models import ResourcePage
    from search.service import filter_pages

    ranked = filter_pages(ResourcePage.objects.live().public(), "gaspillage", locale="fr").order_by(
        "-search_rank", "pk"
    )
    by_relevance = all_pages(client, "&type=resources.ResourcePage&search=gaspillage")
    assert [item["id"] for item in by_relevance] == list(ranked.values_list("pk", flat=True))


def test_listings_cost_the_same_number_of_queries_for_any_number_of_pages(client, site, django_assert_max_num_queries):
    """Every field of every page type (`fields=*`) is read from a few prefetches, not a query per page."""
    url = "/api/v1/pages/?type=resources.ResourcePage&fields=*&limit=100"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(12):
        ResourcePageFactory(
            parent=site["resource_index"],
            title=f"Ressource {number}",
            measures=["waste", "quality"],
            audiences=["elu"],
            sectors=["enseignement"],
            files=[{"document": site["pdf"]}, {"url": "https://example.org/x"}],
        )
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.json()["meta"]["total_count"] == 15
    for query in ("?fields=*&limit=100", "?type=resources.GuidePage&fields=*", "?type=resources.MeasurePage&fields=*"):
        # 26: one query per restricted collection, and the site has two (« Privé » here, and « Fichiers en attente
        # de relecture », the Rédacteurs' uploads awaiting review)
        with django_assert_max_num_queries(26):
            assert client.get("/api/v1/pages/" + query).status_code == 200


def test_reads_never_write(client, site):
    """Documents created by code have no stored size: reading it must not save them (nor reindex pages)."""
    Document.objects.filter(pk=site["pdf"].pk).update(file_size=None)
    urls = ["/api/v1/resources/", f"/api/v1/resources/{site['waste'].pk}/", "/api/v1/documents/", "/api/v1/kits/"]
    urls += [f"/api/v1/pages/{site['guide'].pk}/", "/api/v1/pages/?type=resources.ResourcePage&fields=*"]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            data = get_json(client, url)
    assert data["items"][0]["files"][0]["size"] == site["pdf"].file.size
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert Document.objects.get(pk=site["pdf"].pk).file_size is None


def test_schema_describes_the_fields_of_each_page_type(client, site):
    from openapi_schema_validator import OAS31Validator

    from api.schema import openapi_schema

    schema = openapi_schema()
    detail = schema["paths"]["/api/v1/pages/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    branches = {branch.get("title"): branch for branch in detail["schema"]["anyOf"]}
    assert {"ResourcePage", "GuidePage", "MeasurePage", "KitPage", "HomePage"} <= set(branches)
    resource = branches["ResourcePage"]["properties"]
    assert {"measures", "resource_type", "files", "gaps", "body", "related_resources"} <= set(resource)
    assert resource["measures"]["items"]["properties"] == {"code": {"type": "string"}, "name": {"type": "string"}}
    validator = OAS31Validator({**detail["schema"], "components": schema["components"]})
    data = get_json(client, f"/api/v1/pages/{site['waste'].pk}/")
    assert not list(validator.iter_errors(data))
    assert list(validator.iter_errors({**data, "measures": "waste"}))  # a resource's taxonomy is a list of terms
    guide = get_json(client, f"/api/v1/pages/{site['guide'].pk}/")
    assert not list(validator.iter_errors(guide)) and list(validator.iter_errors({**guide, "body": "<p>x</p>"}))
