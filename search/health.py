"""State of the search service, as reported by /healthz (the circuit breaker is in `search.breaker`).

The Elasticsearch client is imported only when a status is asked for: importing it costs every process about
30 MB of memory (measured with bench/export.py), and most of them (an export, a worker) never ping the cluster.
"""

from .breaker import (  # noqa: F401 (re-exported: callers import them from here)
    CircuitBreaker,
    breaker,
    elasticsearch_configured,
    elasticsearch_usable,
    report_failure,
)


def search_status() -> str:
    """ "off" without ELASTICSEARCH_URL, "ok" when the cluster answers, "degraded" otherwise.

    When degraded, searches fall back to the database, so the site keeps answering.
    """
    if not elasticsearch_configured():
        return "off"
    if breaker.is_open():
        return "degraded"
    from .backends import elastic

    try:
        if elastic.get_client().ping():
            return "ok"
        report_failure("ping failed")
    except Exception as error:  # any transport or configuration error means the cluster is not usable
        report_failure(error)
    return "degraded"
