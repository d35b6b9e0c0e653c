"""Managers: invitations by e-mail, their acceptance on login, requests to join a canteen."""

from django.urls import reverse

from accounts.backends import find_user_by_email, normalise_email
from accounts.emails import send_templated

from .models import ManagerInvitation


def invite(request, canteen, email):
    """Add `email` as a manager of `canteen`: at once when an active account has it, by invitation otherwise.

    Returns "added", "invited" or "already".
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    context = {"canteen": canteen, "inviter": request.user}
    if user is not None and user.is_active:
        if canteen.managers.filter(pk=user.pk).exists():
            return "already"
        canteen.managers.add(user)
        context["url"] = request.build_absolute_uri(canteen.get_absolute_url())
        send_templated("canteens/emails/manager_added", [user.email], context, request)
        return "added"
    _invitation, created = ManagerInvitation.objects.get_or_create(
        canteen=canteen, email=email, defaults={"invited_by": request.user}
    )
    context["url"] = request.build_absolute_uri(reverse("accounts:signup"))
    send_templated("canteens/emails/invitation", [email], context, request)
    return "invited" if created else "already"


def accept_invitations(user):
    """Make `user` a manager of every canteen their e-mail address was invited to. Returns the canteens."""
    if not user.email or not user.is_active:
        return []
    invitations = list(ManagerInvitation.objects.filter(email__iexact=user.email).select_related("canteen"))
    canteens = [invitation.canteen for invitation in invitations]
    for canteen in canteens:
        canteen.managers.add(user)
    ManagerInvitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).delete()
    return canteens


def accept_on_login(sender, request, user, **kwargs):
    accept_invitations(user)


def ask_to_join(request, canteen):
    """E-mail the canteen's managers that the current user asks to join them (a fixed text: no free message
    sent from the site's address to people the requester does not know)."""
    recipients = [manager.email for manager in canteen.managers.all() if manager.email]
    if not recipients:
        return False
    url = request.build_absolute_uri(reverse("canteens:managers", args=[canteen.pk]))
    context = {"canteen": canteen, "requester": request.user, "url": url}
    send_templated("canteens/emails/join_request", recipients, context, request)
    return True
