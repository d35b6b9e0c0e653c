"""Router of the JSON API, mounted at /api/v1/. Each app contributes its endpoints here."""

from django.urls import path  # noqa: F401  (apps add their endpoints here)

from api import schema as api_schema
from api.views import (
    canteens,
    declarations,
    egalim,
    figures,
    geo,
    manage,
    purchases,
    reference,
    resources,
    statistics,
)

# URL namespace "api" (the Django app of the same label is the `api/` package: a different registry).
# Wagtail's endpoints (pages/, images/, documents/) are mounted next to this module by config/urls.py.
app_name = "api"
urlpatterns = [
    path("egalim/evaluate/", egalim.EvaluateView.as_view(), name="egalim-evaluate"),
    path("egalim/thresholds/", egalim.ThresholdsView.as_view(), name="egalim-thresholds"),
    path("resources/", resources.ResourceListView.as_view(), name="resource-list"),
    path("resources/<int:pk>/", resources.ResourceDetailView.as_view(), name="resource-detail"),
    path("measures/", resources.MeasureListView.as_view(), name="measure-list"),
    path("mail-templates/", resources.MailTemplateListView.as_view(), name="mail-template-list"),
    path("kits/", resources.KitListView.as_view(), name="kit-list"),
    path("canteens/", manage.CanteenListCreateView.as_view(), name="canteen-list"),
    path("canteens/geo/", geo.CanteenGeoView.as_view(), name="canteen-geo"),
    path("canteens/<int:pk>/", manage.CanteenDetailUpdateView.as_view(), name="canteen-public"),
    path("canteens/<int:pk>/managers/", manage.CanteenManagersView.as_view(), name="canteen-managers"),
    path("canteens/<int:pk>/satellites/", manage.CanteenSatellitesView.as_view(), name="canteen-satellites"),
    path(
        "canteens/<int:pk>/satellites/<int:satellite_id>/",
        manage.CanteenSatelliteDetailView.as_view(),
        name="canteen-satellite-detail",
    ),
    path("canteens/<int:pk>/purchases/", purchases.CanteenPurchasesView.as_view(), name="canteen-purchases"),
    path(
        "canteens/<int:pk>/purchases/<int:purchase_id>/",
        purchases.CanteenPurchaseDetailView.as_view(),
        name="canteen-purchase-detail",
    ),
    path(
        "canteens/<int:pk>/diagnostics/",
        canteens.CanteenDiagnosticCreateView.as_view(),
        name="canteen-diagnostic-create",
    ),
    path(
        "canteens/<int:pk>/diagnostics/<int:year>/",
        figures.CanteenYearFiguresView.as_view(),
        name="canteen-diagnostic-figures",
    ),
    path(
        "canteens/<int:pk>/declarations/",
        declarations.CanteenDeclarationView.as_view(),
        name="canteen-declarations",
    ),
    path("canteens/siret/<str:siret>/", declarations.CanteenBySiretView.as_view(), name="canteen-siret"),
    path("canteens/siren/<str:siren>/", declarations.CanteenBySirenView.as_view(), name="canteen-siren"),
    path("reference/", reference.ReferenceIndexView.as_view(), name="reference-index"),
    path("reference/<str:name>/", reference.ReferenceDetailView.as_view(), name="reference-detail"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("me/", manage.UserInfoView.as_view(), name="me"),
    path("me/canteens/", canteens.ManagedCanteenListView.as_view(), name="me-canteen-list"),
    path("schema/", api_schema.SchemaView.as_view(), name="schema"),
    path("docs/", api_schema.docs, name="docs"),
]


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema describes /api/v1/ only, not the admin's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
