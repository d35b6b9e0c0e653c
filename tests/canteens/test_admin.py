import datetime

import pytest

from canteens.models import Campaign
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_campaigns_are_defined_in_the_wagtail_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    CampaignFactory(year=2024)
    response = client.get("/admin/snippets/canteens/campaign/")
    assert response.status_code == 200 and "2024" in response.content.decode()
    response = client.post(
        "/admin/snippets/canteens/campaign/add/",
        {
            "year": "2025",
            "declaration_start": "2026-01-12",
            "declaration_end": "2026-04-15",
            "correction_start": "2026-04-16",
            "correction_end": "2026-04-29",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=2025)
    assert campaign.phase(datetime.date(2026, 4, 20)) == "correction"
    assert campaign.phase(datetime.date(2026, 2, 1)) == "declaration"
    assert campaign.phase(datetime.date(2026, 5, 1)) is None


def test_campaign_windows_are_checked(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/snippets/canteens/campaign/add/",
        {
            "year": "2025",
            "declaration_start": "2026-01-12",
            "declaration_end": "2026-04-15",
            "correction_start": "2026-04-10",
            "correction_end": "2026-04-29",
        },
    )
    assert response.status_code == 200
    assert "Les corrections commencent après la télédéclaration." in response.content.decode()
    assert not Campaign.objects.exists()
