"""The national-format import page (/mes-cantines/importer/): for managers (their canteens), territory officers
(the canteens of their departments) and administrators. Upload → check and preview (nothing saved) → confirm;
the error report is downloadable as the file itself with an « erreurs » column."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import DsfrFormMixin

from .standard import schema
from .standard.pipeline import run
from .standard.reader import MAX_BYTES
from .standard.report import error_csv, error_xlsx

SESSION_KEY = "standard_imports"
PENDING_DIR = "imports/pending"
FORMAT_LABELS = {
    "achats_siret": gettext_lazy("Achats, par SIRET"),
    "achats_id": gettext_lazy("Achats, par identifiant de cantine"),
    "achats_siret_old": gettext_lazy("Achats, ancien format (caracteristiques), par SIRET"),
    "achats_id_old": gettext_lazy("Achats, ancien format (caracteristiques), par identifiant"),
    "cantines_creer": gettext_lazy("Création de cantines"),
    "cantines_modifier": gettext_lazy("Modification de cantines"),
    "cantines_gestionnaires": gettext_lazy("Ajout de gestionnaires"),
    "bilans_simple_siret": gettext_lazy("Bilans simplifiés, par SIRET"),
    "bilans_simple_id": gettext_lazy("Bilans simplifiés, par identifiant"),
    "bilans_detaille": gettext_lazy("Bilans détaillés"),
    "diagnostics": gettext_lazy("Cantines et bilans simplifiés"),
    "diagnostics_cc": gettext_lazy("Cuisines centrales et bilans simplifiés"),
    "diagnostics_complets": gettext_lazy("Cantines et bilans détaillés"),
    "diagnostics_complets_cc": gettext_lazy("Cuisines centrales et bilans détaillés"),
    "diagnostics_admin": gettext_lazy("Cantines et bilans (administrateurs)"),
}


class StandardUploadForm(DsfrFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy(
            "CSV (virgule, point-virgule ou tabulation ; UTF-8 ou Windows-1252) ou Excel (.xlsx), 10 Mo au plus."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[("", gettext_lazy("Reconnu d'après la première ligne"))]
        + [(name, f"{FORMAT_LABELS[name]} ({name})") for name in schema.IMPORT_FORMATS],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Ce fichier est trop grand, merci d'utiliser un fichier de moins de 10 Mo."))
        return upload


def _pending(request, token):
    entry = request.session.get(SESSION_KEY, {}).get(str(token))
    if entry is None or not default_storage.exists(entry["path"]):
        raise Http404("no pending import")
    with default_storage.open(entry["path"], "rb") as handle:
        return entry, handle.read()


def _formats():
    return [(name, FORMAT_LABELS[name]) for name in schema.IMPORT_FORMATS]


@login_required
@require_http_methods(["GET", "POST"])
def standard_import(request):
    form = StandardUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "formats": _formats()}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            raw = upload.read()
            report = run(raw, upload.name, request.user, format_name=form.cleaned_data["format"] or None, dry_run=True)
            token = str(uuid.uuid4())
            path = default_storage.save(f"{PENDING_DIR}/{token}", ContentFile(raw))
            pending = request.session.get(SESSION_KEY, {})
            for old in list(pending)[:-4]:  # keep the last five checks of this session
                default_storage.delete(pending.pop(old)["path"])
            pending[token] = {"path": path, "name": upload.name[:200], "format": report.format}
            request.session[SESSION_KEY] = pending
            context.update(report=report, result=report.as_dict(), token=token, filename=upload.name)
            status = 200 if report.accepted else 422
    return render(request, "canteens/standard_import.html", context, status=status)


@login_required
@require_POST
def standard_import_confirm(request, token):
    entry, raw = _pending(request, token)
    report = run(raw, entry["name"], request.user, format_name=entry["format"], dry_run=False)
    if not report.accepted:  # the database changed since the preview (another import, a declaration...)
        context = {
            "form": StandardUploadForm(),
            "formats": _formats(),
            "report": report,
            "result": report.as_dict(),
            "token": token,
            "filename": entry["name"],
        }
        return render(request, "canteens/standard_import.html", context, status=409)
    default_storage.delete(entry["path"])
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(str(token), None)
    request.session[SESSION_KEY] = pending
    summary = ", ".join(f"{count} {name}" for name, count in {**report.created, **report.updated}.items() if count)
    messages.success(
        request, _("Fichier « %(name)s » importé : %(summary)s.") % {"name": entry["name"], "summary": summary}
    )
    return redirect("canteens:list")


@login_required
@require_GET
def standard_import_report(request, token, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404("unknown format")
    entry, raw = _pending(request, token)
    report = run(raw, entry["name"], request.user, format_name=entry["format"], dry_run=True)
    stem = entry["name"].rsplit(".", 1)[0]
    if fmt == "csv":
        response = HttpResponse(error_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            error_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}-erreurs.{fmt}"'
    return response


@require_GET
def import_schema(request, name):
    """The Table Schema of an accepted format, as ma cantine publishes it (MIT licence)."""
    if name not in schema.IMPORT_FORMATS:
        raise Http404("unknown format")
    response = HttpResponse(schema.schema_path(name).read_bytes(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
