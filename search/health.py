"""State of the search service, as reported by /healthz."""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def search_status() -> str:
    """ "off" without ELASTICSEARCH_URL, "ok" when the cluster answers, "degraded" otherwise.

    When degraded, searches fall back to the database, so the site keeps answering.
    """
    url = getattr(settings, "ELASTICSEARCH_URL", None)
    if not url:
        return "off"
    from elasticsearch import Elasticsearch

    try:
        client = Elasticsearch(
            url, request_timeout=settings.ELASTICSEARCH_TIMEOUT, retry_on_timeout=False, max_retries=0
        )
        return "ok" if client.ping() else "degraded"
    except Exception:  # any transport or configuration error means the cluster is not usable
        logger.warning("Elasticsearch at %s is unreachable", url, exc_info=True)
        return "degraded"
