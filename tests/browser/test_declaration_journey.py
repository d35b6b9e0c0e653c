"""The teledeclaration journey in a real browser (issue 18): a refusal that lists every missing value, each
linked to its input; implausible values confirmed one by one; the success and its PDF receipt."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER_EMAIL, MANAGER_PASSWORD, site_login
from .test_journeys import tick

pytestmark = pytest.mark.browser

SETUP = """
import uuid
from canteens.demo import DEMO_CAMPAIGN_YEAR
from canteens.models import Canteen, YearlyDiagnostic
from tests.factories import luhn_complete

model = YearlyDiagnostic.objects.get(canteen__name="Restaurant scolaire Jules Ferry", year=DEMO_CAMPAIGN_YEAR)
source = model.canteen
canteen = Canteen.objects.create(
    name="Cantine à déclarer " + uuid.uuid4().hex[:4],
    siret=luhn_complete("3" + str(uuid.uuid4().int)[:12]),
    city_insee_code=source.city_insee_code, city=source.city, sectors=source.sectors,
    management_type=source.management_type, production_type=source.production_type,
    economic_model=source.economic_model, daily_meal_count=source.daily_meal_count,
    yearly_meal_count=source.yearly_meal_count,
)
canteen.managers.set(source.managers.all())
diagnostic = YearlyDiagnostic(canteen=canteen, year=DEMO_CAMPAIGN_YEAR)
diagnostic.copy_inputs_from(model)
diagnostic.total = diagnostic.bio = None
diagnostic.save()
print(canteen.pk, DEMO_CAMPAIGN_YEAR)
"""


def test_a_refused_declaration_links_each_missing_value_then_confirmed_values_are_declared(page, live_site):
    pk, year = live_site.shell(SETUP).split()
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    declaration_url = f"/mes-cantines/{pk}/diagnostics/{year}/teledeclaration/"
    page.goto(declaration_url)

    # Refused: the blank amounts are listed, each a link to its input; no button to send.
    refusal = page.locator("#manquants")
    expect(refusal).to_contain_text("valeurs obligatoires manquent")
    links = refusal.get_by_role("link")
    expect(links).to_have_count(2)
    expect(page.get_by_role("button", name="Télédéclarer")).to_have_count(0)
    links.first.click()
    page.wait_for_url(re.compile(r"/modifier/#id_total$"))
    target = page.locator("#id_total")
    expect(target).to_be_visible()
    assert page.evaluate("document.querySelector(':target').id") == "id_total"
    assert page.locator("label[for=id_total]").count() == 1  # the link lands on a labelled input

    # Filled with a cost per meal far above the band: the declaration asks to confirm it.
    target.fill("9000000")
    page.locator("#id_bio").fill("1000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("est enregistré")
    page.goto(declaration_url)
    expect(page.locator("#manquants")).to_have_count(0)
    boxes = page.locator("input[name=confirm]")
    expect(boxes.first).to_be_visible()
    page.get_by_role("button", name="Télédéclarer").click()
    expect(page.locator(".fr-alert--error, [role=alert]").first).to_contain_text("invraisemblables")
    expect(page.locator(".fr-alert--success")).to_have_count(0)

    for index in range(boxes.count()):
        tick(page.locator("input[name=confirm]").nth(index).locator("xpath=..").get_by_role("checkbox"))
    page.get_by_role("button", name="Télédéclarer").click()
    expect(page.locator(".fr-alert--success").first).to_contain_text("version 1")
    receipt = page.get_by_role("link", name="Télécharger le justificatif (PDF)")
    response = page.request.get(receipt.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
