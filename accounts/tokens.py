"""Signed tokens: account activation (e-mail verification) and one-time login links."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

MAGIC_LINK_MAX_AGE = 15 * 60  # seconds
MAGIC_LINK_SALT = "accounts.magic-link"


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is active and has logged in once (so it works once), for PASSWORD_RESET_TIMEOUT
    seconds. Deactivating an account later does not bring its old link back: the last login is in the hash."""

    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # The password hash too: a new sign-up over a pending one (new password) voids the links sent before.
        login = user.last_login.replace(microsecond=0, tzinfo=None).isoformat() if user.last_login else ""
        return f"{user.pk}{user.email}{user.is_active}{user.password}{login}{timestamp}"


activation_token = ActivationTokenGenerator()


def _login_state(user):
    return user.last_login.isoformat() if user.last_login else ""


def make_magic_token(user) -> str:
    """A link token for `user`, valid MAGIC_LINK_MAX_AGE seconds and until the user's next login (single use)."""
    return signing.TimestampSigner(salt=MAGIC_LINK_SALT).sign_object({"u": user.pk, "l": _login_state(user)})


def read_magic_token(token: str):
    """The active user the token was made for, or None when it is forged, expired or already used."""
    try:
        data = signing.TimestampSigner(salt=MAGIC_LINK_SALT).unsign_object(token, max_age=MAGIC_LINK_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _login_state(user) != data.get("l"):
        return None
    return user
