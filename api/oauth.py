"""OAuth 2.0 for third-party applications (django-oauth-toolkit): authorization code with PKCE (S256).

- `/o/authorize/` (the French consent screen, home/templates/oauth2_provider/authorize.html), `/o/token/`,
  `/o/revoke_token/`, `/o/introspect/`: django-oauth-toolkit's base views only; its own application
  management views are not mounted: applications are registered by an administrator in the Wagtail admin
  (*Paramètres > Applications OAuth*, `api/wagtail_hooks.py`).
- `/.well-known/oauth-authorization-server`: the server's metadata (RFC 8414).
- Scopes are the personal tokens' ones (`api.models.SCOPES`); `HasScope` checks them on both kinds of token.
- A manager sees the applications they authorised, with what each may do, and revokes them at
  `/compte/jetons/` (« Applications autorisées »).
"""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from oauth2_provider.scopes import BaseScopes

from .models import CANTEENS_READ, SCOPES


class ScopesBackend(BaseScopes):
    """The API's scopes, from one list (api.models.SCOPES), with their French descriptions for consent."""

    def get_all_scopes(self):
        return {scope: str(label) for scope, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return list(SCOPES)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return [CANTEENS_READ]


def authorized_applications(user):
    """The applications `user` authorised and that still hold a valid token: [(application, scopes, last)]."""
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    AccessToken = get_access_token_model()
    RefreshToken = get_refresh_token_model()
    by_application = {}
    now = timezone.now()
    for token in AccessToken.objects.filter(user=user, expires__gt=now).select_related("application"):
        entry = by_application.setdefault(token.application_id, {"application": token.application, "scopes": set()})
        entry["scopes"].update(token.scope.split())
    for token in RefreshToken.objects.filter(user=user, revoked__isnull=True).select_related("application"):
        entry = by_application.setdefault(token.application_id, {"application": token.application, "scopes": set()})
        if token.access_token_id is None:
            continue
        entry["scopes"].update(token.access_token.scope.split())
    result = []
    for entry in sorted(by_application.values(), key=lambda entry: entry["application"].name):
        if entry["application"] is None:
            continue
        entry["scope_labels"] = [(scope, str(SCOPES[scope])) for scope in SCOPES if scope in entry["scopes"]]
        result.append(entry)
    return result


def revoke_application(user, application_id) -> int:
    """Revoke every token `user` gave `application_id` (access and refresh); the number revoked."""
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    count = 0
    for token in get_refresh_token_model().objects.filter(
        user=user, application_id=application_id, revoked__isnull=True
    ):
        token.revoke()
        count += 1
    for token in get_access_token_model().objects.filter(user=user, application_id=application_id):
        token.revoke()
        count += 1
    return count


@require_GET
def authorization_server_metadata(request):
    """RFC 8414 metadata: where to authorize, get and revoke tokens, which scopes and methods."""

    def url(name):
        return request.build_absolute_uri(reverse(name))

    return JsonResponse(
        {
            "issuer": request.build_absolute_uri("/")[:-1],
            "authorization_endpoint": url("oauth2_provider:authorize"),
            "token_endpoint": url("oauth2_provider:token"),
            "revocation_endpoint": url("oauth2_provider:revoke-token"),
            "introspection_endpoint": url("oauth2_provider:introspect"),
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "service_documentation": url("api:docs"),
            "ui_locales_supported": ["fr"],
        }
    )
