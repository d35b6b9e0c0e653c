"""Router of the JSON API, mounted at /api/v1/. Each app contributes its endpoints here."""

from django.urls import path  # noqa: F401  (apps add their endpoints here)

from canteens import api as canteens_api
from diagnostic import api as diagnostic_api

app_name = "api"
urlpatterns = [
    path("egalim/evaluate/", diagnostic_api.EvaluateView.as_view(), name="egalim-evaluate"),
    path("egalim/thresholds/", diagnostic_api.ThresholdsView.as_view(), name="egalim-thresholds"),
    path("canteens/<int:pk>/", canteens_api.PublicCanteenView.as_view(), name="canteen-public"),
]


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema describes /api/v1/ only, not the admin's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
