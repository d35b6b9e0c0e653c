"""The public registry of canteens, the map (list without JavaScript) and a canteen's position on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import dashboard as dashboards
from .. import formfields, maps, officers, registry
from .shared import _category_labels, pagination_links


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
        "canteenUrl": reverse("territories:canteen", args=[0, "cantine"]),
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

    from ..forms import PositionForm

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
