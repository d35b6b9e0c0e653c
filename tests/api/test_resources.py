"""Product endpoints of the editorial content: /api/v1/resources/ (the hub's filters and facets), a resource,
measures, mail templates and kits; drafts and private pages never appear."""

import pytest

from tests.api.conftest import get_json
from tests.api.schema_check import assert_matches_schema
from tests.factories import DocumentFactory, MailTemplateFactory, ResourcePageFactory, taxonomy_term

pytestmark = pytest.mark.django_db

RESOURCES = "/api/v1/resources/"


def titles(client, query=""):
    response = client.get(RESOURCES + query)
    assert response.status_code == 200, response.content
    assert_matches_schema(response, RESOURCES)
    return {item["title"] for item in response.json()["results"]}


def test_listing_shape(client, site):
    data = get_json(client, RESOURCES)
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    waste = next(item for item in data["results"] if item["id"] == site["waste"].pk)
    assert waste["type"] == {"code": "fiche-pratique", "name": "Fiche pratique"}
    assert waste["measures"] == [{"code": "waste", "name": "Lutte contre le gaspillage alimentaire et dons"}]
    assert waste["gaps"][0]["code"] == "waste.no_action"
    assert [f["format"] for f in waste["files"]] == ["pdf", "video"]
    assert waste["url"] == "http://testserver/ressources/reduire-le-gaspillage/"
    assert waste["detail_url"] == f"http://testserver/api/v1/resources/{site['waste'].pk}/"
    facets = {facet["name"]: facet for facet in data["facets"]}
    assert list(facets) == ["measure", "type", "audience", "sector", "format", "gap"]
    counts = {value["code"]: value["count"] for value in facets["measure"]["values"]}
    assert counts == {"quality": 1, "waste": 1, "diversification": 0, "plastic": 0, "information": 0}


def test_drafts_and_private_resources_never_appear(client, site):
    served = titles(client) | titles(client, "?q=secret") | titles(client, "?measure=waste")
    assert {"Brouillon secret", "Ressource privée", "Titre pas encore publié"}.isdisjoint(served)
    for page in (site["hidden"]["draft"], site["hidden"]["private"]):
        body = get_json(client, f"{RESOURCES}{page.pk}/", status=404)
        assert set(body) == {"errors"}
    assert client.get(f"{RESOURCES}{site['guide'].pk}/").status_code == 404  # not a resource


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?measure=waste", {"Réduire le gaspillage"}),
        ("?measure=waste&measure=quality", {"Réduire le gaspillage", "Acheter bio"}),
        ("?audience=elu", {"Acheter bio"}),
        ("?sector=enseignement", {"Réduire le gaspillage"}),
        ("?type=fiche-pratique", {"Réduire le gaspillage", "Acheter bio"}),
        ("?type=guide", set()),
        ("?format=pdf", {"Réduire le gaspillage"}),
        ("?format=video&measure=quality", set()),
        ("?gap=waste.no_action", {"Réduire le gaspillage"}),
        ("?q=gaspillage", {"Réduire le gaspillage"}),
        ("?measure=waste&audience=elu", set()),
    ],
)
def test_filters(client, site, query, expected):
    assert titles(client, query) == expected


def test_facet_counts_ignore_their_own_filter(client, site):
    data = get_json(client, RESOURCES + "?measure=waste")
    measure = next(facet for facet in data["facets"] if facet["name"] == "measure")
    values = {value["code"]: (value["count"], value["selected"]) for value in measure["values"]}
    assert values["waste"] == (1, True) and values["quality"] == (1, False)
    audience = next(facet for facet in data["facets"] if facet["name"] == "audience")
    assert {value["code"]: value["count"] for value in audience["values"]}["elu"] == 0


def test_sort_and_pagination(client, site):
    data = get_json(client, RESOURCES + "?sort=title&page_size=1")
    assert data["count"] == 2 and [item["title"] for item in data["results"]] == ["Acheter bio"]
    assert data["next"] == "http://testserver/api/v1/resources/?page=2&page_size=1&sort=title"
    second = get_json(client, data["next"])
    assert [item["title"] for item in second["results"]] == ["Réduire le gaspillage"]
    assert second["next"] is None and second["previous"] == "http://testserver/api/v1/resources/?page_size=1&sort=title"
    body = get_json(client, RESOURCES + "?page=3&page_size=1", status=404)
    assert body["errors"]["detail"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("?measure=nope", "measure"),
        ("?audience=nope&audience=elu", "audience"),
        ("?sort=random", "sort"),
        ("?q=" + "x" * 201, "q"),
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?page_size=101", "page_size"),
        ("?locale=de", "locale"),
    ],
)
def test_invalid_parameters_answer_400(client, site, query, field):
    response = client.get(RESOURCES + query)
    assert response.status_code == 400
    assert_matches_schema(response, RESOURCES)
    assert list(response.json()["errors"]) == [field]


def test_english_listing(client, site):
    data = get_json(client, RESOURCES + "?locale=en")
    by_title = {item["title"]: item for item in data["results"]}
    assert by_title["Reducing food waste"]["locale"] == "en" and by_title["Reducing food waste"]["alias_of"] is None
    alias = by_title["Acheter bio"]  # untranslated: the English alias of the French page
    assert alias["alias_of"] == site["bio"].pk and alias["locale"] == "en"
    assert by_title["Reducing food waste"]["measures"][0]["name"] == "Fighting food waste and food donation"


def test_resource_detail(client, site):
    response = client.get(f"{RESOURCES}{site['waste'].pk}/")
    assert_matches_schema(response, f"{RESOURCES}1/")
    data = response.json()
    assert data["title"] == "Réduire le gaspillage" and data["body"] == []
    assert [related["id"] for related in data["related_resources"]] == [site["bio"].pk]


def test_resource_file_in_a_private_collection_is_left_out(client, site):
    resource = ResourcePageFactory(
        parent=site["resource_index"], title="Avec un document privé", files=[{"document": site["secret_document"]}]
    )
    data = get_json(client, f"{RESOURCES}{resource.pk}/")
    assert data["files"] == []


def test_measures(client, site):
    response = client.get("/api/v1/measures/")
    assert_matches_schema(response, "/api/v1/measures/")
    data = response.json()
    assert [measure["code"] for measure in data] == ["quality", "waste", "diversification", "plastic", "information"]
    quality = data[0]
    assert quality["page"]["id"] == site["quality"].pk and quality["page"]["since"] == "1er janvier 2022"
    assert quality["resource_count"] == 1
    assert quality["resources_url"] == "http://testserver/api/v1/resources/?measure=quality&locale=fr"
    english = get_json(client, "/api/v1/measures/?locale=en")
    assert english[0]["name"] == "Quality and sustainability of products"
    assert get_json(client, "/api/v1/measures/?locale=xx", status=400)["errors"]["locale"]


def test_mail_templates(client, site, locales):
    from resources.models import Audience

    MailTemplateFactory(name="Relance gestionnaire", code="relance", audience=taxonomy_term(Audience, "gestionnaire"))
    response = client.get("/api/v1/mail-templates/")
    assert_matches_schema(response, "/api/v1/mail-templates/")
    data = response.json()
    assert data["count"] == 2
    template = next(item for item in data["results"] if item["code"] == "cantine-non-inscrite")
    assert template["placeholders"] == ["nom_cantine", "commune", "nom_signataire"]
    assert template["audience"] == {"code": "elu", "name": "Élu·e / collectivité"}
    assert template["measures"] == [{"code": "quality", "name": "Qualité et durabilité des produits"}]
    assert "{{ nom_cantine }}" in template["subject"]
    only = get_json(client, "/api/v1/mail-templates/?audience=gestionnaire")
    assert [item["code"] for item in only["results"]] == ["relance"]
    by_measure = get_json(client, "/api/v1/mail-templates/?measure=quality")
    assert [item["code"] for item in by_measure["results"]] == ["cantine-non-inscrite"]
    assert get_json(client, "/api/v1/mail-templates/?locale=en")["count"] == 0


def test_kits(client, site):
    response = client.get("/api/v1/kits/")
    assert_matches_schema(response, "/api/v1/kits/")
    kit = response.json()["results"][0]
    assert kit["title"] == site["kit"].title and kit["audience"]["code"] == "ambassadeur"
    assert [item["type"] for item in kit["items"]] == ["resource", "document", "mail_template"]
    assert kit["items"][1]["document"]["format"] == "pdf"
    assert get_json(client, "/api/v1/kits/?audience=elu")["count"] == 0


def test_kit_items_skip_hidden_resources(client, site):
    from tests.factories import KitPageFactory

    document = DocumentFactory(title="Affiche")
    KitPageFactory(
        parent=site["resource_index"],
        title="Kit avec brouillon",
        slug="kit-brouillon",
        items=[{"resource": site["hidden"]["draft"]}, {"resource": site["hidden"]["private"]}, {"document": document}],
    )
    kits = get_json(client, "/api/v1/kits/")["results"]
    kit = next(kit for kit in kits if kit["title"] == "Kit avec brouillon")
    assert [item["type"] for item in kit["items"]] == ["document"]


@pytest.mark.parametrize("query", ["?q=%00", "?q=%00&sort=relevance", "?q=gaspillage%00", "?q=%01%1f&measure=waste"])
def test_control_characters_in_q_are_not_a_server_error(client, site, query):
    """The hub refused the NUL but still sorted by relevance (a 500, found by probing the API)."""
    response = client.get(RESOURCES + query)
    assert response.status_code == 200, response.content[:300]
    assert_matches_schema(response, RESOURCES)
