"""Each row of docs/api.md's migration table from the national service's API, exercised here."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from api.models import SCOPES, ApiToken
from territories.models import CampaignPublication
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db
DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def table_rows():
    text = DOC.read_text()
    section = text.split("\n## Migration from the national service's API", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `") or line.startswith("| (none)")]


@pytest.fixture
def world(client):
    today = timezone.localdate()
    campaign = CampaignFactory(
        year=2024, declaration_start=today - datetime.timedelta(days=1), declaration_end=today + datetime.timedelta(1)
    )
    CampaignPublication.objects.create(campaign=campaign)
    manager = UserFactory(email="gestion@example.org")
    canteen = CanteenFactory(managers=[manager], siret="35600000000048")
    YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True)
    _token, secret = ApiToken.issue(manager, "migration", list(SCOPES))
    return {"canteen": canteen, "auth": {"HTTP_AUTHORIZATION": f"Bearer {secret}"}}


def test_every_row_is_exercised(client, world):
    pk = world["canteen"].pk
    auth = world["auth"]
    calls = {
        "/o/authorize/": lambda: client.get("/o/authorize/").status_code in (200, 302, 400),
        "canteenStatus/siret": lambda: client.get("/api/v1/canteens/siret/35600000000048/").status_code == 200,
        "canteenStatus/siren": lambda: client.get("/api/v1/canteens/siren/356000000/").status_code == 200,
        "publishedCanteens/`": lambda: client.get("/api/v1/canteens/").json()["count"] == 1,
        "publishedCanteens/<id>": lambda: client.get(f"/api/v1/canteens/{pk}/").status_code == 200,
        "canteenStatistics": lambda: client.get("/api/v1/statistics/?year=2024").status_code == 200,
        "sectors/": lambda: client.get("/api/v1/reference/sectors/").status_code == 200,
        "ministries/": lambda: client.get("/api/v1/reference/ministries/").status_code == 200,
        "campaignDates": lambda: client.get("/api/v1/reference/campaigns/").json()["results"][0]["year"] == 2024,
        "purchaseOptions": lambda: all(
            client.get(f"/api/v1/reference/{name}/").status_code == 200 for name in ("families", "labels")
        ),
        "(none)": lambda: all(
            client.get(f"/api/v1/reference/{name}/").status_code == 200
            for name in ("production-types", "management-types", "economic-models")
        ),
        "/api/v1/canteens/` (managed)": lambda: client.get("/api/v1/me/canteens/", **auth).status_code == 200,
        "/diagnostics/`": lambda: (
            client.post(
                f"/api/v1/canteens/{pk}/diagnostics/", {"year": 2025}, content_type="application/json", **auth
            ).status_code
            == 201
        ),
        "teledeclaration/create": lambda: (
            client.post(
                f"/api/v1/canteens/{pk}/declarations/", {"year": 2024}, content_type="application/json", **auth
            ).status_code
            == 201
        ),
        "teledeclaration/cancel": lambda: (
            client.delete(f"/api/v1/canteens/{pk}/declarations/?year=2024", **auth).status_code == 200
        ),
        "teledeclaration/pdf": lambda: (
            client.post(f"/api/v1/canteens/{pk}/declarations/", {"year": 2024}, content_type="application/json", **auth)
            .json()["receipt_url"]
            .endswith("justificatif-v2.pdf")
        ),
        "userInfo": lambda: client.get("/api/v1/me/", **auth).json()["canteens"] == [pk],
        "POST /api/v1/canteens/`": lambda: (
            client.post("/api/v1/canteens/", {}, content_type="application/json", **auth).status_code == 400
            and client.patch(f"/api/v1/canteens/{pk}/", {}, content_type="application/json", **auth).status_code == 200
        ),
        "/managers/`": lambda: client.get(f"/api/v1/canteens/{pk}/managers/", **auth).json()[0]["status"] == "manager",
        "/purchases/`": lambda: client.get(f"/api/v1/canteens/{pk}/purchases/", **auth).json()["count"] == 0,
        "/satellites/`": lambda: client.get(f"/api/v1/canteens/{pk}/satellites/", **auth).status_code == 400,
        "wasteMeasurements": lambda: (
            client.patch(
                f"/api/v1/canteens/{pk}/diagnostics/2025/",
                {"bread_leftovers": "12.5"},
                content_type="application/json",
                **auth,
            ).json()["bread_leftovers"]
            == "12.50"
        ),
    }
    rows = table_rows()
    assert len(rows) == len(calls), [row.split("|")[1] for row in rows]
    for row in rows:
        national = row.split("|")[1]
        key = next(
            (key for key in calls if key in national or (key.endswith("`") and key[:-1] + "`" in national)), None
        )
        assert key is not None, national
        assert calls.pop(key)(), national
    assert not calls
    assert re.search(r"PKCE", DOC.read_text())
