"""User journeys in a real browser (see conftest.py). Screenshots of each final page land in var/screenshots/.

The live site holds the demo content (`load_demo`); each journey creates what it needs under unique names, so
the tests do not depend on their order.
"""

import random
import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER_EMAIL, MANAGER_PASSWORD, admin_login, site_login

pytestmark = pytest.mark.browser
NEXT_STEP = re.compile("^(Étape suivante|Voir mes résultats)$")


def tick(locator):
    """Tick a DSFR checkbox or radio button (its label covers the native input, as designed)."""
    locator.check(force=True)
    expect(locator).to_be_checked()


def saved_download(download, tmp_path):
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target.read_bytes()


# --- a manager finds a resource and downloads its PDF ----------------------------------------------------------


def test_manager_filters_on_a_measure_searches_opens_a_resource_and_downloads_its_pdf(page, tmp_path):
    page.goto("/ressources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources")
    # The hub's own filter form: the header's search box (every page) is also named « Rechercher ».
    filters = page.get_by_role("form", name="Filtrer les ressources")
    tick(filters.get_by_role("checkbox", name=re.compile(r"^Qualité et durabilité des produits")))
    filters.get_by_role("searchbox", name=re.compile("^Rechercher")).fill("labels")
    filters.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"/ressources/\?.*measure=quality"))
    assert "q=labels" in page.url

    results = page.locator("#resultats")
    title = "Quels labels et mentions comptent dans les 50 % ?"
    results.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    link = page.locator(".fr-download__link").first
    expect(link).to_contain_text("PDF")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert saved_download(download, tmp_path).startswith(b"%PDF")


# --- an anonymous user completes the diagnostic and follows a gap to the hub ------------------------------------


def test_anonymous_diagnostic_then_a_gap_link_opens_the_filtered_hub(page):
    page.goto("/diagnostic/")
    page.get_by_label("Département").fill("35")
    page.get_by_label("Année des données").fill("2024")
    tick(page.get_by_role("group", name=re.compile("restaurant de l'État")).get_by_label("Non"))
    page.get_by_label("Nombre moyen de repas servis par jour").fill("250")
    page.get_by_role("button", name=NEXT_STEP).click()

    page.wait_for_url("**/diagnostic/qualite/")
    page.get_by_label("Total des achats alimentaires et boissons").fill("100000")
    page.get_by_label("Dont achats bio").fill("12000")
    page.get_by_label("Dont achats sous signe officiel de qualité").fill("20000")
    page.get_by_role("button", name=NEXT_STEP).click()

    # Waste, diversification, plastics, information: the first answer that is not « Oui » (the worst case: gaps).
    for slug in ("gaspillage", "diversification", "plastiques", "information"):
        page.wait_for_url(f"**/diagnostic/{slug}/")
        for group in page.locator("fieldset:has(input[type=radio])").all():
            tick(group.locator("input[type=radio]:not([value=yes])").first)
        page.get_by_role("button", name=NEXT_STEP).click()

    page.wait_for_url("**/diagnostic/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos résultats")
    waste = page.locator("#mesure-waste")
    expect(waste).to_contain_text("Non atteint", ignore_case=True)
    waste.get_by_role("link", name="Toutes les ressources pour cet écart").first.click()

    page.wait_for_url(re.compile(r"/ressources/\?measure=waste&gap=waste\."))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources")
    expect(page.get_by_role("checkbox", name=re.compile("^Lutte contre le gaspillage"))).to_be_checked()
    assert page.locator("#resultats").get_by_role("link").count() > 0


# --- an editor writes a guide, a reviewer approves it, it is on the site ----------------------------------------


def test_redactrice_submits_a_guide_relecteur_approves_it_and_it_is_published(page, editors, live_site):
    title = f"Guide rédigé dans le navigateur {uuid.uuid4().hex[:6]}"
    guide_index = live_site.shell(
        "from resources.models import GuideIndexPage; print(GuideIndexPage.objects.get(locale__language_code='fr').pk)"
    ).strip()

    admin_login(page, "redactrice", editors["redactrice"][1])
    page.goto(f"/admin/pages/add/resources/guidepage/{guide_index}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_introduction").fill("Un guide pas à pas, écrit et relu dans le navigateur.")
    page.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraphe").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("Commencez par peser les restes pendant une semaine.")
    # Draftail writes its content to the block's hidden input a moment later: wait for it before submitting.
    expect(page.locator("input[type=hidden][name='body-0-value']")).to_have_value(re.compile("peser les restes"))
    tick(page.get_by_label("Lutte contre le gaspillage alimentaire et dons"))
    tick(page.get_by_label("Gestionnaire de cantine"))
    # « Soumettre à Relecture DGAL » is in the footer's action menu, behind the « Plus d'actions » toggle.
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Soumettre à Relecture DGAL").click()
    expect(page.locator(".messages")).to_contain_text("soumise pour modération")

    page.context.clear_cookies()
    page.goto("/guides/")
    expect(page.get_by_role("link", name=title)).to_have_count(0)  # not live before the review

    admin_login(page, "relecteur", editors["relecteur"][1])
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("button").last.click()  # the row's « ... » actions menu
    page.get_by_role("button", name="Approuver", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(0)

    page.context.clear_cookies()
    page.goto("/guides/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Commencez par peser les restes pendant une semaine.")


# --- a manager registers a canteen, fills a diagnostic, downloads the poster -------------------------------------


def _valid_siret():
    from canteens.validators import luhn_valid

    prefix = "".join(random.choice("0123456789") for _ in range(13))
    return next(prefix + str(digit) for digit in range(10) if luhn_valid(prefix + str(digit)))


def test_manager_registers_a_canteen_fills_a_diagnostic_and_downloads_the_poster(page):
    name = f"Collège Anne de Bretagne {uuid.uuid4().hex[:4]}"
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    page.get_by_role("link", name="Ajouter une cantine").click()
    page.wait_for_url("**/mes-cantines/nouvelle/")
    page.get_by_label("Nom de la cantine").fill(name)
    page.get_by_role("textbox", name=re.compile(r"^SIRET 14 chiffres")).fill(_valid_siret())
    page.get_by_label("Code INSEE de la commune").fill("35238")
    tick(page.get_by_label("Enseignement — Collège"))
    tick(page.get_by_label("Directe (autogérée)"))
    tick(page.get_by_label("Cuisine sur place"))
    tick(page.get_by_label("Public", exact=True))
    page.get_by_label("Couverts par jour").fill("300")
    page.get_by_label("Couverts par an").fill("50000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("main")).to_contain_text("est enregistrée")

    page.get_by_role("link", name="2024", exact=True).click()
    page.get_by_role("link", name="Saisie simplifiée").click()
    page.get_by_label("Total des achats alimentaires et boissons").fill("120000")
    page.get_by_label("Dont achats bio").fill("30000")
    page.get_by_label("Dont achats sous signe officiel de qualité").fill("35000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Le diagnostic 2024 est enregistré.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnostic 2024")

    # The poster is served inline (Chromium opens it in its PDF viewer, no download event): open it, then fetch
    # the same URL with the browser's cookies to check the PDF itself.
    link = page.get_by_role("link", name=re.compile("Télécharger l'affiche"))
    href = link.get_attribute("href")
    with page.expect_response(lambda response: response.url.endswith(href)) as info:
        link.click()
    assert info.value.status == 200
    assert info.value.headers["content-type"] == "application/pdf"
    poster = page.request.get(href)
    assert poster.ok
    assert poster.body().startswith(b"%PDF")
    assert len(poster.body()) > 5_000
    page.go_back()  # the screenshot shows the diagnostic, not the PDF viewer


# --- the language switcher ----------------------------------------------------------------------------------------


def test_language_switcher_moves_between_french_and_english(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.click("a[hreflang=en]")
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "resource centre" in page.locator("h1").inner_text()
    page.click("a[hreflang=fr]")
    page.wait_for_url(lambda url: not url.rstrip("/").endswith("/en"))
    assert page.locator("html").get_attribute("lang") == "fr"


def test_menu_page_keeps_language_when_switching(page):
    page.goto("/loi-egalim/")
    assert "EGAlim" in page.locator("h1").inner_text()
    page.click("a[hreflang=en]")
    page.wait_for_url("**/en/loi-egalim/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_switcher_on_a_resource_and_the_hub_keeps_the_page(page):
    page.goto("/ressources/")
    page.click("a[hreflang=en]")
    page.wait_for_url("**/en/resources/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Resources")
    page.goto("/mesures-egalim/quality/")
    page.click("a[hreflang=en]")
    page.wait_for_url("**/en/egalim-measures/quality/")
    page.click("a[hreflang=fr]")
    page.wait_for_url("**/mesures-egalim/quality/")
    assert page.locator("html").get_attribute("lang") == "fr"
