"""E-mails of the accounts app: plain text, rendered from templates/accounts/emails/."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tokens import MAGIC_LINK_MAX_AGE, activation_token, make_magic_token


def send_templated(template, to, context, request=None):
    """Send templates/<template>_subject.txt and <template>.txt to the `to` addresses."""
    # one line, whatever the names put in it hold (a CR in an old canteen name made the header invalid: 500)
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, request).split())
    body = render_to_string(f"{template}.txt", context, request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(to))


def send_activation(request, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = request.build_absolute_uri(reverse("accounts:activate", args=[uid, activation_token.make_token(user)]))
    send_templated("accounts/emails/activation", [user.email], {"user": user, "url": url}, request)


def send_magic_link(request, user):
    url = request.build_absolute_uri(reverse("accounts:magic_link_login", args=[make_magic_token(user)]))
    context = {"user": user, "url": url, "minutes": MAGIC_LINK_MAX_AGE // 60}
    send_templated("accounts/emails/magic_link", [user.email], context, request)


def send_already_registered(request, user):
    """Someone signed up with the address of an existing account: tell its owner (the page said nothing)."""
    context = {
        "user": user,
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
    }
    send_templated("accounts/emails/already_registered", [user.email], context, request)
