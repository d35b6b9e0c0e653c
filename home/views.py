from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.health import search_status


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    payload = {"database": database, "search": search_status()}
    return JsonResponse(payload, status=200 if database == "ok" else 503)


ROBOTS_DISALLOW = ("/admin/", "/compte/", "/mes-cantines/", "/territoires/suivi/", "/en/compte/", "/en/mes-cantines/")


@require_GET
def robots_txt(request):
    """Crawlers may read the public site; private areas are left out; the sitemap is announced."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def site_map(request):
    """« Plan du site » (linked from the footer): the editorial pages of the current language, two levels deep
    (a section of more than SITE_MAP_CHILDREN pages, such as the resources, is listed by its index page only),
    then the services."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from wagtail.models import Site

    sections = []
    site = Site.find_for_request(request)
    if site is not None:
        home = site.root_page.localized
        pages = list(
            home.get_descendants()
            .live()
            .public()
            .filter(depth__lte=home.depth + 2)
            .only("id", "title", "url_path", "path", "depth", "alias_of_id")
        )
        for page in pages:
            if page.depth == home.depth + 1:
                sections.append({"page": page, "children": []})
            elif sections and page.path.startswith(sections[-1]["page"].path):
                sections[-1]["children"].append(page)
        for section in sections:
            if len(section["children"]) > SITE_MAP_CHILDREN:
                section["children"] = []
    services = [
        (reverse("diagnostic:start"), _("Autodiagnostic EGAlim")),
        (reverse("search:search"), _("Recherche")),
        (reverse("territories:registry"), _("Registre des cantines")),
        (reverse("territories:map"), _("Carte des cantines")),
        (reverse("territories:open_data"), _("Données ouvertes")),
        (reverse("territories:index"), _("Territoires")),
        (reverse("canteens:list"), _("Mes cantines")),
        (reverse("accounts:login"), _("Se connecter")),
        (reverse("accounts:signup"), _("Créer un compte")),
    ]
    return render(request, "home/site_map.html", {"sections": sections, "services": services})


SITE_MAP_CHILDREN = 20
