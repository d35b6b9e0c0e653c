"""Permission matrix: anonymous, manager A, manager B, staff on every URL of canteen A."""

import pytest
from django.utils import timezone

from canteens import declaration
from canteens.models import Canteen, YearlyDiagnostic
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db

GET_URLS = [
    "/mes-cantines/{pk}/",
    "/mes-cantines/{pk}/modifier/",
    "/mes-cantines/{pk}/gestionnaires/",
    "/mes-cantines/{pk}/import/",
    "/mes-cantines/{pk}/diagnostics/2024/",
    "/mes-cantines/{pk}/diagnostics/2025/",
    "/mes-cantines/{pk}/diagnostics/2025/modifier/",
    "/mes-cantines/{pk}/diagnostics/2024/affiche.pdf",
    "/mes-cantines/{pk}/diagnostics/2024/teledeclaration/",
    "/mes-cantines/{pk}/diagnostics/2024/teledeclaration/annuler/",
    "/mes-cantines/{pk}/diagnostics/2024/teledeclaration/justificatif-v1.pdf",
    "/mes-cantines/{pk}/teledeclarations.csv",
    "/mes-cantines/{pk}/teledeclarations.xlsx",
]
POST_URLS = [
    ("/mes-cantines/{pk}/modifier/", {"name": "Piratée"}),
    ("/mes-cantines/{pk}/gestionnaires/", {"email": "intrus@example.org"}),
    ("/mes-cantines/{pk}/import/", {}),
    ("/mes-cantines/{pk}/cuisine-centrale/", {"action": "withdraw"}),
    ("/mes-cantines/{pk}/diagnostics/2025/modifier/", {"mode": "simple", "total": "1"}),
    ("/mes-cantines/{pk}/diagnostics/2025/reprendre/", {}),
    ("/mes-cantines/{pk}/diagnostics/2024/publication/", {"publish": "1"}),
    ("/mes-cantines/{pk}/diagnostics/2024/teledeclaration/", {"action": "cancel"}),
    ("/mes-cantines/{pk}/diagnostics/2024/teledeclaration/", {"action": "submit"}),
]
# URLs of canteens/urls.py that are not about one canteen of a manager, each with its own test below:
# the manager's list and the creation form (login required), the import template (a static file), the join
# request (any logged-in person may ask the managers of a registered canteen). The public page (territories) and
# the anonymous diagnostic's poster (diagnostic), without an account, are checked with them below.
# The national-format import (a file may span many canteens: each line's canteen is checked, tested with
# anonymous, another manager and officers in tests/canteens/test_standard_import_page.py) and its schemas.
OTHER_URL_NAMES = {
    "list",
    "create",
    "import_template",
    "join",
    "standard_import",
    "standard_import_confirm",
    "standard_import_report",
    "import_schema",
    "manager_remove",  # one manager of one canteen: tests/canteens/test_manager_removal.py
}
USERS = ["anonymous", "manager_a", "manager_b", "staff"]


@pytest.fixture
def world(manager_a, manager_b, staff):
    canteen = CanteenFactory(name="École des Lilas", managers=[manager_a])
    CanteenFactory(name="Collège Jean Moulin", managers=[manager_b])
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024)
    today = timezone.localdate()
    CampaignFactory(
        year=2024, declaration_start=today, declaration_end=today, correction_start=None, correction_end=None
    )
    declaration.submit(canteen, diagnostic, manager_a)
    return {"canteen": canteen, "users": {"manager_a": manager_a, "manager_b": manager_b, "staff": staff}}


def client_for(client, world, who):
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def expected_access(who):
    return {"anonymous": "login", "manager_a": "allowed", "manager_b": "not_found", "staff": "allowed"}[who]


def check(response, access):
    if access == "login":
        assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/?next=")
    elif access == "not_found":
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith("/compte/connexion/")


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("url", GET_URLS)
def test_get_matrix(client, world, who, url):
    response = client_for(client, world, who).get(url.format(pk=world["canteen"].pk))
    check(response, expected_access(who))
    if expected_access(who) == "allowed" and url.endswith(".pdf"):
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("url, data", POST_URLS)
def test_post_matrix(client, world, who, url, data):
    canteen = world["canteen"]
    response = client_for(client, world, who).post(url.format(pk=canteen.pk), data)
    check(response, expected_access(who))
    if expected_access(who) != "allowed":
        canteen.refresh_from_db()
        assert canteen.name == "École des Lilas"
        assert list(canteen.managers.values_list("email", flat=True)) == ["a@example.org"]
        assert not canteen.invitations.exists()
        assert not YearlyDiagnostic.objects.filter(canteen=canteen, year=2025).exists()
        assert not canteen.diagnostics.get(year=2024).is_published
        assert declaration.current(canteen, 2024) is not None


def test_every_url_of_the_app_is_in_the_matrix():
    """A URL added to canteens/urls.py without its line in the matrix (or in OTHER_URL_NAMES) fails here."""
    from django.urls import resolve

    from canteens import urls

    declared = {pattern.name for pattern in urls.urlpatterns}
    in_matrix = {resolve(url.format(pk=1)).url_name for url in GET_URLS}
    in_matrix |= {resolve(url.format(pk=1)).url_name for url, _data in POST_URLS}
    assert in_matrix | OTHER_URL_NAMES == declared
    assert not in_matrix & OTHER_URL_NAMES


@pytest.mark.parametrize("who", USERS)
def test_other_urls(client, world, who):
    canteen = world["canteen"]
    client = client_for(client, world, who)
    for url in ("/mes-cantines/", "/mes-cantines/nouvelle/"):
        response = client.get(url)
        if who == "anonymous":
            check(response, "login")
        else:
            assert response.status_code == 200
    assert client.get("/mes-cantines/modele-achats.csv").status_code == 200
    assert client.get(canteen.get_public_url()).status_code == 200
    response = client.get(f"/mes-cantines/rejoindre/?siret={canteen.siret}")
    if who == "anonymous":
        check(response, "login")
    else:  # the join form starts from a SIRET and shows nothing of any canteen (tests/security/test_join.py)
        html = response.content.decode()
        assert response.status_code == 200 and "École des Lilas" not in html and "a@example.org" not in html
    # Without answers in the session, the anonymous poster sends back to the diagnostic, whoever asks.
    response = client.get("/diagnostic/resultats/affiche.pdf")
    assert response.status_code == 302 and response["Location"] == "/diagnostic/"


def test_a_manager_cannot_remove_or_uninvite_through_another_canteen(client, world, manager_a, manager_b):
    """Manager B posts ids of canteen A's manager and invitation to B's own canteen: nothing changes."""
    canteen = world["canteen"]
    own = Canteen.objects.get(name="Collège Jean Moulin")
    invitation = canteen.invitations.create(email="invite@example.org", invited_by=manager_a)
    client.force_login(manager_b)
    client.post(f"/mes-cantines/{own.pk}/gestionnaires/", {"remove": manager_a.pk})
    client.post(f"/mes-cantines/{own.pk}/gestionnaires/", {"cancel_invitation": invitation.pk})
    assert list(canteen.managers.all()) == [manager_a] and canteen.invitations.count() == 1
    # Forged ids answer 404, not a server error.
    for field in ("remove", "cancel_invitation"):
        assert client.post(f"/mes-cantines/{own.pk}/gestionnaires/", {field: "x'"}).status_code == 404


def test_receipt_of_another_canteen_is_404(client, world, manager_b):
    own = Canteen.objects.get(name="Collège Jean Moulin")
    client.force_login(manager_b)
    # Manager B's own canteen has no declaration v1; canteen A's receipt is not reachable through it.
    assert client.get(f"/mes-cantines/{own.pk}/diagnostics/2024/teledeclaration/justificatif-v1.pdf").status_code == 404


def test_missing_canteen_is_404_for_everyone(client, staff):
    client.force_login(staff)
    assert client.get("/mes-cantines/999999/").status_code == 404


def test_list_shows_only_own_canteens(client, world, manager_b, django_assert_max_num_queries):
    client.force_login(manager_b)
    client.get("/mes-cantines/")  # first hit creates the site settings row
    with django_assert_max_num_queries(12) as few:
        client.get("/mes-cantines/")
    for canteen in CanteenFactory.create_batch(5, managers=[manager_b]):
        YearlyDiagnosticFactory(canteen=canteen)
    # Session, user, canteens, their diagnostics, then the layout's own queries (site, menu, settings, userbar):
    # the count does not grow with the number of canteens (8 for 50 canteens in bench/logged_in.py).
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/mes-cantines/").content.decode()
    assert "Collège Jean Moulin" in html
    assert "École des Lilas" not in html


def test_inactive_manager_has_no_access(client, world, manager_a):
    manager_a.is_active = False
    manager_a.save()
    client.force_login(manager_a)
    assert client.get(f"/mes-cantines/{world['canteen'].pk}/").status_code in (302, 404)


class TestCentralKitchen:
    @pytest.fixture
    def kitchens(self, manager_a):
        central_manager = UserFactory(email="centrale@example.org")
        central = CanteenFactory(name="Cuisine centrale", production_type="central", managers=[central_manager])
        satellite = CanteenFactory(
            name="Satellite",
            production_type="satellite",
            central_kitchen_siret=central.siret,
            confirmed_central_kitchen=central,  # the satellite's managers agreed (tests/security/)
            managers=[manager_a],
        )
        return central_manager, central, satellite

    def test_central_kitchen_manager_supplies_its_satellites(self, client, kitchens):
        central_manager, central, satellite = kitchens
        client.force_login(central_manager)
        assert "Satellite" in client.get("/mes-cantines/").content.decode()
        assert "Satellite" in client.get(f"/mes-cantines/{central.pk}/").content.decode()
        assert client.get(f"/mes-cantines/{satellite.pk}/").status_code == 200
        assert client.get(f"/mes-cantines/{satellite.pk}/import/").status_code == 200
        response = client.post(
            f"/mes-cantines/{satellite.pk}/diagnostics/2024/modifier/",
            {"mode": "simple", "total": "5000", "bio": "1000"},
        )
        assert response.status_code == 302
        diagnostic = YearlyDiagnostic.objects.get(canteen=satellite, year=2024)
        assert diagnostic.total == 5000 and diagnostic.updated_by == central_manager
        assert diagnostic.answers == {}  # the answers stay the satellite's own

    @pytest.mark.parametrize(
        "url",
        [
            "/mes-cantines/{pk}/modifier/",
            "/mes-cantines/{pk}/gestionnaires/",
            "/mes-cantines/{pk}/diagnostics/2024/teledeclaration/",
        ],
    )
    def test_central_kitchen_manager_cannot_edit_the_satellite_itself(self, client, kitchens, url):
        central_manager, _central, satellite = kitchens
        YearlyDiagnosticFactory(canteen=satellite, year=2024)
        client.force_login(central_manager)
        assert client.get(url.format(pk=satellite.pk)).status_code == 404

    def test_a_satellite_manager_gets_nothing_from_the_central_kitchen(self, client, kitchens, manager_a):
        _central_manager, central, _satellite = kitchens
        client.force_login(manager_a)
        assert client.get(f"/mes-cantines/{central.pk}/").status_code == 404
        assert Canteen.objects.count() == 2
