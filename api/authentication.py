"""`Authorization: Bearer mc_…`: the user's API tokens (see models.ApiToken), and scope checks."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AbstractAccessToken
from rest_framework import authentication, exceptions, permissions

from .models import TOKEN_PREFIX, ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _space, secret = header.strip().partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        secret = secret.strip()
        if not secret or " " in secret:
            raise exceptions.AuthenticationFailed(_("En-tête Authorization invalide : « Bearer <jeton> » attendu."))
        if not secret.startswith(TOKEN_PREFIX):
            return None  # not a personal token: an OAuth access token (OAuthAuthentication), or nothing
        token = ApiToken.find(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Jeton d'API inconnu ou révoqué."))
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("Jeton d'API personnel, créé depuis la page « Mes jetons d'API » (/compte/jetons/)."),
        }


class OAuthAuthentication(OAuth2Authentication):
    """An OAuth 2.0 access token of a third-party application (django-oauth-toolkit), for an active user.
    An unknown or expired token is refused (401), as a personal token is."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _space, secret = header.strip().partition(" ")
        if keyword.lower() != "bearer" or not secret.strip():
            return None
        result = super().authenticate(request)
        if result is None or not result[0].is_active:
            raise exceptions.AuthenticationFailed(_("Jeton d'API inconnu, expiré ou révoqué."))
        return result

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class OAuthScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.OAuthAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        from .models import SCOPES

        return {
            "type": "oauth2",
            "description": _(
                "Applications tierces enregistrées par un administrateur : code d'autorisation + PKCE "
                "(S256). Voir /.well-known/oauth-authorization-server."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/o/authorize/",
                    "tokenUrl": "/o/token/",
                    "refreshUrl": "/o/token/",
                    "scopes": {scope: str(label) for scope, label in SCOPES.items()},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        return {self.name: list(getattr(auto_schema.view, "required_scopes", []))}


def token_scopes(token) -> set:
    """The scopes of a personal token or of a valid OAuth access token (empty when expired or revoked)."""
    if isinstance(token, ApiToken):
        return set(token.scopes or []) if token.is_active else set()
    if isinstance(token, AbstractAccessToken):
        return set(token.scope.split()) if not token.is_expired() else set()
    return set()


class HasScope(permissions.BasePermission):
    """A token (personal or OAuth) with every scope in the view's `required_scopes` (401 without a token,
    403 without the scope)."""

    message = _("Ce jeton n'a pas le droit nécessaire (%(scopes)s).")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken | AbstractAccessToken):
            raise exceptions.NotAuthenticated(_("Authentification requise : « Authorization: Bearer <jeton> »."))
        granted = token_scopes(token)
        missing = [scope for scope in getattr(view, "required_scopes", ()) if scope not in granted]
        if missing:
            raise exceptions.PermissionDenied(self.message % {"scopes": ", ".join(missing)})
        return True
