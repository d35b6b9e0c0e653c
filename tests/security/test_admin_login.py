"""Finding 1: Wagtail's /admin/login/ and /admin/password_reset/ had no rate limit and logged in any account.
They now share the public forms' budgets (per IP and per account) and admit editors only."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-42"


def editor():
    user = UserFactory(email="redaction@example.org")
    user.groups.add(Group.objects.get(name="Rédacteurs"))
    return user


@override_settings(LOGIN_RATE_LIMIT="3/m")
def test_admin_login_is_rate_limited_per_account(client):
    user = editor()
    for _ in range(3):
        assert client.post("/admin/login/", {"username": user.email, "password": "faux"}).status_code == 200
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT="3/m")
def test_admin_and_public_login_share_one_budget(client):
    user = editor()
    for _ in range(2):
        client.post("/compte/connexion/", {"username": user.email, "password": "faux"})
    client.post("/admin/login/", {"username": user.email, "password": "faux"})
    assert client.post("/admin/login/", {"username": user.email, "password": PASSWORD}).status_code == 429


def test_an_editor_logs_into_the_admin(client):
    user = editor()
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_manager_who_is_not_an_editor_gets_no_session_from_the_admin_login(client):
    manager = UserFactory(email="gestion@example.org")
    response = client.post("/admin/login/", {"username": manager.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with the wrong-password message
    assert "_auth_user_id" not in client.session
    assert client.get("/mes-cantines/").status_code == 302  # not logged in on the public site either


@override_settings(MAGIC_LINK_RATE_LIMIT="5/m")
def test_admin_password_reset_is_rate_limited_and_mails_editors_only(client, mailoutbox):
    user = editor()
    statuses = [client.post("/admin/password_reset/", {"email": user.email}).status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert len(mailoutbox) == 5
    manager = UserFactory(email="gestion@example.org")
    mailoutbox.clear()
    response = client.post("/admin/password_reset/", {"email": manager.email}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert mailoutbox == []  # the admin's form does nothing for an account that has no access to the admin
