"""Router of the JSON API, mounted at /api/v1/. Each app contributes its endpoints here."""

from django.urls import path  # noqa: F401  (apps add their endpoints here)

from api import declarations as api_declarations
from api import reference as api_reference
from api import schema as api_schema
from api import views as api_views
from diagnostic import api as diagnostic_api

# URL namespace "api" (the Django app of the same label is the `api/` package: a different registry).
# Wagtail's endpoints (pages/, images/, documents/) are mounted next to this module by config/urls.py.
app_name = "api"
urlpatterns = [
    path("egalim/evaluate/", diagnostic_api.EvaluateView.as_view(), name="egalim-evaluate"),
    path("egalim/thresholds/", diagnostic_api.ThresholdsView.as_view(), name="egalim-thresholds"),
    path("resources/", api_views.ResourceListView.as_view(), name="resource-list"),
    path("resources/<int:pk>/", api_views.ResourceDetailView.as_view(), name="resource-detail"),
    path("measures/", api_views.MeasureListView.as_view(), name="measure-list"),
    path("mail-templates/", api_views.MailTemplateListView.as_view(), name="mail-template-list"),
    path("kits/", api_views.KitListView.as_view(), name="kit-list"),
    path("canteens/", api_views.CanteenListView.as_view(), name="canteen-list"),
    path("canteens/<int:pk>/", api_views.CanteenDetailView.as_view(), name="canteen-public"),
    path(
        "canteens/<int:pk>/diagnostics/",
        api_views.CanteenDiagnosticCreateView.as_view(),
        name="canteen-diagnostic-create",
    ),
    path(
        "canteens/<int:pk>/declarations/",
        api_declarations.CanteenDeclarationView.as_view(),
        name="canteen-declarations",
    ),
    path("canteens/siret/<str:siret>/", api_declarations.CanteenBySiretView.as_view(), name="canteen-siret"),
    path("canteens/siren/<str:siren>/", api_declarations.CanteenBySirenView.as_view(), name="canteen-siren"),
    path("reference/", api_reference.ReferenceIndexView.as_view(), name="reference-index"),
    path("reference/<str:name>/", api_reference.ReferenceDetailView.as_view(), name="reference-detail"),
    path("statistics/", api_reference.StatisticsView.as_view(), name="statistics"),
    path("me/canteens/", api_views.ManagedCanteenListView.as_view(), name="me-canteen-list"),
    path("schema/", api_schema.SchemaView.as_view(), name="schema"),
    path("docs/", api_schema.docs, name="docs"),
]


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema describes /api/v1/ only, not the admin's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
