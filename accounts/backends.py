from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (case-insensitive) or, for the admin's historical accounts, the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        users = User.objects.filter(email__iexact=username.strip()).order_by("pk")
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
    users = list(get_user_model().objects.filter(email__iexact=(email or "").strip())[:2])
    return users[0] if len(users) == 1 else None
