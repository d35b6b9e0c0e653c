"""The widget form's colour fields (issue 16): colour pickers sized by territories.css, and a contrast error
whose two numbers are written the same way, in the page's language."""

from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from territories.forms import WidgetForm
from territories.officers import Scope
from tests.factories import TerritoryOfficerFactory, WidgetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return TerritoryOfficerFactory(regions=["53"])


def test_colour_fields_are_sized_pickers(officer):
    html = str(WidgetForm(Scope(officer)))
    for name in ("primary_colour", "secondary_colour"):
        tag = html[html.index(f'name="{name}"') - 200 : html.index(f'name="{name}"') + 200]
        assert 'type="color"' in tag and "territories-colour" in tag, tag
    css = (Path(settings.BASE_DIR) / "static" / "territories" / "territories.css").read_text()
    assert 'input[type="color"].territories-colour' in css and "height: 2.5rem" in css


@pytest.mark.parametrize(
    "prefix, expected",
    [("", "(1,3:1, il faut 4,5:1 au moins)"), ("/en", "(1.3:1, at least 4.5:1 is needed)")],
)
def test_contrast_error_writes_both_numbers_alike(client, officer, prefix, expected):
    widget = WidgetFactory(owner=officer.user)
    client.force_login(officer.user)
    response = client.post(
        f"{prefix}/territoires/suivi/widgets/{widget.pk}/",
        {"title": "Bretagne", "territory": "region:53", "primary_colour": "#000091", "secondary_colour": "#dddddd"},
    )
    html = unescape(response.content.decode())
    assert expected in html
    assert "1.3:1, il faut" not in html
