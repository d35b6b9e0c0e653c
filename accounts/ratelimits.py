"""Rate limits of the login forms (django-ratelimit, counted in the default cache)."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from .backends import account_key


def _rate(name):
    def rate(group, request):
        return getattr(settings, name)

    return rate


def limited(request, group, setting="LOGIN_RATE_LIMIT", field="username"):
    """True when this POST goes over the limit, per client IP or per submitted e-mail address."""
    if request.method != "POST":
        return False
    by_ip = is_ratelimited(request, group=group, key="ip", rate=_rate(setting), method="POST", increment=True)
    by_account = is_ratelimited(
        request,
        group=f"{group}:account",
        key=lambda group, request: account_key(request.POST.get(field)),
        rate=_rate(setting),
        method="POST",
        increment=True,
    )
    return by_ip or by_account


def too_many_attempts(request):
    return render(request, "accounts/rate_limited.html", status=429)
