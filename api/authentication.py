"""`Authorization: Bearer mc_…`: the user's API tokens (see models.ApiToken), and scope checks."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from .models import ApiToken


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
            "description": "Jeton d'API personnel, créé depuis la page « Mes jetons d'API » (/compte/jetons/).",
        }


class HasScope(permissions.BasePermission):
    """An API token with every scope in the view's `required_scopes` (401 without a token, 403 without the scope)."""

    message = _("Ce jeton n'a pas le droit nécessaire (%(scopes)s).")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(_("Authentification requise : « Authorization: Bearer <jeton> »."))
        required = getattr(view, "required_scopes", ())
        missing = [scope for scope in required if not token.has_scope(scope)]
        if missing:
            raise exceptions.PermissionDenied(self.message % {"scopes": ", ".join(missing)})
        return True
