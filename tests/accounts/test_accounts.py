import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from accounts.models import Profile
from accounts.tokens import make_magic_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-solide-42"


def link_in(message):
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def signup(client, **overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "Camille.Martin@example.org",
        "job": "manager",
        "password1": "une phrase de passe longue",
        "password2": "une phrase de passe longue",
        **overrides,
    }
    return client.post("/compte/inscription/", data)


def test_signup_creates_an_inactive_account_and_sends_a_verification_link(client):
    response = signup(client)
    assert response.status_code == 200
    assert "Vérifiez votre adresse e-mail" in response.content.decode()
    user = get_user_model().objects.get(email="camille.martin@example.org")
    assert not user.is_active
    assert Profile.objects.get(user=user).job == "manager"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.martin@example.org"]

    assert "Activer mon compte" in client.get(link_in(mail.outbox[0])).content.decode()  # GET logs no one in
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"] == "/territoires/accueil/"  # LOGIN_REDIRECT_URL
    assert client.get("/territoires/accueil/")["Location"] == "/mes-cantines/"  # not an officer
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/mes-cantines/").status_code == 200
    # The link works once: the account is active now.
    client.logout()
    assert client.get(link_in(mail.outbox[0])).status_code == 400


def test_signup_errors_are_in_french(client):
    UserFactory(email="pris@example.org")
    html = signup(client, email="PRIS@example.org", password2="autre chose encore").content.decode()
    assert "Un compte existe déjà" not in html  # never said on the page (tests/security/test_accounts.py)
    assert "Les deux mots de passe ne correspondent pas." in html
    html = signup(client, password1="court", password2="court").content.decode()
    assert "Ce mot de passe est trop court" in html
    assert not mail.outbox


def test_forged_activation_link_is_refused(client):
    assert client.get("/compte/activation/MQ/abc-123/").status_code == 400


def test_login_with_email_and_logout_by_post_only(client):
    UserFactory(email="gestionnaire@example.org")
    response = client.post("/compte/connexion/", {"username": "Gestionnaire@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/territoires/accueil/"
    assert client.get("/territoires/accueil/")["Location"] == "/mes-cantines/"
    assert client.get("/compte/deconnexion/").status_code == 405
    assert client.post("/compte/deconnexion/").status_code == 302
    assert client.get("/mes-cantines/").status_code == 302


def test_login_errors(client):
    UserFactory(email="inactif@example.org", is_active=False)
    html = client.post("/compte/connexion/", {"username": "inactif@example.org", "password": PASSWORD}).content.decode()
    assert "pas encore activé" in html
    html = client.post("/compte/connexion/", {"username": "inactif@example.org", "password": "faux"}).content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert "pas encore activé" not in html


@override_settings(LOGIN_RATE_LIMIT="3/m")
def test_login_attempts_are_rate_limited(client):
    UserFactory(email="cible@example.org")
    for _attempt in range(3):
        response = client.post("/compte/connexion/", {"username": "cible@example.org", "password": "faux"})
        assert response.status_code == 200
    response = client.post("/compte/connexion/", {"username": "cible@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(MAGIC_LINK_RATE_LIMIT="2/m")
def test_magic_link_requests_are_rate_limited(client):
    for _attempt in range(2):
        assert client.post("/compte/lien-de-connexion/", {"email": "x@example.org"}).status_code == 200
    assert client.post("/compte/lien-de-connexion/", {"email": "x@example.org"}).status_code == 429


def test_magic_link_logs_in_once(client):
    user = UserFactory(email="lien@example.org")
    response = client.post("/compte/lien-de-connexion/", {"email": "LIEN@example.org"})
    assert "un lien de connexion vient de lui être envoyé" in response.content.decode()
    assert len(mail.outbox) == 1
    url = link_in(mail.outbox[0])
    # GET only shows a button: mail scanners opening the link do not spend it.
    assert client.get(url).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.post(url).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert client.post(url).status_code == 400


def test_magic_link_does_not_reveal_unknown_addresses(client):
    response = client.post("/compte/lien-de-connexion/", {"email": "inconnu@example.org"})
    assert response.status_code == 200
    assert "un lien de connexion vient de lui être envoyé" in response.content.decode()
    assert not mail.outbox


def test_magic_link_expires_after_15_minutes(client, monkeypatch):
    user = UserFactory(email="expire@example.org")
    token = make_magic_token(user)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    assert client.post(f"/compte/lien-de-connexion/{token}/").status_code == 400
    assert client.post(f"/compte/lien-de-connexion/{token}x/").status_code == 400


def test_password_reset_flow(client):
    user = UserFactory(email="oubli@example.org")
    response = client.post("/compte/mot-de-passe/oubli/", {"email": "oubli@example.org"})
    assert response.status_code == 302
    url = link_in(mail.outbox[0])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "un tout nouveau secret", "new_password2": "un tout nouveau secret"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("un tout nouveau secret")


def test_profile_edits_name_and_job(client):
    user = UserFactory(email="profil@example.org")
    client.force_login(user)
    assert client.get("/compte/profil/").status_code == 200
    response = client.post(
        "/compte/profil/", {"first_name": "Alex", "last_name": "Durand", "job": "cook", "job_other": ""}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.profile.job) == ("Alex", "Durand", "cook")


def test_profile_requires_login(client):
    response = client.get("/compte/profil/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/?next=")


def test_english_urls_exist(client):
    assert client.get("/en/compte/connexion/").status_code == 200


def test_proconnect_is_off_without_configuration(client):
    assert client.get("/compte/proconnect/").status_code == 404
    assert "ProConnect" not in client.get("/compte/connexion/").content.decode()


def test_proconnect_backend_creates_active_account_from_claims(settings):
    from accounts.oidc import ProConnectBackend

    settings.OIDC_OP_TOKEN_ENDPOINT = settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/x"
    settings.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_SECRET = "x"
    backend = ProConnectBackend()
    user = backend.create_user({"email": "Agent@Example.gouv.fr", "given_name": "Anne", "usual_name": "Roy"})
    assert (user.email, user.first_name, user.last_name, user.is_active) == (
        "agent@example.gouv.fr",
        "Anne",
        "Roy",
        True,
    )
    assert list(backend.filter_users_by_claims({"email": "AGENT@example.gouv.fr"})) == [user]


def test_a_pending_sign_up_can_be_made_again_and_only_the_last_link_works(client):
    """The activation e-mail was lost or has expired: signing up again with the address sends a new link."""
    signup(client)
    response = signup(
        client, first_name="Camille-Anne", password1="autre phrase de passe", password2="autre phrase de passe"
    )
    assert response.status_code == 200 and "Vérifiez votre adresse e-mail" in response.content.decode()
    user = get_user_model().objects.get(email="camille.martin@example.org")  # still one account
    assert user.first_name == "Camille-Anne" and not user.is_active
    assert len(mail.outbox) == 2
    assert client.get(link_in(mail.outbox[0])).status_code == 400  # the first password's link is void
    assert client.post(link_in(mail.outbox[1])).status_code == 302
    client.logout()
    response = client.post(
        "/compte/connexion/", {"username": "camille.martin@example.org", "password": "autre phrase de passe"}
    )
    assert response.status_code == 302
    # Now verified and used: the address is taken (the owner is told by e-mail, the page says the same as ever).
    client.logout()
    assert "Vérifiez votre adresse e-mail" in signup(client).content.decode()
    assert mail.outbox[-1].subject == "Vous avez déjà un compte ma cantine"


def test_an_account_deactivated_after_use_cannot_sign_up_again(client):
    from django.utils import timezone

    UserFactory(email="ancien@example.org", is_active=False, last_login=timezone.now())
    assert "Vérifiez votre adresse e-mail" in signup(client, email="ancien@example.org").content.decode()
    assert [message.subject for message in mail.outbox] == ["Vous avez déjà un compte ma cantine"]
    assert get_user_model().objects.filter(email="ancien@example.org").count() == 1


def test_proconnect_login_over_a_pending_sign_up_voids_its_password(settings):
    """Someone signed up with another person's address and a password of theirs; the address's owner then logs in
    with ProConnect: the account is activated for the owner and the stranger's password no longer works."""
    from django.utils import timezone

    from accounts.oidc import ProConnectBackend

    settings.OIDC_OP_TOKEN_ENDPOINT = settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/x"
    settings.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_SECRET = "x"
    pending = UserFactory(email="agent@example.gouv.fr", is_active=False)
    user = ProConnectBackend().update_user(pending, {"email": "agent@example.gouv.fr"})
    user.refresh_from_db()
    assert user.is_active and not user.has_usable_password()
    # An account an administrator deactivated stays inactive (mozilla-django-oidc then refuses the login).
    banned = UserFactory(email="banni@example.gouv.fr", is_active=False, last_login=timezone.now())
    ProConnectBackend().update_user(banned, {"email": "banni@example.gouv.fr"})
    banned.refresh_from_db()
    assert not banned.is_active and banned.check_password(PASSWORD)


def test_account_pages_in_english(client):
    html = client.get("/en/compte/connexion/").content.decode()
    assert "E-mail address" in html and "Forgot your password?" in html and "Mot de passe oublié" not in html
    html = client.get("/en/compte/inscription/").content.decode()
    assert "Last name" in html and "Create my account" in html and "Créer mon compte" not in html
    response = client.post(
        "/en/compte/inscription/",
        {"first_name": "Jo", "last_name": "Doe", "email": "jo@example.org", "password1": "a", "password2": "b"},
    )
    assert "The two passwords do not match." in response.content.decode()
