"""The Elasticsearch circuit breaker (its own module so that the backends and `health` both import it).

When Elasticsearch is configured but fails (unreachable, timeout, error answer), `report_failure()` opens the
circuit for `ELASTICSEARCH_COOLDOWN` seconds: searches go straight to the database during that time, without
waiting for the cluster's timeout again. A warning is logged at most once per `WARNING_INTERVAL` seconds
(per process), so an outage does not flood the logs.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("search.health")  # the name operators filter on (unchanged by the move)

WARNING_INTERVAL = 60.0


class CircuitBreaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.last_warning = float("-inf")
        self.last_error = ""

    @property
    def cooldown(self) -> float:
        return float(getattr(settings, "ELASTICSEARCH_COOLDOWN", 30))

    def is_open(self, now: float | None = None) -> bool:
        return (now if now is not None else time.monotonic()) < self.open_until

    def failure(self, error: BaseException | str, now: float | None = None) -> bool:
        """Open the circuit; returns True when a warning was logged (at most once a minute)."""
        now = now if now is not None else time.monotonic()
        with self.lock:
            self.open_until = now + self.cooldown
            self.last_error = str(error)[:300]
            if now - self.last_warning < WARNING_INTERVAL:
                return False
            self.last_warning = now
        logger.warning(
            "Elasticsearch (%s) is unavailable, searching the database instead for %ss: %s",
            settings.ELASTICSEARCH_URL,
            int(self.cooldown),
            self.last_error,
        )
        return True

    def success(self):
        self.open_until = 0.0

    def reset(self):
        with self.lock:
            self.open_until = 0.0
            self.last_warning = float("-inf")
            self.last_error = ""


breaker = CircuitBreaker()


def elasticsearch_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", None))


def elasticsearch_usable() -> bool:
    """Configured, and not in the cool-down that follows a failure."""
    return elasticsearch_configured() and not breaker.is_open()


def report_failure(error) -> bool:
    return breaker.failure(error)
