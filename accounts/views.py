from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .backends import find_user_by_email
from .emails import send_activation, send_already_registered, send_magic_link
from .forms import (
    DsfrPasswordChangeForm,
    DsfrPasswordResetForm,
    DsfrSetPasswordForm,
    EmailForm,
    LoginForm,
    ProfileForm,
    SignupForm,
)
from .models import Profile
from .ratelimits import limited, too_many_attempts
from .tokens import activation_token, read_magic_token

BACKEND = "accounts.backends.EmailBackend"


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if limited(request, "accounts.signup", field="email"):
            return too_many_attempts(request)
        if form.is_valid():
            if form.existing is not None:  # same answer as a new sign-up; the owner is told by e-mail
                send_already_registered(request, form.existing)
                return render(request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]})
            user = form.save()
            send_activation(request, user)
            return render(request, "accounts/signup_done.html", {"email": user.email})
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def activate(request, uidb64, token):
    """GET shows a button (a link opened by a mail scanner, or planted on another site, logs no one in: no
    login CSRF); POST activates and logs in. Only an account never used: a deactivated one stays so."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or user.last_login is not None or not activation_token.check_token(user, token):
        return render(request, "accounts/activation_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "accounts/activation_confirm.html", {"account": user})
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend=BACKEND)
    messages.success(request, _("Votre adresse e-mail est vérifiée, votre compte est activé. Bienvenue !"))
    return redirect(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if limited(request, "accounts.login"):
            return too_many_attempts(request)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_http_methods(["GET", "POST"])
def magic_link_request(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if limited(request, "accounts.magic_link", setting="MAGIC_LINK_RATE_LIMIT", field="email"):
            return too_many_attempts(request)
        if form.is_valid():
            user = find_user_by_email(form.cleaned_data["email"])
            if user is not None and user.is_active:
                send_magic_link(request, user)
            # Same answer whether the account exists or not.
            return render(request, "accounts/magic_link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/magic_link_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def magic_link_login(request, token):
    """GET shows a button (mail scanners that open links must not spend the single-use token); POST logs in."""
    user = read_magic_token(token)
    if user is None:
        return render(request, "accounts/magic_link_invalid.html", status=400)
    if request.method == "POST":
        login(request, user, backend=BACKEND)
        return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/magic_link_confirm.html", {"account": user})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=Profile.for_user(request.user), user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = DsfrPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if limited(request, "accounts.password_reset", setting="MAGIC_LINK_RATE_LIMIT", field="email"):
            return too_many_attempts(request)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = DsfrSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    form_class = DsfrPasswordChangeForm

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est modifié."))
        return super().form_valid(form)
