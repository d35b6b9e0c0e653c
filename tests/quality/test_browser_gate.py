"""The browser and accessibility tests are skipped with a message only on a developer's machine without Chromium
or axe-core; in CI (CI=true, set by .ci/run) the same situation fails the run (tests/browser/conftest.py)."""

import pytest

from tests.browser import conftest as browser


@pytest.mark.parametrize("value", [None, "", "0", "false", "False", "no"])
def test_missing_browser_is_skipped_with_its_reason_locally(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /nowhere: browser tests skipped locally"):
        browser._unavailable("Chromium not found at /nowhere")


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE"])
def test_missing_browser_fails_in_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match=r"Chromium not found at /nowhere \(CI must install it"):
        browser._unavailable("Chromium not found at /nowhere")
