import pytest

from canteens import demo
from canteens.models import Campaign, Canteen, YearlyDiagnostic

pytestmark = pytest.mark.django_db


class Command:
    def __init__(self):
        self.lines = []

    def log(self, message):
        self.lines.append(message)


def test_demo_manager_with_two_canteens_over_two_years_is_idempotent(client):
    command = Command()
    demo.load(command)
    demo.load(command)
    canteens = Canteen.objects.order_by("department")
    assert [c.department for c in canteens] == ["35", "972"]
    for canteen in canteens:  # valid SIRET, commune, sectors, meals: what the form would have accepted
        canteen.full_clean()
    assert {c.managers.get().email for c in canteens} == {demo.DEMO_EMAIL}
    assert YearlyDiagnostic.objects.count() == 4
    assert Campaign.objects.get(year=demo.DEMO_CAMPAIGN_YEAR).is_open()
    assert sum("mot de passe" in line for line in command.lines) == 1
    # Martinique: overseas thresholds from the rules (2024: 20 % EGAlim, 5 % bio).
    martinique = canteens.get(department="972")
    client.force_login(martinique.managers.get())
    html = client.get(f"/mes-cantines/{martinique.pk}/diagnostics/2024/").content.decode()
    assert "20\u00a0%" in html and "5\u00a0%" in html
    assert client.get(f"/cantines/{martinique.pk}-{martinique.slug}/").status_code == 200
