"""/compte/jetons/ (included in the i18n patterns by config/urls.py, before accounts' own /compte/ URLs)."""

from django.urls import path

from . import account

app_name = "api_tokens"
urlpatterns = [
    path("", account.tokens, name="list"),
    path("<int:pk>/revoquer/", account.revoke, name="revoke"),
    path("applications/<int:pk>/revoquer/", account.revoke_app, name="revoke_app"),
]
