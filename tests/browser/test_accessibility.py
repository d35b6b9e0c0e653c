"""Accessibility in Chromium: axe-core finds no serious or critical violation on the public pages, the
diagnostic (every step, its errors and its results), the search, the hub and a canteen's public page; the
diagnostic can be completed with the keyboard alone.

axe-core covers what a machine can check (about a third of RGAA's criteria: names, roles, contrasts, labels,
landmarks, ARIA); the keyboard test covers reachability and focus visibility on the main form journey.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER_EMAIL, MANAGER_PASSWORD, site_login

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/en/",
    "/loi-egalim/",
    "/pour-qui/",
    "/cette-page-n-existe-pas/",
    # the footer's pages (issue 16)
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/gestion-des-cookies/",
    "/plan-du-site/",
    "/en/plan-du-site/",
    # the hub: listing, filtered and searched, invalid values, English
    "/ressources/",
    "/ressources/?measure=quality&q=bio",
    "/ressources/?measure=waste&gap=waste.no_action&sort=title",
    "/ressources/?type=inconnu&page=999",
    "/en/resources/",
    # resources of each kind, a kit
    "/ressources/labels-egalim/",
    "/ressources/video-gaspillage/",
    "/ressources/modele-mail-cantine-inscrite/",
    "/ressources/kit-ambassadeur/",
    # measures and guides
    "/mesures-egalim/",
    "/mesures-egalim/quality/",
    "/mesures-egalim/waste/",
    "/en/egalim-measures/quality/",
    "/guides/",
    "/guides/reduire-le-gaspillage/",
    # the diagnostic's steps (results: see below)
    "/diagnostic/",
    "/diagnostic/qualite/",
    "/diagnostic/qualite/detail/",
    "/diagnostic/gaspillage/",
    "/diagnostic/diversification/",
    "/diagnostic/plastiques/",
    "/diagnostic/information/",
    "/en/diagnostic/",
    # search
    "/recherche/",
    "/recherche/?q=gaspillage",
    "/recherche/?q=zzzzzz",
    "/en/search/?q=waste",
    # accounts
    "/compte/connexion/",
    "/compte/inscription/",
    # territories: canteen registry, open data, dashboards
    "/cantines/",
    "/cantines/?q=rennes",
    "/donnees/",
    "/territoires/",
    "/territoires/region/53/",
    "/territoires/departement/35/",
]


def assert_no_violation(page, axe):
    violations = axe(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page, axe, path):
    response = page.goto(path)
    assert response.status == (404 if "n-existe-pas" in path else 200), path
    assert_no_violation(page, axe)


@pytest.mark.parametrize("path", ["/", "/ressources/?measure=quality", "/diagnostic/", "/mesures-egalim/quality/"])
def test_no_serious_accessibility_violation_on_a_phone(browser, live_site, axe, path):
    context = browser.new_context(base_url=live_site.url, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(path)
        assert_no_violation(page, axe)
    finally:
        context.close()


@pytest.fixture(scope="session")
def public_canteen_url(live_site):
    return live_site.shell(
        "from canteens.models import Canteen; "
        "print(Canteen.objects.filter(diagnostics__is_published=True).distinct().order_by('pk')[0].get_public_url())"
    ).strip()


def test_public_canteen_page(page, axe, public_canteen_url):
    page.goto(public_canteen_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_violation(page, axe)


def test_diagnostic_errors_and_results(page, axe):
    page.goto("/diagnostic/")
    page.get_by_role("button", name="Étape suivante").click()  # nothing filled in: the errors
    expect(page.locator(".fr-error-text, .fr-message--error").first).to_be_visible()
    assert_no_violation(page, axe)

    page.get_by_label("Département").fill("972")
    page.get_by_label("Année des données").fill("2025")
    page.get_by_role("button", name="Étape suivante").click()
    page.wait_for_url("**/diagnostic/qualite/")
    page.get_by_label("Total des achats alimentaires et boissons").fill("100000")
    page.get_by_label("Dont achats bio").fill("200000")  # more than the total: an error
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.locator(".fr-error-text, .fr-message--error").first).to_be_visible()
    assert_no_violation(page, axe)

    page.goto("/diagnostic/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos résultats")
    assert_no_violation(page, axe)
    page.goto("/diagnostic/resultats/imprimer/")
    assert_no_violation(page, axe)


def test_header_search_box_with_its_suggestions_open(page, axe):
    """The header's search box (every page): an ARIA combobox whose suggestions are reachable with the arrow
    keys, accessible while open; Enter without a highlighted suggestion submits to the search page."""
    page.goto("/ressources/")
    box = page.get_by_role("combobox", name="Rechercher", exact=True)
    box.press_sequentially("gaspi")
    listbox = page.get_by_role("listbox", name="Suggestions de pages")
    expect(listbox.get_by_role("option").first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert_no_violation(page, axe)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    title = listbox.get_by_role("option").first.inner_text()
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    box = page.get_by_role("combobox", name="Rechercher", exact=True)
    box.fill("menu végétarien")
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/recherche/\?q=menu\+v", page.url), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher")
    assert_no_violation(page, axe)


def test_manager_pages(page, axe):
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    assert_no_violation(page, axe)  # /mes-cantines/
    page.get_by_role("link", name="Restaurant scolaire Jules Ferry").first.click()
    assert_no_violation(page, axe)
    page.get_by_role("link", name="2024", exact=True).first.click()
    page.wait_for_url("**/diagnostics/2024/")
    assert_no_violation(page, axe)
    page.get_by_role("link", name="Modifier le diagnostic").click()
    page.wait_for_url("**/diagnostics/2024/modifier/")
    assert_no_violation(page, axe)


# --- keyboard only ------------------------------------------------------------------------------------------------


def test_skip_link_is_first_keyboard_stop_and_reaches_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


FOCUSED = """() => {
  const el = document.activeElement;
  // DSFR draws the focus ring (a 2px outline) on the element or its ::before (enlarged links: cards, header
  // brand), on its label's ::before for radios and checkboxes, or on an ancestor through :focus-within.
  const outlined = (node, pseudo) => {
    const style = getComputedStyle(node, pseudo);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== 'transparent' && style.outlineColor !== 'rgba(0, 0, 0, 0)';
  };
  const candidates = [];
  for (let node = el, depth = 0; node && node !== document.body && depth < 4; node = node.parentElement, depth++) {
    candidates.push(node);
  }
  const labels = Array.from(el.labels || []);
  const visible = candidates.some((node) => outlined(node) || outlined(node, '::before') || outlined(node, '::after'))
    || labels.some((label) => outlined(label) || outlined(label, '::before') || outlined(label, '::after'));
  return {
    tag: el.tagName.toLowerCase(), type: el.type || null, name: el.name || null, value: el.value,
    text: (el.innerText || '').trim(), checked: !!el.checked, visible,
  };
}"""


def tab_to(page, matches, limit=80):
    """Press Tab until the focused element satisfies `matches(focused)`; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "body":
            assert focused["visible"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("not reachable with the Tab key")


def field(name):
    return lambda focused: focused["name"] == name


def button(text):
    return lambda focused: focused["tag"] == "button" and focused["text"] == text


def type_into(page, name, text):
    tab_to(page, field(name))
    page.keyboard.type(text)


def press_space_on(page, name):
    """Tab to the first option of a group of radio buttons (or a checkbox) and tick it with Space."""
    focused = tab_to(page, field(name))
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"{name} not ticked by Space ({focused})"


def submit(page, text, next_path):
    tab_to(page, button(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**{next_path}")


def test_diagnostic_can_be_completed_with_the_keyboard_only(page, axe):
    """Tab, Space and Enter (and typing in text fields) only: no mouse, no JavaScript shortcut."""
    page.goto("/diagnostic/")
    type_into(page, "department", "35")
    type_into(page, "year", "2024")
    press_space_on(page, "state_restaurant")
    type_into(page, "daily_meals", "180")
    submit(page, "Étape suivante", "/diagnostic/qualite/")

    for name, amount in [("total", "100000"), ("bio", "15000"), ("siqo", "20000"), ("meat_fish_total", "30000")]:
        type_into(page, name, amount)
    submit(page, "Étape suivante", "/diagnostic/gaspillage/")

    press_space_on(page, "diagnostic_done")
    press_space_on(page, "actions")
    press_space_on(page, "donation_agreement")
    submit(page, "Étape suivante", "/diagnostic/diversification/")

    for name in ("plan", "vegetarian_frequency", "menu_choice", "daily_vegetarian_option"):
        press_space_on(page, name)
    submit(page, "Étape suivante", "/diagnostic/plastiques/")

    for name in ("cooking_containers", "serving_containers", "bottles", "tableware"):
        press_space_on(page, name)
    submit(page, "Étape suivante", "/diagnostic/information/")

    press_space_on(page, "informs_diners")
    submit(page, "Voir mes résultats", "/diagnostic/resultats/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos résultats")
    expect(page.locator("main")).to_contain_text("Département 35 — données 2024")
    # and from the results, the keyboard reaches a gap's resources in the hub
    tab_to(page, lambda focused: focused["tag"] == "a" and focused["text"] == "Toutes les ressources pour cet écart")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/ressources/\?measure=\w+&gap=", page.url)
    assert_no_violation(page, axe)
