"""« Retirer » and « Quitter » on the managers page lead to a confirmation page (GET, no JavaScript needed) whose
form POSTs the removal; the rule stays: a canteen keeps at least one manager."""

from html import unescape

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def confirm_url(canteen, user):
    return f"/mes-cantines/{canteen.pk}/gestionnaires/{user.pk}/retirer/"


def text(response):
    return " ".join(unescape(response.content.decode()).split())


def test_the_managers_page_links_each_button_to_its_confirmation(client, manager_a, manager_b, canteen_a):
    canteen_a.managers.add(manager_b)
    client.force_login(manager_a)
    html = client.get(f"/mes-cantines/{canteen_a.pk}/gestionnaires/").content.decode()
    assert f'href="{confirm_url(canteen_a, manager_b)}">Retirer</a>' in html
    assert f'href="{confirm_url(canteen_a, manager_a)}">Quitter</a>' in html
    assert 'name="remove"' not in html  # no one-click removal left on the page


def test_removing_someone_is_confirmed_then_done(client, manager_a, manager_b, canteen_a):
    canteen_a.managers.add(manager_b)
    client.force_login(manager_a)
    page = client.get(confirm_url(canteen_a, manager_b))
    assert page.status_code == 200
    shown = text(page)
    assert "Retirer Bruno des gestionnaires de « École des Lilas » ?" in shown
    assert "b@example.org ne pourra plus modifier la cantine" in shown
    assert "csrfmiddlewaretoken" in shown
    assert f'<form method="post" action="/mes-cantines/{canteen_a.pk}/gestionnaires/">' in page.content.decode()
    assert f'<input type="hidden" name="remove" value="{manager_b.pk}">' in page.content.decode()
    assert set(canteen_a.managers.all()) == {manager_a, manager_b}  # the GET changed nothing
    done = client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"remove": manager_b.pk}, follow=True)
    assert list(canteen_a.managers.all()) == [manager_a]
    assert "b@example.org ne gère plus cette cantine." in text(done)


def test_leaving_is_confirmed_then_done(client, manager_a, manager_b, canteen_a):
    canteen_a.managers.add(manager_b)
    client.force_login(manager_b)
    shown = text(client.get(confirm_url(canteen_a, manager_b)))
    assert "Quitter la gestion de « École des Lilas » ?" in shown and "Quitter la cantine" in shown
    left = client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"remove": manager_b.pk})
    assert left.status_code == 302 and left["Location"] == "/mes-cantines/"
    assert list(canteen_a.managers.all()) == [manager_a]


def test_the_last_manager_is_not_offered_to_leave(client, manager_a, canteen_a):
    client.force_login(manager_a)
    response = client.get(confirm_url(canteen_a, manager_a), follow=True)
    assert response.redirect_chain == [(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", 302)]
    assert "Une cantine garde au moins un gestionnaire." in text(response)
    assert list(canteen_a.managers.all()) == [manager_a]


def test_only_the_canteens_managers_see_the_confirmation(client, manager_a, manager_b, canteen_a, canteen_b, staff):
    canteen_a.managers.add(UserFactory(email="c@example.org"))
    anonymous = client.get(confirm_url(canteen_a, manager_a))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/compte/connexion/?next=")
    client.force_login(manager_b)  # a manager of another canteen: the canteen is not found for them
    assert client.get(confirm_url(canteen_a, manager_a)).status_code == 404
    assert client.post(f"/mes-cantines/{canteen_a.pk}/gestionnaires/", {"remove": manager_a.pk}).status_code == 404
    client.force_login(manager_a)  # someone who does not manage this canteen cannot be removed from it
    assert client.get(confirm_url(canteen_a, manager_b)).status_code == 404
    assert client.post(confirm_url(canteen_a, manager_a)).status_code == 405  # the page only shows; POST elsewhere
    client.force_login(staff)
    assert client.get(confirm_url(canteen_a, manager_a)).status_code == 200
    assert canteen_a.managers.filter(pk=manager_a.pk).exists()
    assert canteen_b.managers.filter(pk=manager_b.pk).exists()
