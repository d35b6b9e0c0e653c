"""The managers of a canteen: the list, invitations, and the confirmation page of « Retirer » / « Quitter »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import InviteForm
from .invitations import invite
from .models import ManagerInvitation
from .permissions import MANAGE, get_canteen_for
from .views.shared import _form_status, _int_or_404


@login_required
@require_http_methods(["GET", "POST"])
def managers(request, pk):
    canteen = get_canteen_for(request.user, pk, MANAGE)
    form = InviteForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST":
        if "remove" in request.POST:  # posted by the confirmation page (manager_remove)
            user = canteen.managers.filter(pk=_int_or_404(request.POST["remove"])).first()
            if user is None:
                raise Http404
            if canteen.managers.count() <= 1:
                messages.error(request, _("Une cantine garde au moins un gestionnaire."))
            else:
                canteen.managers.remove(user)
                messages.success(request, _("%(email)s ne gère plus cette cantine.") % {"email": user.email})
                if user == request.user:
                    return redirect("canteens:list")
            return redirect("canteens:managers", pk=canteen.pk)
        if "cancel_invitation" in request.POST:
            invitation = _int_or_404(request.POST["cancel_invitation"])
            ManagerInvitation.objects.filter(canteen=canteen, pk=invitation).delete()
            return redirect("canteens:managers", pk=canteen.pk)
        if form.is_valid():
            outcome = invite(request, canteen, form.cleaned_data["email"])
            text = {
                "added": _("%(email)s est ajouté·e aux gestionnaires et prévenu·e par e-mail."),
                "invited": _(
                    "Une invitation est envoyée à %(email)s : la cantine lui sera rattachée à son inscription."
                ),
                "already": _("%(email)s gère déjà cette cantine ou a déjà été invité·e."),
            }[outcome]
            messages.success(request, text % {"email": form.cleaned_data["email"]})
            return redirect("canteens:managers", pk=canteen.pk)
    context = {
        "canteen": canteen,
        "managers": canteen.managers.order_by("last_name", "email"),
        "invitations": canteen.invitations.order_by("email"),
        "form": form,
    }
    return render(request, "canteens/managers.html", context, status=_form_status(request))


@login_required
@require_http_methods(["GET"])
def manager_remove(request, pk, user_pk):
    """The confirmation page of « Retirer » (someone else) and « Quitter » (oneself); its form posts `remove` to
    the managers page, which keeps the rule: a canteen keeps at least one manager."""
    canteen = get_canteen_for(request.user, pk, MANAGE)
    user = canteen.managers.filter(pk=user_pk).first()
    if user is None:
        raise Http404("not a manager of this canteen")
    url = reverse("canteens:managers", args=[canteen.pk])
    if canteen.managers.count() <= 1:
        messages.error(request, _("Une cantine garde au moins un gestionnaire."))
        return redirect(url)
    if user == request.user:
        context = {
            "confirm_title": _("Quitter la gestion de « %(name)s » ?") % {"name": canteen.name},
            "confirm_text": _(
                "Vous ne pourrez plus modifier la cantine, ses diagnostics ni ses télédéclarations. Pour la gérer de "
                "nouveau, il faudra qu'un·e autre gestionnaire vous ajoute."
            ),
            "confirm_label": _("Quitter la cantine"),
        }
    else:
        who = user.get_full_name() or user.email
        context = {
            "confirm_title": _("Retirer %(who)s des gestionnaires de « %(name)s » ?")
            % {"who": who, "name": canteen.name},
            "confirm_text": _(
                "%(email)s ne pourra plus modifier la cantine, ses diagnostics ni ses télédéclarations. Vous pourrez "
                "l'inviter de nouveau."
            )
            % {"email": user.email},
            "confirm_label": _("Retirer ce gestionnaire"),
        }
    context.update({"action_url": url, "cancel_url": url, "confirm_fields": [("remove", user.pk)]})
    return render(request, "confirm.html", context)
