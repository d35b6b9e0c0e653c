"""Finding 14: the anonymous poster (one WeasyPrint render each) had no rate limit: 12 renders in 2 s."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(POSTER_RATE_LIMIT="1/m")
def test_the_anonymous_poster_is_rate_limited_per_ip(client):
    client.post("/diagnostic/", {"department": "35", "year": "2025", "daily_meals": "150"})
    client.post(
        "/diagnostic/qualite/",
        {"total": "10000", "bio": "1200", "siqo": "800", "environmental": "0", "other_egalim": "500"},
    )
    assert client.get("/diagnostic/resultats/affiche.pdf").status_code == 200
    response = client.get("/diagnostic/resultats/affiche.pdf")
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()
