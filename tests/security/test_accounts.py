"""Findings 9 and 10: account enumeration at sign-up, the per-account login limit bypassed with a Unicode
look-alike (« alıce@ » is « ALICE@ » for PostgreSQL, another key for Python's lower()), and a deactivated
account reactivated by its old activation link (a GET that logged in: login CSRF too)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from accounts.backends import account_key, normalise_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-42"


def signup(client, email):
    return client.post(
        "/compte/inscription/",
        {
            "first_name": "Alice",
            "last_name": "Martin",
            "email": email,
            "password1": "une phrase de passe solide",
            "password2": "une phrase de passe solide",
        },
    )


def test_sign_up_does_not_tell_which_addresses_have_an_account(client):
    UserFactory(email="alice@example.org")
    taken = signup(client, "alice@example.org").content.decode()
    new = signup(client, "bob@example.org").content.decode()
    assert "Un compte existe déjà" not in taken
    assert "Vérifiez votre adresse e-mail" in taken and "Vérifiez votre adresse e-mail" in new
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["alice@example.org"] == "Vous avez déjà un compte ma cantine"
    assert get_user_model().objects.filter(email__iexact="alice@example.org").count() == 1


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Alice@Example.ORG ", "alice@example.org"),
        ("ａｌｉｃｅ@example.org", "alice@example.org"),
        ("STRASSE@x.de", "strasse@x.de"),
    ],
)
def test_normalise_email(raw, expected):
    assert normalise_email(raw) == expected


def test_a_look_alike_counts_against_the_same_account():
    alice = UserFactory(email="alice@example.org")
    assert account_key("alıce@example.org") == account_key("ALICE@example.org") == f"account:{alice.pk}"
    assert account_key("nobody@example.org") == "nobody@example.org"


@override_settings(LOGIN_RATE_LIMIT="3/m")
def test_the_login_limit_holds_across_look_alikes(client):
    UserFactory(email="alice@example.org")
    spellings = ["alice@example.org", "alıce@example.org", "ALICE@example.org"]
    for number, spelling in enumerate(spellings):
        # another IP each time: only the per-account limit can stop the fourth attempt
        client.post("/compte/connexion/", {"username": spelling, "password": "faux"}, REMOTE_ADDR=f"10.0.0.{number}")
    response = client.post(
        "/compte/connexion/", {"username": "alıce@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429


def activation_link(message):
    return re.search(r"http://testserver(/compte/activation/\S+/)", message.body).group(1)


def test_activation_is_a_post_and_dies_with_the_first_login(client):
    signup(client, "carole@example.org")
    link = activation_link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # no login on GET
    assert client.post(link).status_code == 302
    user = get_user_model().objects.get(email="carole@example.org")
    assert user.is_active and client.session["_auth_user_id"] == str(user.pk)
    # an administrator deactivates the account: the old link does not bring it back
    user.is_active = False
    user.save()
    client.logout()
    assert client.post(link).status_code == 400
    user.refresh_from_db()
    assert not user.is_active
