"""Helpers shared by the canteen views: year range, rate limit of join requests, form status.

The PDF answers (inline document, 503 page) are in home/pdf.py."""

from django.conf import settings
from django.http import Http404
from django_ratelimit.core import is_ratelimited

from egalim.rules import FIRST_YEAR, LAST_YEAR


def _year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("year out of range")
    return year


def join_requests_limited(request):
    """Each request e-mails the canteen's managers: per person, the rate of the other e-mail sending forms."""
    return is_ratelimited(
        request,
        group="canteens.join",
        key="user",
        rate=lambda group, request: settings.MAGIC_LINK_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def _form_status(request):
    """A form shown again with its errors after a POST answers 400 (bad input), as the import does."""
    return 400 if request.method == "POST" else 200


def _int_or_404(value):
    """An id posted by a form: a forged non-number is a missing object, never a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("not an id") from None
