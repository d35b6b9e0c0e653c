"""Already defended when the site was attacked (kept under test): `next=` never sends anyone to another site,
after the public login, the magic link or the admin login."""

import pytest

from accounts.tokens import make_magic_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-42"
EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]


@pytest.mark.parametrize("target", EVIL)
def test_login_next_stays_on_the_site(client, target):
    user = UserFactory()
    response = client.post(f"/compte/connexion/?next={target}", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_magic_link_next_stays_on_the_site(client, target):
    user = UserFactory()
    response = client.post(f"/compte/lien-de-connexion/{make_magic_token(user)}/?next={target}")
    assert response.status_code == 302 and "evil.example" not in response["Location"]
