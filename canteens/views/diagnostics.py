"""Yearly diagnostics of a canteen: dashboard, edit, prefill, publish, and the poster (PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from diagnostic.poster import poster_context, render_poster
from diagnostic.presentation import current_language, results_context
from egalim.rules import RuleInputError
from home.pdf import PDFUnavailable, pdf_response, pdf_unavailable

from .. import declaration as declarations
from ..forms import DiagnosticEditor
from ..models import YearlyDiagnostic
from ..permissions import DECLARE, EDIT, SUPPLY, VIEW, can, get_canteen_for
from ..results import history
from .shared import _form_status, _year


def dashboard_context(request, canteen, evaluation):
    """The anonymous calculator's results (measures, gaps, linked resources), with "edit" links to this year."""
    context = results_context(request, evaluation, current_language(), sector=canteen.sector_category)
    edit_url = reverse("canteens:diagnostic_edit", args=[canteen.pk, evaluation.input.year])
    for measure in context["measures"]:
        measure["step_url"] = edit_url
        for item in measure["missing"]:
            item["url"] = edit_url
    context["edit_url"] = edit_url
    return context


def _diagnostic(canteen, year):
    return YearlyDiagnostic.objects.filter(canteen=canteen, year=year).first()


@login_required
def diagnostic_detail(request, pk, year):
    canteen = get_canteen_for(request.user, pk, VIEW)
    _year(year)
    diagnostics = {diagnostic.year: diagnostic for diagnostic in canteen.diagnostics.all()}
    diagnostic = diagnostics.get(year)
    if diagnostic is None:
        previous = diagnostics.get(year - 1)
        return render(
            request,
            "canteens/diagnostic_empty.html",
            {"canteen": canteen, "year": year, "previous": previous, "can_edit": can(request.user, canteen, SUPPLY)},
        )
    try:
        evaluation = diagnostic.evaluate(canteen)
    except RuleInputError:
        raise Http404("no rules for this canteen's department") from None
    context = {
        **dashboard_context(request, canteen, evaluation),
        "canteen": canteen,
        "diagnostic": diagnostic,
        "year": year,
        "cost_per_meal": diagnostic.cost_per_meal(canteen),
        "history": history(canteen, diagnostics.values()),
        "can_edit": can(request.user, canteen, EDIT),
        "can_supply": can(request.user, canteen, SUPPLY),
        "declaration": declarations.current(canteen, year),
        "campaign_phase": declarations.phase(year),
    }
    return render(request, "canteens/diagnostic_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def diagnostic_edit(request, pk, year):
    canteen = get_canteen_for(request.user, pk, SUPPLY)
    _year(year)
    can_edit = can(request.user, canteen, EDIT)
    diagnostic = _diagnostic(canteen, year) or YearlyDiagnostic(canteen=canteen, year=year)
    if declarations.current(canteen, year) is not None:
        messages.warning(
            request, _("Cette année est télédéclarée : annulez la déclaration pour modifier le diagnostic.")
        )
        return redirect("canteens:diagnostic", pk=canteen.pk, year=year)
    mode = request.GET.get("mode") or request.POST.get("mode") or diagnostic.mode
    if mode not in YearlyDiagnostic.Mode.values:
        mode = YearlyDiagnostic.Mode.SIMPLE
    editor = DiagnosticEditor(
        request.POST or None, instance=diagnostic, mode=mode, can_edit=can_edit, lang=current_language()
    )
    if request.method == "POST" and editor.is_valid():
        editor.save(request.user)
        messages.success(request, _("Le diagnostic %(year)s est enregistré.") % {"year": year})
        return redirect("canteens:diagnostic", pk=canteen.pk, year=year)
    context = {"canteen": canteen, "year": year, "editor": editor, "mode": mode, "diagnostic": diagnostic}
    return render(request, "canteens/diagnostic_form.html", context, status=_form_status(request))


@login_required
@require_POST
def diagnostic_prefill(request, pk, year):
    """Create the year's diagnostic from last year's inputs."""
    canteen = get_canteen_for(request.user, pk, EDIT)
    _year(year)
    previous = _diagnostic(canteen, year - 1)
    if previous is None:
        messages.error(request, _("Pas de diagnostic %(year)s à reprendre.") % {"year": year - 1})
        return redirect("canteens:diagnostic", pk=canteen.pk, year=year)
    diagnostic, created = YearlyDiagnostic.objects.get_or_create(canteen=canteen, year=year)
    if not created and declarations.current(canteen, year) is not None:
        messages.error(request, _("Cette année est télédéclarée : elle ne peut pas être remplacée."))
        return redirect("canteens:diagnostic", pk=canteen.pk, year=year)
    diagnostic.copy_inputs_from(previous)
    diagnostic.updated_by = request.user
    diagnostic.save()
    messages.success(
        request, _("Le diagnostic reprend les données de %(year)s : mettez-les à jour.") % {"year": year - 1}
    )
    return redirect("canteens:diagnostic_edit", pk=canteen.pk, year=year)


@login_required
@require_POST
def diagnostic_publish(request, pk, year):
    canteen = get_canteen_for(request.user, pk, DECLARE)
    diagnostic = get_object_or_404(YearlyDiagnostic, canteen=canteen, year=year)
    diagnostic.is_published = request.POST.get("publish") == "1"
    diagnostic.save(update_fields=["is_published", "updated_at"])
    if diagnostic.is_published:
        messages.success(request, _("Le bilan %(year)s est visible sur la page publique.") % {"year": year})
    else:
        messages.success(request, _("Le bilan %(year)s est masqué de la page publique.") % {"year": year})
    return redirect("canteens:diagnostic", pk=canteen.pk, year=year)


@login_required
def poster(request, pk, year):
    canteen = get_canteen_for(request.user, pk, VIEW)
    diagnostic = get_object_or_404(YearlyDiagnostic, canteen=canteen, year=year)
    previous = _diagnostic(canteen, year - 1)
    context = poster_context(
        canteen.name,
        diagnostic.evaluate(canteen),
        previous=previous.evaluate(canteen) if previous else None,
        note=diagnostic.poster_note,
        # the QR code and address only when the public page shows this year (issue 16: it pointed to a page
        # without the poster's figures when nothing was published)
        public_url=(
            request.build_absolute_uri(canteen.get_public_url())
            if diagnostic.is_published and not canteen.hidden_from_public
            else None
        ),
    )
    try:
        content = render_poster(context)
    except PDFUnavailable:
        return pdf_unavailable(request)
    return pdf_response(content, f"affiche-{canteen.slug}-{year}.pdf")
