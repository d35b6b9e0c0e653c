"""Fixtures of the resources tests: the editorial tree under the French home page."""

import pytest

from tests.factories import (
    GuideIndexPageFactory,
    MeasureIndexPageFactory,
    ResourceIndexPageFactory,
)


@pytest.fixture
def measure_index(home_page):
    return MeasureIndexPageFactory(parent=home_page)


@pytest.fixture
def guide_index(home_page):
    return GuideIndexPageFactory(parent=home_page)


@pytest.fixture
def resource_index(home_page):
    return ResourceIndexPageFactory(parent=home_page)
