"""axe-core in Chromium: no serious or critical violation on the key pages."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/en/", "/loi-egalim/", "/pour-qui/", "/cette-page-n-existe-pas/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page, axe, path):
    page.goto(path)
    violations = axe(page)
    assert violations == [], violations


def test_skip_link_is_first_keyboard_stop_and_reaches_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
