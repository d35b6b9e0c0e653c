from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from accounts.ratelimits import too_many_attempts
from diagnostic.presentation import collect, current_language, load_state, results_context
from egalim.rules import FIRST_YEAR, LAST_YEAR, RuleInputError, evaluate

from . import declaration as declarations
from . import imports
from .choices import Production
from .forms import CanteenForm, DiagnosticEditor, JoinRequestForm, UploadForm
from .invitations import ask_to_join
from .models import POSTER_NOTE_MAX_LENGTH, Canteen, Teledeclaration, YearlyDiagnostic
from .permissions import DECLARE, EDIT, MANAGE, SUPPLY, VIEW, can, get_canteen_for
from .poster import PDFUnavailable, poster_context, render_pdf, render_poster
from .results import history, summary


def _year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("year out of range")
    return year


def join_requests_limited(request):
    """Each request e-mails the canteen's managers: per person, the rate of the other e-mail sending forms."""
    return is_ratelimited(
        request,
        group="canteens.join",
        key="user",
        rate=lambda group, request: settings.MAGIC_LINK_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def _form_status(request):
    """A form shown again with its errors after a POST answers 400 (bad input), as the import does."""
    return 400 if request.method == "POST" else 200


def _int_or_404(value):
    """An id posted by a form: a forged non-number is a missing object, never a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("not an id") from None


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pdf_unavailable(request):
    return render(request, "canteens/pdf_unavailable.html", status=503)


# --- Canteens ---------------------------------------------------------------------------------------------------


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


# --- Yearly diagnostics -----------------------------------------------------------------------------------------


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
        return _pdf_unavailable(request)
    return _pdf_response(content, f"affiche-{canteen.slug}-{year}.pdf")


def anonymous_poster(request):
    """The poster of the anonymous diagnostic (answers kept in the session), without an account or a QR code."""
    lang = current_language()
    data, _purchases = collect(load_state(request), lang)
    if data is None:
        messages.info(request, _("Commencez par décrire votre restaurant : département et année des données."))
        return redirect("diagnostic:start")
    # Each poster is a WeasyPrint render (a CPU-second): per IP address, like the other anonymous forms.
    rate = lambda group, request: settings.POSTER_RATE_LIMIT  # noqa: E731
    if is_ratelimited(request, group="canteens.anonymous_poster", key="ip", rate=rate, method="GET", increment=True):
        return too_many_attempts(request)
    name = (request.GET.get("nom") or "").strip()[:255] or _("Notre restaurant")
    note = (request.GET.get("message") or "").strip()[:POSTER_NOTE_MAX_LENGTH]
    try:
        content = render_poster(poster_context(name, evaluate(data), note=note, lang=lang))
    except PDFUnavailable:
        return _pdf_unavailable(request)
    return _pdf_response(content, f"affiche-egalim-{data.year}.pdf")


# --- Purchase import --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def purchase_import(request, pk):
    canteen = get_canteen_for(request.user, pk, SUPPLY)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"canteen": canteen, "form": form, "accepted": imports.accepted_values()}
    status = _form_status(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.parse(upload)
        except imports.ImportRefused as error:
            context["refused"] = str(error)
        else:
            if result.error_count:
                context["errors"] = result.errors
                context["error_count"] = result.error_count
            elif (refusal := imports.refusal(canteen, result)) is not None:
                context["refused"] = refusal
            else:
                try:  # checked again under the canteen's lock (a request sent at the same moment)
                    batch = imports.save(canteen, result, request.user, upload.name)
                except imports.ImportRefused as error:
                    context["refused"] = str(error)
                    context["recent_imports"] = canteen.imports.all()[:5]
                    return render(request, "canteens/purchase_import.html", context, status=400)
                messages.success(
                    request,
                    _("%(count)s achats importés : ils remplissent le diagnostic %(years)s.")
                    % {"count": batch.line_count, "years": ", ".join(map(str, batch.years))},
                )
                return redirect("canteens:diagnostic", pk=canteen.pk, year=batch.years[-1])
    context["recent_imports"] = canteen.imports.all()[:5]
    return render(request, "canteens/purchase_import.html", context, status=status)


def import_template(request, extension):
    if extension not in ("csv", "xlsx"):
        raise Http404("unknown template format")
    if extension == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="modele-achats-ma-cantine.{extension}"'
    return response


# --- Teledeclaration --------------------------------------------------------------------------------------------


def spreadsheet_response(filename, header, rows, extension):
    """A CSV (UTF-8 with BOM, `;`) or XLSX download; every text cell neutralised (home.spreadsheets)."""
    import csv
    import io

    from home.spreadsheets import csv_row, xlsx_row

    if extension == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(csv_row(header))
        for row in rows:
            writer.writerow(csv_row(row))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(xlsx_row(sheet, header))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


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
        return _pdf_unavailable(request)
    return _pdf_response(content, f"justificatif-teledeclaration-{year}-v{version}.pdf")


# --- Public page ------------------------------------------------------------------------------------------------


def public_canteen(request, pk, slug):
    canteen = get_object_or_404(Canteen.objects.public(), pk=pk)
    if slug != canteen.slug:
        return redirect(canteen.get_public_url(), permanent=True)
    published = list(canteen.diagnostics.filter(is_published=True).order_by("-year"))
    years = []
    for diagnostic in published:
        try:
            years.append({"diagnostic": diagnostic, "result": summary(diagnostic.evaluate(canteen))})
        except RuleInputError:
            continue
    return render(request, "canteens/public.html", {"canteen": canteen, "years": years})
