"""Helpers shared by the territory views: sector category labels, pagination links that keep the filters."""

from ..stats import categories_of


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
