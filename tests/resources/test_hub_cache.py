"""The hub's facet counts and cards and a resource page's labels and related resources are kept between
requests (resources/hub_pages.py): a publication, an unpublication, a view restriction or a renamed term
shows at once, and a warm page reads no more than the site's routing."""

import pytest
from wagtail.models import PageViewRestriction

from resources.models import Measure
from tests.factories import KitPageFactory, ResourcePageFactory, taxonomy_term

pytestmark = pytest.mark.django_db

LISTING = "/ressources/"
FILTERED = "/ressources/?measure=waste"


def card_titles(response):
    return [card.title for card in response.context["resources"].object_list]


def waste_count(response):
    facet = next(facet for facet in response.context["facets"] if facet.name == "measure")
    return next(value.count for value in facet.values if value.code == "waste")


def test_a_publication_and_an_unpublication_show_at_once(client, resource_index):
    first = ResourcePageFactory(parent=resource_index, title="Première ressource", measures=["waste"])
    for url in (LISTING, FILTERED):
        assert card_titles(client.get(url)) == ["Première ressource"]
    assert waste_count(client.get(LISTING)) == 1

    ResourcePageFactory(parent=resource_index, title="Seconde ressource", measures=["waste"])
    assert sorted(card_titles(client.get(FILTERED))) == ["Première ressource", "Seconde ressource"]
    assert waste_count(client.get(LISTING)) == 2

    first.unpublish()
    assert card_titles(client.get(FILTERED)) == ["Seconde ressource"]
    assert waste_count(client.get(LISTING)) == 1


def test_a_new_view_restriction_hides_a_cached_card(client, resource_index):
    page = ResourcePageFactory(parent=resource_index, title="Bientôt privée", measures=["waste"])
    assert card_titles(client.get(LISTING)) == ["Bientôt privée"]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(LISTING)
    assert card_titles(response) == [] and "Bientôt privée" not in response.content.decode()
    assert waste_count(response) == 0


def test_an_edited_resource_shows_its_new_title_on_the_listing(client, resource_index):
    page = ResourcePageFactory(parent=resource_index, title="Ancien titre")
    assert "Ancien titre" in client.get(LISTING).content.decode()
    page.title = "Nouveau titre"
    page.save_revision().publish()
    html = client.get(LISTING).content.decode()
    assert "Nouveau titre" in html and "Ancien titre" not in html


def test_a_renamed_measure_shows_on_a_cached_resource_page(client, resource_index):
    page = ResourcePageFactory(parent=resource_index, title="Une ressource", measures=["waste"])
    other = ResourcePageFactory(parent=resource_index, title="Une voisine", measures=["waste"])
    html = client.get(page.url).content.decode()
    assert "Une voisine" in html  # related: same measure
    measure = taxonomy_term(Measure, "waste")
    measure.name = "Gaspillage (renommé)"
    measure.save()
    other.unpublish()
    html = client.get(page.url).content.decode()
    assert "Gaspillage (renommé)" in html and "Une voisine" not in html


def test_the_hub_routes_resources_kits_drafts_and_private_pages(client, resource_index):
    """`ResourceIndexPage.route` reads a resource in one query; kits and the rest go through Wagtail."""
    live = ResourcePageFactory(parent=resource_index, title="Publiée", slug="publiee")
    ResourcePageFactory(parent=resource_index, title="Brouillon", slug="brouillon", live=False)
    private = ResourcePageFactory(parent=resource_index, title="Privée", slug="privee")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    kit = KitPageFactory(parent=resource_index, title="Un kit", slug="un-kit")
    assert "Publiée" in client.get(live.url).content.decode()
    assert client.get("/ressources/brouillon/").status_code == 404
    assert client.get("/ressources/publiee/de-trop/").status_code == 404
    assert client.get("/ressources/inconnue/").status_code == 404
    assert client.get("/ressources/privee/").status_code == 302  # to the login page
    assert client.get(kit.url).status_code == 200
