"""Canteens: the manager's list, creation, detail, edit, central kitchen agreement, join requests.

The public page of a canteen is territories' (territories/views/canteen_page.py): territories owns /cantines/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import too_many_attempts
from egalim.rules import FIRST_YEAR, LAST_YEAR

from ..choices import Production
from ..forms import CanteenForm, JoinRequestForm
from ..invitations import ask_to_join
from ..models import Canteen, YearlyDiagnostic
from ..permissions import EDIT, MANAGE, VIEW, can, get_canteen_for
from ..results import history
from .shared import _form_status, join_requests_limited


@login_required
def canteen_list(request):
    diagnostics = Prefetch("diagnostics", queryset=YearlyDiagnostic.objects.order_by("-year"))
    canteens = list(Canteen.objects.managed_by(request.user).prefetch_related(diagnostics))
    central_kitchens = [c.pk for c in canteens if c.is_central_kitchen and c.siret]
    satellites = []  # delivered by my central kitchens, which their managers agreed to: I may fill their purchases
    if central_kitchens:
        satellites = list(
            Canteen.objects.filter(
                production_type=Production.SATELLITE,
                confirmed_central_kitchen__in=central_kitchens,
                central_kitchen_siret=F("confirmed_central_kitchen__siret"),
            )
            .exclude(pk__in=[c.pk for c in canteens])
            .order_by("name")
        )
    return render(request, "canteens/canteen_list.html", {"canteens": canteens, "satellites": satellites})


@login_required
@require_http_methods(["GET", "POST"])
def canteen_create(request):
    form = CanteenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            canteen = form.save()
            canteen.managers.add(request.user)
        messages.success(request, _("La cantine « %(name)s » est enregistrée.") % {"name": canteen.name})
        return redirect(canteen)
    return render(
        request,
        "canteens/canteen_form.html",
        {"form": form, "duplicate": form.duplicate},
        status=_form_status(request),
    )


@login_required
def canteen_detail(request, pk):
    canteen = get_canteen_for(request.user, pk, VIEW)
    diagnostics = list(canteen.diagnostics.all())
    this_year = timezone.localdate().year
    context = {
        "canteen": canteen,
        "history": history(canteen, diagnostics),
        "years": [year for year in range(min(this_year, LAST_YEAR), FIRST_YEAR - 1, -1)],
        "can_edit": can(request.user, canteen, EDIT),
        "satellites": list(canteen.satellites()) if canteen.is_central_kitchen else [],
        "central_kitchen": canteen.central_kitchen(),
        "can_manage": can(request.user, canteen, MANAGE),
    }
    return render(request, "canteens/canteen_detail.html", context)


@login_required
@require_http_methods(["POST"])
def central_kitchen_agreement(request, pk):
    """The satellite's managers (or an administrator) agree to the central kitchen registered with the SIRET the
    satellite declares, or withdraw that agreement: only then may its managers view the satellite and fill its
    purchases (canteens/permissions.py supplies())."""
    canteen = get_canteen_for(request.user, pk, MANAGE)
    kitchen = canteen.central_kitchen()
    if request.POST.get("action") == "withdraw":
        canteen.confirmed_central_kitchen = None
        canteen.save(update_fields=["confirmed_central_kitchen", "updated_at"])
        messages.success(request, _("La cuisine centrale n'a plus accès à cette cantine."))
    elif kitchen is not None and str(kitchen.pk) == request.POST.get("kitchen"):
        canteen.confirmed_central_kitchen = kitchen
        canteen.save(update_fields=["confirmed_central_kitchen", "updated_at"])
        messages.success(
            request,
            _("Les gestionnaires de « %(name)s » peuvent désormais consulter cette cantine et saisir ses achats.")
            % {"name": kitchen.name},
        )
    else:
        messages.error(request, _("Aucune cuisine centrale n'est enregistrée avec le SIRET indiqué."))
    return redirect(canteen)


@login_required
@require_http_methods(["GET", "POST"])
def canteen_edit(request, pk):
    canteen = get_canteen_for(request.user, pk, EDIT)
    form = CanteenForm(request.POST or None, instance=canteen)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les informations de la cantine sont enregistrées."))
        return redirect(canteen)
    return render(
        request,
        "canteens/canteen_form.html",
        {"form": form, "canteen": canteen, "duplicate": form.duplicate},
        status=_form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request):
    """Ask the managers of a registered canteen to be added, starting from its SIRET (which the person knows).

    The answer is the same whether a canteen has that SIRET or not, has managers or not, or is hidden from the
    public: nothing about a canteen the person may not see is shown (no name, no id to walk through), and the
    managers' e-mail carries no free text, only the requester's name and address."""
    form = JoinRequestForm(request.POST or None, initial={"siret": request.GET.get("siret", "")})
    if request.method == "POST" and join_requests_limited(request):
        return too_many_attempts(request)
    if request.method == "POST" and form.is_valid():
        canteen = Canteen.objects.filter(siret=form.cleaned_data["siret"]).first()
        if canteen is not None and not canteen.managers.filter(pk=request.user.pk).exists():
            ask_to_join(request, canteen)
        messages.info(
            request,
            _(
                "Si une cantine est enregistrée avec ce SIRET, ses gestionnaires ont reçu votre demande avec votre "
                "adresse e-mail : ils peuvent vous ajouter. Sans réponse, écrivez-nous à l'adresse de contact."
            ),
        )
        return redirect("canteens:list")
    return render(request, "canteens/join_request.html", {"form": form}, status=_form_status(request))
