"""Pages of the calculator and autodiagnostic, mounted at /diagnostic/ (and /en/diagnostic/) by config/urls.py: the
app owns that prefix (docs/decisions/0011-url-prefixes.md)."""

from django.urls import path

from . import views

app_name = "diagnostic"
urlpatterns = [
    path("", views.step_view, name="start"),
    path("resultats/", views.results, name="results"),
    path("resultats/imprimer/", views.results_print, name="print"),
    # The poster of the anonymous diagnostic (its answers are in the session)
    path("resultats/affiche.pdf", views.poster, name="poster"),
    path("recommencer/", views.restart, name="restart"),
    path("qualite/detail/", views.quality_detail, name="quality_detail"),
    path("<slug:slug>/", views.step_view, name="step"),
]
