"""sitemap.xml (Wagtail pages of both languages, registry canteen pages) and robots.txt."""

import re

import pytest

from tests.factories import CanteenFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_both_languages_and_the_listed_canteens(client, home_page_en, django_assert_max_num_queries):
    listed = CanteenFactory(name="École des Lilas")
    YearlyDiagnosticFactory(canteen=listed, year=2024, is_published=True)
    unlisted = CanteenFactory(name="Cantine sans année publiée")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    # Pages get the Wagtail site's address (hostname "localhost" in the tests).
    assert re.search(r"<loc>http://[^/<]+/</loc>", xml)
    assert re.search(r"<loc>http://[^/<]+/en/</loc>", xml)
    assert f"<loc>http://testserver/cantines/{listed.pk}-ecole-des-lilas/</loc>" in xml
    assert f"<loc>http://testserver/en/cantines/{listed.pk}-ecole-des-lilas/</loc>" in xml
    assert f"/cantines/{unlisted.pk}-" not in xml
    # Constant number of queries, whatever the number of canteens.
    for n in range(5):
        YearlyDiagnosticFactory(canteen=CanteenFactory(name=f"Cantine {n}"), year=2024, is_published=True)
    with django_assert_max_num_queries(12):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_announces_the_sitemap_and_keeps_private_areas_out(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /mes-cantines/" in text
