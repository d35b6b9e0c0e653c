"""Finding 2: claiming a central kitchen's SIRET gave read and write access to its satellites. A central kitchen
now gets nothing from a satellite until the satellite's managers (or an administrator) agree to that very
canteen, and even then never edits the satellite's identity, answers, managers or declarations."""

import pytest

from canteens.models import Canteen, YearlyDiagnostic
from tests.factories import CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db
SIRET_X = "21350238800019"


@pytest.fixture
def attack():
    manager_a, manager_b = UserFactory(email="a@example.org"), UserFactory(email="b@example.org")
    satellite = CanteenFactory(
        name="Satellite de A", production_type="satellite", central_kitchen_siret=SIRET_X, managers=[manager_a]
    )
    YearlyDiagnosticFactory(canteen=satellite, year=2024, is_published=False)
    # B registers a central kitchen with the SIRET nobody registered: accepted, but it must grant nothing
    claimed = CanteenFactory(name="Cuisine de B", siret=SIRET_X, production_type="central", managers=[manager_b])
    return manager_a, manager_b, satellite, claimed


SATELLITE_URLS = [
    "/mes-cantines/{pk}/",
    "/mes-cantines/{pk}/import/",
    "/mes-cantines/{pk}/diagnostics/2024/",
    "/mes-cantines/{pk}/diagnostics/2024/modifier/",
    "/mes-cantines/{pk}/diagnostics/2024/affiche.pdf",
]


@pytest.mark.parametrize("url", SATELLITE_URLS)
def test_a_claimed_siret_grants_nothing(client, attack, url):
    _a, manager_b, satellite, _claimed = attack
    client.force_login(manager_b)
    assert client.get(url.format(pk=satellite.pk)).status_code == 404


def test_a_claimed_siret_writes_nothing_and_lists_nothing(client, attack):
    _a, manager_b, satellite, claimed = attack
    client.force_login(manager_b)
    response = client.post(
        f"/mes-cantines/{satellite.pk}/diagnostics/2024/modifier/", {"mode": "simple", "total": "1", "bio": "1"}
    )
    assert response.status_code == 404
    assert YearlyDiagnostic.objects.get(canteen=satellite).total != 1
    assert "Satellite de A" not in client.get("/mes-cantines/").content.decode()
    assert "Satellite de A" not in client.get(f"/mes-cantines/{claimed.pk}/").content.decode()
    # B cannot agree in the satellite's name either
    response = client.post(
        f"/mes-cantines/{satellite.pk}/cuisine-centrale/", {"action": "confirm", "kitchen": claimed.pk}
    )
    assert response.status_code == 404
    assert Canteen.objects.get(pk=satellite.pk).confirmed_central_kitchen is None


def test_the_satellites_managers_agree_then_withdraw(client, attack):
    manager_a, manager_b, satellite, claimed = attack
    client.force_login(manager_a)
    page = client.get(f"/mes-cantines/{satellite.pk}/").content.decode()
    assert "Cuisine de B" in page and "Autoriser cette cuisine centrale" in page
    response = client.post(
        f"/mes-cantines/{satellite.pk}/cuisine-centrale/", {"action": "confirm", "kitchen": claimed.pk}
    )
    assert response.status_code == 302
    client.force_login(manager_b)
    assert client.get(f"/mes-cantines/{satellite.pk}/import/").status_code == 200
    assert client.get(f"/mes-cantines/{satellite.pk}/modifier/").status_code == 404  # identity stays A's
    assert client.get(f"/mes-cantines/{satellite.pk}/gestionnaires/").status_code == 404
    client.force_login(manager_a)
    client.post(f"/mes-cantines/{satellite.pk}/cuisine-centrale/", {"action": "withdraw"})
    client.force_login(manager_b)
    assert client.get(f"/mes-cantines/{satellite.pk}/import/").status_code == 404


def test_an_administrator_may_agree(client, attack):
    _a, manager_b, satellite, claimed = attack
    client.force_login(UserFactory(is_staff=True))
    client.post(f"/mes-cantines/{satellite.pk}/cuisine-centrale/", {"action": "confirm", "kitchen": claimed.pk})
    assert Canteen.objects.get(pk=satellite.pk).confirmed_central_kitchen == claimed


def test_changing_the_declared_siret_voids_the_agreement(client, attack):
    manager_a, manager_b, satellite, claimed = attack
    satellite.confirmed_central_kitchen = claimed
    satellite.save()
    from canteens.forms import CanteenForm

    data = {
        field: getattr(satellite, field)
        for field in CanteenForm._meta.fields
        if field not in ("sectors",) and getattr(satellite, field) is not None
    }
    data.update(sectors=satellite.sectors, central_kitchen_siret="21350238800027")
    form = CanteenForm(data, instance=satellite)
    assert form.is_valid(), form.errors
    form.save()
    assert Canteen.objects.get(pk=satellite.pk).confirmed_central_kitchen is None
