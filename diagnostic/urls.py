"""Pages of the calculator and autodiagnostic, included in the i18n patterns (/diagnostic/, /en/diagnostic/)."""

from django.urls import path

from . import views

app_name = "diagnostic"
urlpatterns = [
    path("diagnostic/", views.step_view, name="start"),
    path("diagnostic/resultats/", views.results, name="results"),
    path("diagnostic/resultats/imprimer/", views.results_print, name="print"),
    path("diagnostic/recommencer/", views.restart, name="restart"),
    path("diagnostic/qualite/detail/", views.quality_detail, name="quality_detail"),
    path("diagnostic/<slug:slug>/", views.step_view, name="step"),
]
