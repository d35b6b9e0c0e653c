from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import dashboard as dashboards
from . import formfields, maps, national, officers, opendata, registry
from .forms import MergeForm, WidgetForm, text_colour_on
from .models import LOGO_EXTENSIONS, Department, OpenDataFile, Region, TerritoryOfficer, Widget
from .opendata.downloads import download, stored_download
from .params import english_names
from .stats import categories_of


def _category_labels(mask):
    from canteens.choices import SECTOR_CATEGORIES

    return [str(SECTOR_CATEGORIES[code]) for code in categories_of(mask)]


def pagination_links(page, request):
    """URLs of the DSFR pagination, keeping the query string; long ranges elided (1 … 4 5 6 … 834)."""
    params = request.GET.copy()

    def url(number):
        params["page"] = number
        return "?" + params.urlencode()

    paginator = page.paginator
    return {
        "first": url(1) if page.number > 1 else None,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "last": url(paginator.num_pages) if page.number < paginator.num_pages else None,
        "items": [
            {"number": n, "url": url(n), "current": n == page.number} if isinstance(n, int) else {"number": None}
            for n in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ],
    }


# --- public registry ------------------------------------------------------------------------------------------


@require_GET
def registry_view(request):
    form, queryset = registry.search(request.GET)
    page = registry.page_of(queryset, request.GET.get("page"))
    for stats in page.object_list:
        stats.categories = _category_labels(stats.sector_mask)
        stats.bio_text = dashboards.rate_text(stats.bio_rate)
        stats.egalim_text = dashboards.rate_text(stats.egalim_rate)
    return render(
        request,
        "territories/registry.html",
        {"form": form, "fields": formfields.fields(form), "page": page, "pagination": pagination_links(page, request)},
    )


# --- map -----------------------------------------------------------------------------------------------------


def map_context(request, filters, extra_query=None):
    """What the map's markup needs: the GeoJSON URL of these filters, the base layer, the labels of the popups."""
    import json

    from django.conf import settings

    from canteens.choices import SECTOR_CATEGORIES

    query = urlencode({**filters, **(extra_query or {})})
    geojson_url = reverse("api:canteen-geo") + (f"?{query}" if query else "")
    labels = {
        "sectors": {code: str(label) for code, label in SECTOR_CATEGORIES.items()},
        "commune": _("Commune"),
        "sectorsLabel": _("Secteurs"),
        "year": _("Dernier bilan publié"),
        "bio": _("Bio"),
        "egalim": _("EGAlim"),
        "met": _("Objectifs d'achats EGAlim atteints"),
        "notMet": _("Objectifs d'achats EGAlim non atteints"),
        "declared": _("Télédéclarée"),
        "approximate": _("Position approximative (commune)"),
        "link": _("Voir sa page"),
        "count": _("%(count)s cantines sur la carte"),
        "error": _("La carte n'a pas pu être chargée : la liste reste disponible."),
        "canteenUrl": reverse("canteens:public", args=[0, "cantine"]),
    }
    return {
        "geojson_url": geojson_url,
        "csv_url": geojson_url + ("&" if "?" in geojson_url else "?") + "download=csv",
        "geojson_download_url": geojson_url + ("&" if "?" in geojson_url else "?") + "download=geojson",
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "map_labels": json.dumps(labels, ensure_ascii=False),
    }


def _list_rows(page):
    for stats in page.object_list:
        stats.categories = _category_labels(stats.sector_mask)
        stats.bio_text = dashboards.rate_text(stats.bio_rate)
        stats.egalim_text = dashboards.rate_text(stats.egalim_rate)


@require_GET
def map_view(request):
    """/cantines/carte/: the list of the filtered canteens (the page without JavaScript, and the accessible path to
    every marker), enhanced into a clustered map by static/territories/map.js."""
    import json

    form = maps.MapFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    queryset = maps.filtered(filters, maps.declared_year()).order_by("name", "canteen_id")
    page = registry.page_of(queryset, request.GET.get("page"))
    _list_rows(page)
    bounds = maps.bounds(filters) if filters else None
    return render(
        request,
        "territories/map.html",
        {
            "form": form,
            "fields": formfields.fields(form),
            "page": page,
            "pagination": pagination_links(page, request),
            "bounds": json.dumps(bounds) if bounds else "",
            **map_context(request, filters),
        },
    )


def _canteen_for_position(request, pk):
    """A canteen its manager may edit, or one of the territory of the officer (or a national administrator)."""
    from canteens.models import Canteen
    from canteens.permissions import EDIT, can

    canteen = get_object_or_404(Canteen, pk=pk)
    if can(request.user, canteen, EDIT):
        return canteen
    try:
        scope = officers.scope_for(request.user)
    except PermissionDenied:
        raise Http404("not yours") from None
    if scope.national or canteen.department in scope.codes:
        return canteen
    raise Http404("not yours")


@login_required
@require_http_methods(["GET", "POST"])
def canteen_position(request, pk):
    """Move a canteen's pin: two fields (no JavaScript needed), and a draggable marker that fills them."""
    import json

    from canteens.choices import LocationPrecision, LocationSource
    from canteens.geo import Position

    from .forms import PositionForm

    canteen = _canteen_for_position(request, pk)
    form = PositionForm(request.POST or None, initial={"latitude": canteen.latitude, "longitude": canteen.longitude})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["reset"]:
            canteen.location_source = ""
            canteen.latitude = None
            canteen.save()
        else:
            position = Position(form.cleaned_data["latitude"], form.cleaned_data["longitude"], LocationPrecision.EXACT)
            canteen.set_position(position, LocationSource.MANUAL)
            canteen.save()
        messages.success(request, _("La position de la cantine est enregistrée."))
        return redirect("territories:canteen_position", pk=canteen.pk)
    from django.conf import settings

    return render(
        request,
        "territories/position.html",
        {
            "canteen": canteen,
            "form": form,
            "fields": formfields.fields(form),
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "position": json.dumps([canteen.latitude, canteen.longitude]) if canteen.latitude is not None else "",
            "source_label": canteen.get_location_source_display() if canteen.location_source else "",
        },
    )


# --- open data ------------------------------------------------------------------------------------------------


@require_GET
def open_data(request):
    form = opendata.FilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    query = urlencode(filters)
    files = {(f.dataset, f.format): f for f in OpenDataFile.objects.all()}
    datasets = []
    for dataset in opendata.DATASETS.values():
        datasets.append(
            {
                "dataset": dataset,
                "count": dataset.count(dataset.applicable(filters)),
                "downloads": [
                    (
                        fmt.upper(),
                        reverse("territories:export", args=[dataset.slug, fmt]) + (f"?{query}" if query else ""),
                    )
                    for fmt in opendata.FORMATS
                ],
                "schema_url": reverse("territories:schema", args=[dataset.slug]),
                "files": [files[(dataset.slug, fmt)] for fmt in opendata.FORMATS if (dataset.slug, fmt) in files],
            }
        )
    return render(
        request,
        "territories/open_data.html",
        {
            "form": form,
            "fields": formfields.fields(form),
            "datasets": datasets,
            "filters": filters,
            "published_years": opendata.published_years(),
            "national_years": national.campaign_years(),
        },
    )


NATIONAL_FORMATS = {"csv": opendata.FORMATS["csv"], "xlsx": opendata.FORMATS["xlsx"]}


def _national_response(dataset, rows, fmt):
    if fmt not in NATIONAL_FORMATS:
        raise Http404("unknown format")
    return download(dataset, rows, fmt, f"{dataset.slug}.{fmt}", content_type=NATIONAL_FORMATS[fmt])


@require_GET
def national_registry(request, fmt):
    """The registry in ma cantine's national schema (schema_cantines.json)."""
    return _national_response(national.REGISTRY, national.registry_rows(), fmt)


@require_GET
def national_campaign(request, year, fmt):
    """One campaign's declarations in ma cantine's national schema (schema_teledeclarations.json): published
    campaigns only."""
    if year not in national.campaign_years():
        raise Http404("campaign not published")
    return _national_response(national.campaign_dataset(year), national.campaign_rows(year), fmt)


@require_GET
def national_schema(request, name):
    slug = f"schema-{name}"
    if slug not in national.SCHEMA_FILES:
        raise Http404("unknown schema")
    response = HttpResponse(national.schema_bytes(slug), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export(request, dataset, fmt):
    dataset = opendata.DATASETS.get(dataset)
    if dataset is None or fmt not in opendata.FORMATS:
        raise Http404("unknown dataset or format")
    form = opendata.FilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
            content_type="text/plain; charset=utf-8",
        )
    filters = dataset.applicable(form.filters())
    name = opendata.filename(dataset, filters, fmt)
    # the whole country: the file written once after the last change while it is fresh (opendata/stored.py)
    stored = None if filters else stored_download(dataset, fmt, name)
    return stored or download(dataset, dataset.rows(filters, request), fmt, name)


@require_GET
def schema(request, dataset):
    dataset = opendata.DATASETS.get(dataset)
    if dataset is None:
        raise Http404("unknown dataset")
    response = JsonResponse(dataset.schema(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def national_file(request, dataset, fmt):
    record = OpenDataFile.objects.filter(dataset=dataset, format=fmt).first()
    if record is None or not default_storage.exists(record.path):
        raise Http404("file not generated yet")
    return FileResponse(
        default_storage.open(record.path, "rb"),
        as_attachment=True,
        filename=f"{dataset}.{fmt}",
        content_type=opendata.FORMATS.get(fmt, "application/octet-stream"),
    )


# --- dashboards -----------------------------------------------------------------------------------------------


@require_GET
def territory_index(request):
    regions = Region.objects.prefetch_related("departments").order_by("name")
    others = Department.objects.filter(region__isnull=True).order_by("code")
    return render(request, "territories/index.html", {"regions": regions, "others": others})


@require_GET
def territory_by_code(request, code):
    """/territoires/<code>/: region and department codes collide (every region code is also a department's:
    53 is Bretagne and Mayenne), so the dashboards live under /territoires/region/ and /territoires/departement/.
    A bare code redirects to the only territory it names, offers the choice when it names both, else 404."""
    region = Region.objects.filter(pk=code).first()
    department = Department.objects.select_related("region").filter(pk=code).first()
    if region is None and department is None:
        raise Http404("unknown territory")
    if region is None or department is None:
        return redirect((region or department).get_absolute_url())
    return render(request, "territories/choose.html", {"code": code, "region": region, "department": department})


def _dashboard_with_map(request, kind, territory):
    """The dashboard, with its canteens on the map, zoomed to the territory."""
    import json

    filters = {kind: territory.pk}
    bounds = maps.territory_bounds(territory)
    context = dashboards.dashboard(territory)
    context.update(map_context(request, filters))
    context["bounds"] = json.dumps(bounds) if bounds else ""
    context["map_page_url"] = reverse("territories:map") + "?" + urlencode(filters)
    return render(request, "territories/dashboard.html", context)


@require_GET
def region_dashboard(request, code):
    return _dashboard_with_map(request, "region", dashboards.get_territory("region", code))


@require_GET
def department_dashboard(request, code):
    return _dashboard_with_map(request, "department", dashboards.get_territory("department", code.upper()))


@require_GET
def epci_dashboard(request, code):
    return _dashboard_with_map(request, "epci", dashboards.get_territory("epci", code))


# --- territory officers ---------------------------------------------------------------------------------------


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
    merge_form = MergeForm(initial={"signataire": request.user.get_full_name() or request.user.email})
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
    perimeter = form.cleaned_data["perimetre"] if valid else request.POST.get("perimetre")
    if perimeter != "filtre":
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
    signatory = form.cleaned_data["signataire"]
    base_url = opendata.site_url(request)
    common = {**officers.campaign_values(year), "fonction_signataire": form.cleaned_data["fonction"]}
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


# --- widgets --------------------------------------------------------------------------------------------------


def _own_widgets(request, scope):
    widgets = Widget.objects.select_related("region", "department")
    return widgets if scope.national else widgets.filter(owner=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def widget_list(request):
    scope = officers.scope_for(request.user)
    form = WidgetForm(scope, request.POST or None, request.FILES or None, instance=Widget(owner=request.user))
    if request.method == "POST" and form.is_valid():
        widget = form.save()
        messages.success(request, _("Le widget « %(title)s » est créé.") % {"title": widget.title})
        return redirect("territories:widget_edit", pk=widget.pk)
    return render(
        request, "territories/widget_list.html", {"form": form, "widgets": _own_widgets(request, scope), "scope": scope}
    )


@login_required
@require_http_methods(["GET", "POST"])
def widget_edit(request, pk):
    scope = officers.scope_for(request.user)
    widget = get_object_or_404(_own_widgets(request, scope), pk=pk)
    if request.method == "POST" and request.POST.get("delete") == "1":  # from the confirmation page
        widget.logo.delete(save=False)
        widget.delete()
        messages.success(request, _("Le widget est supprimé."))
        return redirect("territories:widget_list")
    form = WidgetForm(scope, request.POST or None, request.FILES or None, instance=widget)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le widget est enregistré."))
        return redirect("territories:widget_edit", pk=widget.pk)
    url = request.build_absolute_uri(widget.get_absolute_url())
    snippet = (
        f'<iframe src="{escape(url)}" title="{escape(widget.title)}" width="100%" height="600" '
        f'style="border: 0;" loading="lazy"></iframe>'
    )
    from django.templatetags.static import static

    script = (
        f'<script src="{escape(request.build_absolute_uri(static("territories/embed.js")))}" '
        f'data-widget="{escape(url)}" data-title="{escape(widget.title)}" async></script>'
    )
    return render(
        request,
        "territories/widget_edit.html",
        {"form": form, "widget": widget, "snippet": snippet, "script_snippet": script},
    )


@login_required
@require_http_methods(["GET"])
def widget_delete(request, pk):
    """The confirmation page of a widget's deletion; its form posts `delete=1` to the widget's page."""
    scope = officers.scope_for(request.user)
    widget = get_object_or_404(_own_widgets(request, scope), pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "confirm_title": _("Supprimer le widget « %(title)s » ?") % {"title": widget.title},
            "confirm_text": _(
                "Les sites qui l'intègrent afficheront une page introuvable à sa place. La suppression est définitive."
            ),
            "confirm_label": _("Supprimer le widget"),
            "action_url": reverse("territories:widget_edit", args=[widget.pk]),
            "cancel_url": reverse("territories:widget_edit", args=[widget.pk]),
            "confirm_fields": [("delete", "1")],
        },
    )


WIDGET_PAGE_SIZE = 20


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cache_control(public=True, max_age=300)
def widget(request, pk):
    """The embeddable list: the only pages other sites may frame (no X-Frame-Options, CSP frame-ancestors *)."""
    import json

    widget = get_object_or_404(Widget.objects.select_related("region", "department"), pk=pk)
    territory = widget.territory
    filters = widget.map_filters()
    queryset = maps.filtered(filters).select_related("canteen").order_by("name", "canteen_id")
    page = Paginator(queryset, WIDGET_PAGE_SIZE).get_page(request.GET.get("page"))
    base = opendata.site_url(request)
    for stats in page.object_list:
        stats.public_url = base + stats.canteen.get_public_url()
        stats.bio_text = dashboards.rate_text(stats.bio_rate)
        stats.egalim_text = dashboards.rate_text(stats.egalim_rate)
    style = (
        f"--widget-primary: {widget.primary_colour}; --widget-secondary: {widget.secondary_colour}; "
        f"--widget-on-primary: {text_colour_on(widget.primary_colour)};"
    )
    return render(
        request,
        "territories/widget.html",
        {
            "widget": widget,
            "territory": territory,
            "page": page,
            "pagination": pagination_links(page, request),
            "style": style,
            "site_url": base,
            **(map_context(request, filters) if widget.shows_map else {}),
            "bounds": json.dumps(maps.bounds(filters) or maps.territory_bounds(territory)) if widget.shows_map else "",
            "map_link_target": "_blank",
            "map_site_url": base,
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def widget_logo(request, pk):
    widget = get_object_or_404(Widget, pk=pk)
    if not widget.logo or widget.logo_type not in ("image/png", "image/jpeg", "image/webp"):
        raise Http404("no logo")
    response = FileResponse(widget.logo.open("rb"), content_type=widget.logo_type)
    # the verified type only, never sniffed, never a document that could run anything (docs/exploitation.md)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="logo.{LOGO_EXTENSIONS[widget.logo_type]}"'
    return response
