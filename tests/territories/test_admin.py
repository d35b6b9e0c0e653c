from territories.models import CampaignPublication, TerritoryOfficer
from tests.factories import CampaignFactory, UserFactory


def test_an_administrator_assigns_the_officer_role(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    officer = UserFactory(email="pat@example.org")
    client.force_login(admin)
    assert client.get("/admin/snippets/territories/territoryofficer/").status_code == 200
    response = client.post(
        "/admin/snippets/territories/territoryofficer/add/",
        {"user": officer.pk, "organisation": "PAT du pays de Brest", "regions": ["53"], "departments": ["972"]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = TerritoryOfficer.objects.get(user=officer)
    assert list(role.regions.values_list("code", flat=True)) == ["53"]
    assert role.department_codes() == ["22", "29", "35", "56", "972"]


def test_an_editor_publishes_a_campaigns_results(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    campaign = CampaignFactory(year=2024)
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/territories/campaignpublication/add/",
        {"campaign": campaign.pk, "published_on": "2025-12-01", "note": "Rapport au Parlement"},
    )
    assert response.status_code == 302
    assert CampaignPublication.objects.get().campaign == campaign
