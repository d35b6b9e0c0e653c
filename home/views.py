from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
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
