"""Territory officers' follow-up: landing after login, the canteens to follow, its export and the mail merge."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from .. import formfields, officers, opendata
from ..forms import MergeForm
from ..models import TerritoryOfficer
from ..opendata.downloads import download
from ..params import english_names
from .shared import pagination_links

OFFICER_SESSION_KEY = "territory_officer"  # read by the header's account menu (no query on every page)


@login_required
@require_GET
def after_login(request):
    """Where LOGIN_REDIRECT_URL leads: a territory officer to their follow-up page, anyone else to their canteens."""
    is_officer = TerritoryOfficer.objects.filter(user=request.user).exists()
    request.session[OFFICER_SESSION_KEY] = is_officer
    return redirect("territories:follow_up" if is_officer else "canteens:list")


@login_required
@require_GET
def follow_up(request):
    scope = officers.scope_for(request.user)
    officers.remember_officer(request.session, OFFICER_SESSION_KEY)  # officers and administrators may follow up
    form, queryset, year = officers.filtered(scope, request.GET)
    page = officers.page_of(queryset, request.GET.get("page"))
    for canteen in page.object_list:
        canteen.status = officers.status_of(canteen)
        canteen.status_label = officers.STATUSES[canteen.status]
    merge_form = MergeForm(initial={"signatory": request.user.get_full_name() or request.user.email})
    export_query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(
        request,
        "territories/follow_up.html",
        {
            "scope": scope,
            "form": form,
            "fields": formfields.fields(form),
            "page": page,
            "year": year,
            "pagination": pagination_links(page, request),
            "merge_form": merge_form,
            "export_query": export_query,
            "filter_items": [(k, v) for k, v in request.GET.items() if k != "page"],
        },
    )


@login_required
@require_GET
def follow_up_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404("unknown format")
    scope = officers.scope_for(request.user)
    _form, queryset, year = officers.filtered(scope, request.GET)
    rows = officers.list_rows(queryset, year, opendata.site_url(request))
    dataset = officers.OfficerList
    return download(dataset, rows, fmt, f"{dataset.slug}.{fmt}", bom=True)


@login_required
@require_POST
def mail_merge(request):
    """The mail-merge file of the selected canteens (or the whole filtered list): nothing is sent. The list's
    button posts `step=check`: a page then shows each canteen's status (and those the template is not written
    for) before generating; errors are shown at their fields there, with the choices kept."""
    scope = officers.scope_for(request.user)
    selected = [int(value) for value in request.POST.getlist("canteens") if value.isdigit()]
    form = MergeForm(request.POST, selected=selected)
    posted = english_names(request.POST)
    filters = {key: posted.get(key, "") for key in ("department", "status", "sector", "campaign", "q")}
    _filter_form, queryset, year = officers.filtered(scope, filters)
    valid = form.is_valid()
    merge_scope = form.cleaned_data["scope"] if valid else request.POST.get("scope")
    if merge_scope != "filter":
        queryset = queryset.filter(pk__in=selected)  # the scope still applies: foreign ids are dropped
    if not valid or request.POST.get("step") == "check":
        template = form.cleaned_data.get("template")
        if template is None and str(form["template"].value() or "").isdigit():
            template = form.fields["template"].queryset.filter(pk=int(form["template"].value())).first()
        query = urlencode({k: v for k, v in filters.items() if v})
        return render(
            request,
            "territories/mail_merge.html",
            {
                "merge_form": form,
                "preview": officers.merge_preview(template, queryset),
                "template": template,
                "selected": selected,
                "filter_items": [(k, v) for k, v in filters.items() if v],
                "back_url": reverse("territories:follow_up") + (f"?{query}" if query else ""),
                "year": year,
            },
            status=200 if valid else 400,
        )
    template = form.cleaned_data["template"]
    signatory = form.cleaned_data["signatory"]
    base_url = opendata.site_url(request)
    common = {**officers.campaign_values(year), "fonction_signataire": form.cleaned_data["signatory_role"]}
    if form.cleaned_data["format"] == "eml":
        response = StreamingHttpResponse(
            officers.iter_merge_zip(template, queryset, signatory, base_url, sender=request.user.email, common=common),
            content_type="application/zip",
        )
        response["Content-Disposition"] = f'attachment; filename="publipostage-{template.code}.zip"'
    else:
        response = StreamingHttpResponse(
            officers.iter_merge_csv(template, queryset, signatory, base_url, common),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="publipostage-{template.code}.csv"'
    return response
