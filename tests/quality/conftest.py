"""Fixtures of the quality tests (faults, security, page cache). `live_site` is the session's live site, the
same as the browser tests' (tests/browser/live.py): gunicorn on its own database filled by `load_demo`."""

import pytest

from tests.browser.live import shared_live_site


@pytest.fixture(scope="session")
def live_site():
    with shared_live_site() as site:
        yield site
