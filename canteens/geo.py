"""Where a canteen is: commune centres shipped with the project, and the geocoding client.

- `commune_centre(code)`: the position of a commune from `canteens/data/commune_centres.csv` (read once, kept in
  memory; see canteens/data/README.md for its sources, licence and precision). No network.
- `Geocoder`: the Base Adresse Nationale's search API for an address, the public geographic API for a commune's
  centre, behind settings (`GEOCODER_URL`, `GEO_API_URL`; unset = off), with a timeout and a cache. Only the
  `geocode_canteens` command calls it: no request is ever made while serving a page.
"""

import csv
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from .choices import LocationPrecision

CENTRES_FILE = Path(__file__).resolve().parent / "data" / "commune_centres.csv"
_PRECISIONS = {
    "c": LocationPrecision.MUNICIPALITY,
    "p": LocationPrecision.APPROXIMATE,
    "d": LocationPrecision.APPROXIMATE,
}


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    precision: str
    label: str = ""
    score: float | None = None


@lru_cache(maxsize=1)
def _centres() -> dict:
    with open(CENTRES_FILE, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return {code: (float(lat), float(lon), _PRECISIONS[precision]) for code, lat, lon, precision in reader}


def is_known_commune(code) -> bool:
    """True for a code of the official geographic code (COG) shipped with the centres: 97625 or 75000 is not one."""
    return (code or "").upper() in _centres()


def commune_centre(code) -> Position | None:
    """The shipped centre of commune `code` (INSEE), or None for an unknown code."""
    found = _centres().get((code or "").upper())
    return Position(*found) if found else None


# --- geocoding client -----------------------------------------------------------------------------------------


class GeocoderError(Exception):
    """The service did not answer usefully (timeout, refused connection, 5xx, invalid JSON)."""


class RateLimited(GeocoderError):
    def __init__(self, retry_after: float):
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


BAN_PRECISIONS = {
    "housenumber": LocationPrecision.HOUSENUMBER,
    "street": LocationPrecision.STREET,
    "locality": LocationPrecision.LOCALITY,
    "municipality": LocationPrecision.MUNICIPALITY,
}
NOT_FOUND = "not-found"


class Geocoder:
    """Client of the address search API (BAN: `GET {GEOCODER_URL}/search/?q=…&citycode=…`, GeoJSON answer) and of
    the geographic API (`GET {GEO_API_URL}/communes/{code}?fields=centre`). Answers — found or not found — are
    cached `GEOCODER_CACHE_SECONDS`; errors are not."""

    def __init__(self, url=None, geo_api_url=None, timeout=None, min_score=None, cache_seconds=None):
        self.url = (url if url is not None else settings.GEOCODER_URL).rstrip("/")
        self.geo_api_url = (geo_api_url if geo_api_url is not None else settings.GEO_API_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.GEOCODER_TIMEOUT
        self.min_score = min_score if min_score is not None else settings.GEOCODER_MIN_SCORE
        self.cache_seconds = cache_seconds if cache_seconds is not None else settings.GEOCODER_CACHE_SECONDS
        self.requests = 0  # HTTP requests made (the cache answers the others)

    @property
    def enabled(self):
        return bool(self.url)

    def _get(self, url):
        key = "geocoder:" + hashlib.sha256(url.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return None if cached == NOT_FOUND else cached
        self.requests += 1
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "ma-cantine"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (settings URL)
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            if error.code == 429:
                try:
                    retry_after = float(error.headers.get("Retry-After") or 1)
                except ValueError:
                    retry_after = 1.0
                raise RateLimited(min(max(retry_after, 0.0), 60.0)) from error
            if error.code in (400, 404):
                cache.set(key, NOT_FOUND, self.cache_seconds)
                return None
            raise GeocoderError(f"HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise GeocoderError(str(error)) from error
        except (ValueError, UnicodeDecodeError) as error:
            raise GeocoderError("invalid JSON") from error
        cache.set(key, data, self.cache_seconds)
        return data

    def address(self, address, citycode="") -> Position | None:
        """The best match of `address` in commune `citycode`, or None (nothing, or a score below the minimum)."""
        if not self.url or not (address or "").strip():
            return None
        query = {"q": address.strip()[:200], "limit": "1"}
        if citycode:
            query["citycode"] = citycode
        data = self._get(f"{self.url}/search/?{urllib.parse.urlencode(query)}")
        features = (data or {}).get("features") or []
        if not features:
            return None
        feature = features[0]
        properties = feature.get("properties") or {}
        try:
            longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"][:2])
            score = float(properties.get("score", 0))
        except (KeyError, TypeError, ValueError):
            return None
        if score < self.min_score:
            return None
        precision = BAN_PRECISIONS.get(properties.get("type"), LocationPrecision.MUNICIPALITY)
        return Position(latitude, longitude, precision, properties.get("label", ""), score)

    def commune_centre(self, code) -> Position | None:
        """The commune's centre from the geographic API, or None."""
        if not self.geo_api_url or not code:
            return None
        data = self._get(f"{self.geo_api_url}/communes/{urllib.parse.quote(code)}?fields=centre,nom")
        try:
            longitude, latitude = (float(value) for value in data["centre"]["coordinates"][:2])
        except (KeyError, TypeError, ValueError):
            return None
        return Position(latitude, longitude, LocationPrecision.MUNICIPALITY, data.get("nom", ""))
