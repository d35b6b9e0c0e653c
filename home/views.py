from django.db import DatabaseError, connection
from django.http import JsonResponse
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
