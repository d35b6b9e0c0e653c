"""Wagtail's own login and password-reset views (/admin/login/, /admin/password_reset/), held to the limits of
the public forms and closed to accounts that have no access to the admin.

Wagtail mounts its views under /admin/; config/urls.py routes these two paths here first. They count in the
same rate-limit groups as accounts/views.py (one budget per IP address and per account, whichever form is
used), a manager who is not an editor cannot open an admin session (same message as a wrong password: the
form does not tell which accounts exist or are editors) and the admin's reset form mails only editors.
"""

from wagtail.admin.forms.auth import LoginForm, PasswordResetForm
from wagtail.admin.views import account as wagtail_account

from .ratelimits import limited, too_many_attempts

ADMIN_PERMISSION = "wagtailadmin.access_admin"


class AdminLoginForm(LoginForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.has_perm(ADMIN_PERMISSION):
            raise self.get_invalid_login_error()


class AdminPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if user.has_perm(ADMIN_PERMISSION))


class AdminLoginView(wagtail_account.LoginView):
    def get_form_class(self):
        return AdminLoginForm

    def post(self, request, *args, **kwargs):
        if limited(request, "accounts.login"):
            return too_many_attempts(request)
        return super().post(request, *args, **kwargs)


class AdminPasswordResetView(wagtail_account.PasswordResetView):
    def get_form_class(self):
        return AdminPasswordResetForm

    def post(self, request, *args, **kwargs):
        if limited(request, "accounts.password_reset", setting="MAGIC_LINK_RATE_LIMIT", field="email"):
            return too_many_attempts(request)
        return super().post(request, *args, **kwargs)
