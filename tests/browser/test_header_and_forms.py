"""The header at 320, 1024 and 1280 px, logged out and in (issue 16): the ministry block is entirely visible
(its bounding box inside the viewport and inside every clipping ancestor, its text not cut), it does not overlap
the header's tools, and no page scrolls sideways (also /compte/jetons/ at 320 px). Screenshots in
var/screenshots/. Then a form's errors in the browser: summary announced, focused, title prefixed."""

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER_EMAIL, MANAGER_PASSWORD, SCREENSHOTS, site_login

pytestmark = pytest.mark.browser

WIDTHS = [320, 1024, 1280]

MEASURE = """() => {
  const logo = document.querySelector('.fr-header .fr-logo');
  const box = logo.getBoundingClientRect();
  const clipped = [];
  for (let el = logo.parentElement; el && el !== document.body; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.overflow !== 'visible' || style.overflowX !== 'visible') {
      const r = el.getBoundingClientRect();
      if (box.left < r.left - 0.5 || box.right > r.right + 0.5 || box.top < r.top - 0.5 || box.bottom > r.bottom + 0.5)
        clipped.push(el.className);
    }
  }
  const tools = document.querySelector('.fr-header__tools');
  const toolsBox = tools && getComputedStyle(tools).display !== 'none' ? tools.getBoundingClientRect() : null;
  const links = [...document.querySelectorAll('.fr-header__tools-links .fr-btn')]
    .filter(b => b.offsetParent !== null).map(b => b.getBoundingClientRect());
  return {
    logo: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    logoText: logo.scrollWidth <= logo.clientWidth + 1,
    clipped,
    toolsLinks: links.map(r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom})),
    viewport: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


def overlap(a, b):
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def check_header(page, label):
    measured = page.evaluate(MEASURE)
    logo = measured["logo"]
    assert logo["left"] >= 0 and logo["right"] <= measured["viewport"], (label, measured)
    assert measured["logoText"], (label, "the ministry's name is cut", measured)
    assert measured["clipped"] == [], (label, measured)
    for link in measured["toolsLinks"]:
        assert not overlap(logo, link), (label, "a header button covers the ministry block", measured)
    assert measured["scrollWidth"] <= measured["viewport"], (label, "the page scrolls sideways", measured)


@pytest.mark.parametrize("width", WIDTHS)
def test_ministry_block_entirely_visible_logged_out_and_in(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    check_header(page, f"{width} px, logged out")
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    check_header(page, f"{width} px, logged in (/mes-cantines/)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"header_{width}_logged_in.png"))
    page.goto("/compte/jetons/")
    page.get_by_label("Nom du jeton").fill(f"Logiciel de gestion des achats {width}")
    page.locator("label[for=id_scopes_0]").click()  # the DSFR's label covers its box
    page.locator("label[for=id_scopes_3]").click()
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_test_id("api-token")).to_be_visible()
    check_header(page, f"{width} px, /compte/jetons/ with its tokens' table")
    region = page.get_by_role("region", name="Mes jetons d'API")
    region.focus()
    expect(region).to_be_focused()  # the table scrolls with the keyboard


def test_form_errors_are_announced_focused_and_in_the_title(page):
    site_login(page, MANAGER_EMAIL, MANAGER_PASSWORD)
    page.goto("/compte/jetons/")
    page.get_by_role("button", name="Créer le jeton").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    assert page.title().startswith("Erreur :"), page.title()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_name")).to_be_focused()


def test_printable_results_fill_their_first_page(page):
    """Issue 16: with gaps, the first measure's card (tall, kept whole) went to page 2 and left page 1 almost
    blank. The answers are posted as a browser without JavaScript would, then Chromium prints the page."""
    import io
    import re

    from pypdf import PdfReader

    from tests.diagnostic.test_pages import STEPS

    gaps = {
        "/diagnostic/qualite/": {
            "bio": "100",
            "siqo": "100",
            "environmental": "0",
            "other_egalim": "0",
            "meat_fish_egalim": "100",
        },
        "/diagnostic/gaspillage/": {"diagnostic_done": "no", "donation_agreement": "no"},
        "/diagnostic/diversification/": {"plan": "no"},
    }
    for url, data, next_url in STEPS:
        form = {key: value for key, value in {**data, **gaps.get(url, {})}.items() if isinstance(value, str)}
        html = page.request.get(url).text()
        form["csrfmiddlewaretoken"] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = page.request.post(url, form=form, max_redirects=0)
        assert response.status == 302 and response.headers["location"] == next_url, (url, response.status)
    page.goto("/diagnostic/resultats/imprimer/")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Qualité et durabilité des produits" in first and "Vos taux d'achats" in first, first
    assert len(first) > 800, first
