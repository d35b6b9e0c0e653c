"""Teledeclaration of a year: declare, cancel, export the declared years, the receipt (PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.pdf import PDFUnavailable, pdf_response, pdf_unavailable, render_pdf
from home.spreadsheets import spreadsheet_response

from .. import declaration as declarations
from ..models import Teledeclaration, YearlyDiagnostic
from ..permissions import DECLARE, get_canteen_for
from .shared import _year


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request, pk, year):
    canteen = get_canteen_for(request.user, pk, DECLARE)
    _year(year)
    diagnostic = YearlyDiagnostic.objects.filter(canteen=canteen, year=year).first()
    current = declarations.current(canteen, year)
    if diagnostic is None and current is None:
        raise Http404("no diagnostic")
    campaign = declarations.campaign_for(year)
    phase = campaign.phase() if campaign else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel" and current is not None:
                declarations.cancel(current, request.user)
                messages.success(request, _("La télédéclaration est annulée : vous pouvez corriger puis la renvoyer."))
            elif request.POST.get("action") == "submit" and diagnostic is not None:
                sent = declarations.submit(canteen, diagnostic, request.user, confirmed=request.POST.getlist("confirm"))
                messages.success(
                    request, _("Télédéclaration %(year)s envoyée (version %(v)s).") % {"year": year, "v": sent.version}
                )
            else:
                raise declarations.DeclarationRefused(_("Action inconnue."))
        except declarations.DeclarationRefused as error:
            messages.error(request, str(error))
            return redirect("canteens:declaration", pk=canteen.pk, year=year)
        return redirect("canteens:declaration", pk=canteen.pk, year=year)
    context = {
        "canteen": canteen,
        "diagnostic": diagnostic,
        "year": year,
        "campaign": campaign,
        "phase": phase,
        "window": declarations.window_message(year, campaign) if campaign else "",
        "current": current,
        "history": canteen.teledeclarations.filter(year=year).select_related("central_declaration__canteen"),
    }
    if current is not None:
        # Once declared, the summary shows the snapshot (what was sent), not the canteen as edited since.
        context["recap"] = declarations.recap_of_snapshot(current.snapshot)
    else:
        evaluation = diagnostic.evaluate(canteen)
        missing, found = declarations.check(canteen, diagnostic)
        context.update(
            recap=declarations.recap(canteen, diagnostic, evaluation),
            missing=[
                {"item": item, "url": declarations.field_anchor(canteen, diagnostic, item.field)} for item in missing
            ],
            implausible=found,
            warnings=declarations.warnings(canteen, diagnostic, evaluation),
            mode=declarations.declaration_mode(canteen, diagnostic),
            satellites=list(declarations.confirmed_satellites(canteen)) if canteen.is_central_kitchen else [],
        )
    return render(request, "canteens/declaration.html", context)


@login_required
@require_http_methods(["GET"])
def declaration_cancel(request, pk, year):
    """The confirmation page of « Annuler pour corriger »; its form posts `action=cancel` to the declaration."""
    canteen = get_canteen_for(request.user, pk, DECLARE)
    _year(year)
    current = declarations.current(canteen, year)
    campaign = declarations.campaign_for(year)
    if current is None or current.central_declaration_id or not (campaign and campaign.phase()):
        return redirect("canteens:declaration", pk=canteen.pk, year=year)
    url = reverse("canteens:declaration", args=[canteen.pk, year])
    return render(
        request,
        "confirm.html",
        {
            "confirm_title": _("Annuler la télédéclaration %(year)s de « %(name)s » ?")
            % {"year": year, "name": canteen.name},
            "confirm_text": _(
                "La version envoyée reste dans l'historique, marquée « annulée », mais ne compte plus : tant que "
                "vous ne l'avez pas renvoyée, la cantine n'a pas télédéclaré pour %(year)s."
            )
            % {"year": year},
            "confirm_label": _("Annuler la télédéclaration"),
            "action_url": url,
            "cancel_url": url,
            "confirm_fields": [("action", "cancel")],
        },
    )


@login_required
def declaration_export(request, pk, extension):
    """Every version of every declaration of the canteen (cancelled ones too), as declared."""
    canteen = get_canteen_for(request.user, pk, DECLARE)
    if extension not in ("csv", "xlsx"):
        raise Http404("unknown format")
    sent = canteen.teledeclarations.order_by("year", "version")
    return spreadsheet_response(
        f"teledeclarations-{canteen.pk}",
        declarations.EXPORT_COLUMNS,
        declarations.export_rows(sent),
        extension,
    )


@login_required
def receipt(request, pk, year, version):
    canteen = get_canteen_for(request.user, pk, DECLARE)
    sent = get_object_or_404(Teledeclaration, canteen=canteen, year=year, version=version)
    try:
        content = render_pdf("canteens/receipt.html", {"declaration": sent, "data": sent.snapshot})
    except PDFUnavailable:
        return pdf_unavailable(request)
    return pdf_response(content, f"justificatif-teledeclaration-{year}-v{version}.pdf")
