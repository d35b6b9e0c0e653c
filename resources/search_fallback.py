"""The resources a search page shows when nothing matches: the most useful ones (registered in apps.py).

« Most useful »: most « oui » to « Cette ressource vous a-t-elle été utile ? », then most downloaded, then the
last published; live, public resources of the page's language. Two queries, whatever the number of resources.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import ResourceDownload, ResourceFeedback, ResourcePage


def most_useful_resources(language: str, limit: int = 6, request=None) -> list[dict]:
    downloads = (
        ResourceDownload.objects.filter(page_id=OuterRef("pk"))
        .order_by()
        .values("page_id")
        .annotate(total=Sum("count"))
        .values("total")
    )
    useful = (
        ResourceFeedback.objects.filter(page_id=OuterRef("pk"), useful=True)
        .order_by()
        .values("page_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        ResourcePage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .annotate(
            useful_yes=Coalesce(Subquery(useful, output_field=IntegerField()), 0),
            downloads=Coalesce(Subquery(downloads, output_field=IntegerField()), 0),
        )
        .order_by("-useful_yes", "-downloads", "-last_published_at", "pk")[:limit]
    )
    return [{"title": page.title, "url": page.get_url(request), "summary": page.summary} for page in rows]
