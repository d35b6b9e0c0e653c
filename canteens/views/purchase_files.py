"""Purchase files: a canteen's import and the blank templates (CSV, XLSX)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import imports
from ..forms import UploadForm
from ..permissions import SUPPLY, get_canteen_for
from .shared import _form_status


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
