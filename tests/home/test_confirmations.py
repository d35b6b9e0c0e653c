"""Destructive actions are confirmed on a page of their own (GET), then done by its form (POST): token
revocation, an OAuth application's access, a widget's deletion, « Annuler pour corriger » a declaration. No
JavaScript; the list pages hold links, not one-click buttons."""

import re

import pytest

from api.models import ApiToken
from canteens import declaration
from canteens.models import Teledeclaration
from territories.models import Widget
from tests.canteens.test_declarations import open_campaign
from tests.factories import CanteenFactory, TerritoryOfficerFactory, UserFactory, WidgetFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


def confirmation_form(html):
    """(action, hidden fields) of the confirmation page's form."""
    form = re.search(r'<form method="post" action="([^"]*)">(.*?)</form>', html, re.S)
    assert form, "no confirmation form"
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    hidden.pop("csrfmiddlewaretoken", None)
    assert 'data-testid="confirm"' in form.group(2)
    return form.group(1), hidden


def test_token_revocation_asks_first(client):
    user = UserFactory()
    token, _secret = ApiToken.issue(user, "Logiciel cantine", ["canteens:read"])
    client.force_login(user)
    listing = client.get("/compte/jetons/").content.decode()
    assert f'href="/compte/jetons/{token.pk}/revoquer/"' in listing
    assert 'action="/compte/jetons/' not in listing  # no one-click form in the list
    page = client.get(f"/compte/jetons/{token.pk}/revoquer/")
    html = page.content.decode()
    assert page.status_code == 200 and "Révoquer le jeton « Logiciel cantine » ?" in html
    token.refresh_from_db()
    assert token.revoked_at is None  # seeing the page changes nothing
    action, fields = confirmation_form(html)
    assert client.post(action, fields).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # someone else's token: not found, for the page and the action
    other, _ = ApiToken.issue(UserFactory(), "Autre", ["canteens:read"])
    assert client.get(f"/compte/jetons/{other.pk}/revoquer/").status_code == 404
    assert client.get("/compte/jetons/applications/999/revoquer/").status_code == 404


def test_widget_deletion_asks_first(client):
    officer = TerritoryOfficerFactory(regions=["53"])
    widget = WidgetFactory(owner=officer.user, title="Cantines bretonnes")
    client.force_login(officer.user)
    edit = client.get(f"/territoires/suivi/widgets/{widget.pk}/").content.decode()
    assert f'href="/territoires/suivi/widgets/{widget.pk}/supprimer/"' in edit
    assert 'name="delete"' not in edit
    html = client.get(f"/territoires/suivi/widgets/{widget.pk}/supprimer/").content.decode()
    assert "Supprimer le widget « Cantines bretonnes » ?" in html
    assert Widget.objects.filter(pk=widget.pk).exists()
    action, fields = confirmation_form(html)
    assert (action, fields) == (f"/territoires/suivi/widgets/{widget.pk}/", {"delete": "1"})
    assert client.post(action, fields).status_code == 302
    assert not Widget.objects.filter(pk=widget.pk).exists()
    other = TerritoryOfficerFactory(regions=["53"])
    client.force_login(other.user)
    mine = WidgetFactory(owner=officer.user)
    assert client.get(f"/territoires/suivi/widgets/{mine.pk}/supprimer/").status_code == 404


def test_cancelling_a_declaration_asks_first(client):
    manager = UserFactory()
    canteen = CanteenFactory(name="École des Lilas", managers=[manager])
    open_campaign()
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024)
    sent = declaration.submit(canteen, diagnostic, manager)
    client.force_login(manager)
    url = f"/mes-cantines/{canteen.pk}/diagnostics/2024/teledeclaration/"
    page = client.get(url).content.decode()
    assert f'href="{url}annuler/"' in page and 'value="cancel"' not in page
    html = client.get(f"{url}annuler/").content.decode()
    assert "Annuler la télédéclaration 2024 de « École des Lilas » ?" in html
    sent.refresh_from_db()
    assert sent.status == Teledeclaration.Status.SUBMITTED
    action, fields = confirmation_form(html)
    assert (action, fields) == (url, {"action": "cancel"})
    client.post(action, fields)
    sent.refresh_from_db()
    assert sent.status == Teledeclaration.Status.CANCELLED
    # nothing left to cancel: back to the declaration page
    assert client.get(f"{url}annuler/")["Location"] == url
    client.force_login(UserFactory())
    assert client.get(f"{url}annuler/").status_code == 404
