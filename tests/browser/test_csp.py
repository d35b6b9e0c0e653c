"""The Content-Security-Policy (no inline script) in a real browser: the pages' scripts run and nothing is
blocked, so the policy can stay strict."""

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/ressources/?measure=quality",
    "/ressources/modele-mail-cantine-inscrite/",
    "/mesures-egalim/quality/",
    "/guides/reduire-le-gaspillage/",
    "/diagnostic/",
    "/recherche/?q=gaspillage",
    "/compte/connexion/",
]

LISTEN = """() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_content_security_policy_violation(page, path):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(f"({LISTEN})()")
    response = page.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    blocked = [text for text in messages if "Content Security Policy" in text or "Refused to" in text]
    assert violations == [] and blocked == [], (violations, blocked)
    # DSFR's JavaScript ran (it marks the document), so the policy lets the site's own scripts through
    assert page.locator("html").get_attribute("data-fr-js") == "true"


def test_an_injected_inline_script_is_blocked(page):
    """What the policy is for: an inline script that got into a page (it cannot, see tests/quality/test_xss.py)
    would not run."""
    page.goto("/")
    page.evaluate(
        """() => {
          window.__ran = false;
          const script = document.createElement('script');
          script.textContent = 'window.__ran = true;';
          document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.__ran") is False
