"""Router of the JSON API, mounted at /api/v1/. Each app contributes its endpoints here."""

from django.urls import path  # noqa: F401

app_name = "api"
urlpatterns = []
