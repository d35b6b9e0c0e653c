"""ProConnect (OpenID Connect) login through mozilla-django-oidc, switched on by the OIDC_* variables."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .backends import normalise_email
from .models import Profile


class ProConnectBackend(OIDCAuthenticationBackend):
    """Finds the account by its (verified) e-mail address; creates an active one on first login."""

    def filter_users_by_claims(self, claims):
        email = normalise_email(claims.get("email"))
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims):
        email = normalise_email(claims["email"])
        user = self.UserModel.objects.create_user(
            username=email,
            email=email,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("usual_name", claims.get("family_name", ""))[:150],
        )
        Profile.objects.create(user=user)
        return user

    def update_user(self, user, claims):
        if not user.is_active and user.last_login is None:
            # A sign-up whose e-mail was never verified: the identity provider has just verified it. Its password
            # was chosen by whoever filled the sign-up form, maybe not the address's owner: it stops working.
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        # An account deactivated after use (by an administrator) stays inactive: the callback refuses the login.
        return user
