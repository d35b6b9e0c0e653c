"""Territory dashboards: the index, a bare code, region, department and EPCI dashboards (with their map)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .. import dashboard as dashboards
from .. import maps
from ..models import Department, Region
from .registry import map_context


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
