"""Taxonomy in the admin: measures have fixed codes (no add, no delete, code read-only)."""

import pytest

from resources.models import Audience, Measure
from tests.factories import taxonomy_term

pytestmark = pytest.mark.django_db


def test_measure_cannot_be_deleted_from_the_admin(admin_client, home_page):
    measure = taxonomy_term(Measure, "waste")
    url = f"/admin/snippets/resources/measure/delete/{measure.pk}/"
    assert admin_client.get(url).status_code in (302, 403)
    assert admin_client.post(url).status_code in (302, 403)
    assert Measure.objects.filter(pk=measure.pk).exists()

    bulk = f"/admin/bulk/resources/measure/delete/?id={measure.pk}"
    admin_client.post(bulk)
    assert Measure.objects.filter(pk=measure.pk).exists()

    listing = admin_client.get("/admin/snippets/resources/measure/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Lutte contre le gaspillage alimentaire et dons" in html
    assert "/admin/snippets/resources/measure/add/" not in html
    assert f"/admin/snippets/resources/measure/delete/{measure.pk}/" not in html


def test_no_measure_can_be_added(admin_client, home_page):
    response = admin_client.post("/admin/snippets/resources/measure/add/", {"code": "sixth", "name": "Sixième"})
    assert response.status_code in (302, 403)
    assert not Measure.objects.filter(code="sixth").exists()


def test_measure_name_is_editable_but_not_its_code(admin_client, home_page):
    measure = taxonomy_term(Measure, "plastic")
    url = f"/admin/snippets/resources/measure/edit/{measure.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"code": "plastique", "name": "Substitution des plastiques (loi AGEC)", "description": "", "sort_order": 4}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert measure.name == "Substitution des plastiques (loi AGEC)"
    assert measure.code == "plastic"


def test_other_taxonomies_can_be_deleted_when_unused(admin_client, home_page):
    audience = Audience.objects.create(code="test", name="Public test", locale=taxonomy_term(Measure, "waste").locale)
    response = admin_client.post(f"/admin/snippets/resources/audience/delete/{audience.pk}/")
    assert response.status_code == 302
    assert not Audience.objects.filter(pk=audience.pk).exists()
