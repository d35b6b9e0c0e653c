"""Finding 11: a CR/LF in a canteen name made the mail-merge ZIP of a whole department and a join request to it
fail with a 500. Control and bidirectional-override characters are refused in names at input; the exports
stay robust to older data that holds them."""

import email
import email.policy
import io
import zipfile

import pytest
from django.core import mail

from canteens.models import Canteen
from tests.canteens.test_canteens import VALID
from tests.factories import MailTemplateFactory, UserFactory

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "name", ["Cantine\r\nBcc: tous@example.org", "Cantine\u202efdp.exe", "Cantine\x00", "École\tdes Lilas"]
)
def test_control_and_bidi_characters_are_refused_in_names(client, name):
    client.force_login(UserFactory())
    response = client.post("/mes-cantines/nouvelle/", {**VALID, "name": name})
    assert response.status_code == 400 and not Canteen.objects.exists()
    if "\x00" not in name:  # NUL: Django's own « null characters are not allowed »
        assert "caractères de contrôle" in response.content.decode()


@pytest.fixture
def old_canteen(world):
    """A canteen saved before the check, its name holding a CR/LF (written past the model's validation)."""
    Canteen.objects.filter(pk=world["rennes"].pk).update(name="École\r\nRennes", city="Rennes\u202e")
    return Canteen.objects.get(pk=world["rennes"].pk)


def test_the_mail_merge_zip_survives_old_data(client, old_canteen, officer):
    template = MailTemplateFactory(code="relance", subject="{{ nom_cantine }} : relance", body="{{ commune }}")
    client.force_login(officer.user)
    response = client.post(
        "/territoires/suivi/publipostage/",
        {"template": template.pk, "signatory": "Claire", "scope": "filter", "format": "eml"},
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    subjects = [
        email.message_from_bytes(archive.read(name), policy=email.policy.default)["Subject"]
        for name in archive.namelist()
    ]
    assert "École Rennes : relance" in subjects
    csv_response = client.post(
        "/territoires/suivi/publipostage/",
        {"template": template.pk, "signatory": "Claire", "scope": "filter", "format": "csv"},
    )
    assert csv_response.status_code == 200 and "École" in body(csv_response).decode("utf-8-sig")


def test_a_join_request_to_it_still_works(client, old_canteen):
    client.force_login(UserFactory(email="nouvelle@example.org"))
    response = client.post("/mes-cantines/rejoindre/", {"siret": old_canteen.siret})
    assert response.status_code == 302
    assert mail.outbox and "\n" not in mail.outbox[0].subject and "École Rennes" in mail.outbox[0].subject
