"""A territory officer lands on their follow-up page after login, and the header's account menu links it."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-42"


def login(client, email):
    response = client.post("/compte/connexion/", {"username": email, "password": PASSWORD}, follow=True)
    return response


def test_an_officer_lands_on_the_follow_up_page_with_a_link_in_the_header(client, officer):
    response = login(client, "draaf@example.org")
    assert response.redirect_chain[-1][0] == "/territoires/suivi/"
    html = response.content.decode()
    assert 'href="/territoires/suivi/"' in html and "Suivi territorial" in html
    # The link stays in the header on the other pages.
    assert 'href="/territoires/suivi/"' in client.get("/mes-cantines/").content.decode()


def test_a_manager_lands_on_their_canteens_without_the_follow_up_link(client):
    UserFactory(email="gestionnaire@example.org")
    response = login(client, "gestionnaire@example.org")
    assert response.redirect_chain[-1][0] == "/mes-cantines/"
    assert 'href="/territoires/suivi/"' not in response.content.decode()


def test_in_english_the_landing_keeps_the_language(client, officer):
    UserFactory(email="manager@example.org")
    client.post("/en/compte/connexion/", {"username": "manager@example.org", "password": PASSWORD})
    assert client.get("/en/territoires/accueil/")["Location"] == "/en/mes-cantines/"
