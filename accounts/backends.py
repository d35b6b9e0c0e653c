import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalise_email(value) -> str:
    """The one form of an e-mail address used wherever one is compared, stored or used as a key: Unicode NFKC
    (full-width and compatibility characters folded) then casefold, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def account_key(value) -> str:
    """The rate-limit key of a submitted address: the account it logs into when there is one, so that a
    look-alike spelling the database matches (« alıce@ » is « ALICE@ » for PostgreSQL's UPPER()) counts against
    the same account; the normalised address otherwise."""
    email = normalise_email(value)
    if not email:
        return ""
    pk = get_user_model().objects.filter(email__iexact=email).order_by("pk").values_list("pk", flat=True).first()
    return f"account:{pk}" if pk is not None else email


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (case-insensitive) or, for the admin's historical accounts, the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        users = User.objects.filter(email__iexact=normalise_email(username)).order_by("pk")
        candidates = list(users[:2]) or list(User.objects.filter(username=username))
        if len(candidates) != 1:
            User().set_password(password)  # same cost as a real check (timing)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_user_by_email(email):
    """The one user with this e-mail address, or None (also None when several accounts share it)."""
    users = list(get_user_model().objects.filter(email__iexact=normalise_email(email))[:2])
    return users[0] if len(users) == 1 else None
