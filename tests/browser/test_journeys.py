"""User journeys in a real browser (see conftest.py). Screenshots land in var/screenshots/."""

import pytest

pytestmark = pytest.mark.browser


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
