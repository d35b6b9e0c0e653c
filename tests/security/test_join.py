"""Finding 7: /mes-cantines/<id>/rejoindre/ showed any canteen's name (armed forces included) to any logged-in
user, with sequential ids, and e-mailed its managers a free text from the site's address; « SIRET déjà
enregistré » showed names too. A join request now starts from a SIRET, answers the same whatever it finds and
sends a fixed text."""

import pytest
from django.core import mail

from tests.factories import CanteenFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    manager = UserFactory(email="commandant@example.org")
    return CanteenFactory(
        name="Base aérienne 105", line_ministry="armees", sectors=["administration"], managers=[manager]
    )


def test_the_old_id_walk_is_gone(client, base):
    client.force_login(UserFactory())
    assert client.get(f"/mes-cantines/{base.pk}/rejoindre/").status_code == 404


def test_the_answer_is_the_same_whatever_the_siret(client, base):
    client.force_login(UserFactory(email="curieux@example.org"))
    known = client.post("/mes-cantines/rejoindre/", {"siret": base.siret}, follow=True).content.decode()
    unknown = client.post("/mes-cantines/rejoindre/", {"siret": "21350238800019"}, follow=True).content.decode()
    assert "Base aérienne" not in known
    message = "Si une cantine est enregistrée avec ce SIRET, ses gestionnaires ont reçu votre demande"
    assert message in known and message in unknown
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["commandant@example.org"]
    assert "curieux@example.org" in mail.outbox[0].body


def test_no_free_text_reaches_the_managers(client, base):
    client.force_login(UserFactory())
    client.post("/mes-cantines/rejoindre/", {"siret": base.siret, "message": "Cliquez sur http://evil.example"})
    assert "evil.example" not in mail.outbox[0].body


def test_the_registered_siret_message_shows_no_name(client, base):
    client.force_login(UserFactory())
    from tests.canteens.test_canteens import VALID

    html = client.post("/mes-cantines/nouvelle/", {**VALID, "siret": base.siret}).content.decode()
    assert "Une cantine est déjà enregistrée avec ce SIRET" in html and "Base aérienne" not in html


def test_a_malformed_siret_is_a_form_error(client, base):
    client.force_login(UserFactory())
    response = client.post("/mes-cantines/rejoindre/", {"siret": "123"})
    assert response.status_code == 400 and mail.outbox == []
