"""Follow-up statuses are a partition: each canteen in exactly one status (defined once, officers.with_status),
and a canteen that declared is « Télédéclarée » even when it has no manager any more."""

import csv
import io

import pytest

from territories import officers
from tests.territories.test_officers import body

pytestmark = pytest.mark.django_db


def names(client, query=""):
    response = client.get(f"/territoires/suivi/export.csv{query}")
    return {row["nom"] for row in csv.DictReader(io.StringIO(body(response).decode("utf-8-sig")))}


def test_each_canteen_is_in_exactly_one_status(client, world, officer):
    world["rennes"].managers.clear()  # declared, then its manager left
    client.force_login(officer.user)
    everyone = names(client)
    by_status = {status: names(client, f"?status={status}") for status in officers.STATUSES}
    assert "École Rennes" in by_status["declared"]
    assert "École Rennes" not in by_status["no_manager"]
    for name in everyone:
        assert sum(name in members for members in by_status.values()) == 1, name
    assert set().union(*by_status.values()) == everyone
    # The page shows the same status as the filter.
    html = client.get("/territoires/suivi/?statut=no_manager").content.decode()
    assert "École Rennes" not in html and "Collège Quimper" in html
