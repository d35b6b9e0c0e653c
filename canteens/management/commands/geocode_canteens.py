"""Place canteens on the map with the national services (settings GEOCODER_URL, GEO_API_URL; off when unset).

    python manage.py geocode_canteens              # canteens not yet geocoded (at their commune's shipped centre)
    python manage.py geocode_canteens --all        # every canteen but those placed by hand
    python manage.py geocode_canteens --limit 500 --department 35

Each canteen with an address is looked up in the Base Adresse Nationale (its commune's code narrows the search);
without an address, or when the address is not found, the commune's centre comes from the geographic API. Answers
are cached; a rate limit (429) waits the time the service asks (at most 60 s, 3 times) then goes on; a timeout
leaves the canteen where it was. A pin placed by hand (manager or officer) is never moved. A progress line is
written to stderr every 100 canteens.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from canteens.choices import LocationSource
from canteens.geo import Geocoder, GeocoderError, RateLimited
from canteens.models import Canteen

MAX_RATE_LIMIT_RETRIES = 3


class Command(BaseCommand):
    help = "Géocode les cantines (adresse, sinon centre de la commune) avec les services nationaux configurés."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Toutes les cantines, sauf celles placées à la main.")
        parser.add_argument("--limit", type=int, default=0)
        parser.add_argument("--department", default="")
        parser.add_argument("--sleep", type=float, default=0.0, help="Pause entre deux cantines (secondes).")

    def handle(self, *args, **options):
        geocoder = Geocoder()
        if not geocoder.url and not geocoder.geo_api_url:
            raise CommandError("Géocodage désactivé : définissez GEOCODER_URL (et GEO_API_URL).")
        canteens = Canteen.objects.exclude(location_source=LocationSource.MANUAL).order_by("pk")
        if not options["all"]:
            canteens = canteens.exclude(location_source=LocationSource.ADDRESS)
        if options["department"]:
            canteens = canteens.filter(department=options["department"])
        total = canteens.count()
        if options["limit"]:
            total = min(total, options["limit"])
        counts = {"address": 0, "commune": 0, "unchanged": 0, "errors": 0}
        started = time.monotonic()
        for index, canteen in enumerate(canteens.iterator(chunk_size=500)):
            if index >= total:
                break
            counts[self.locate(geocoder, canteen)] += 1
            if options["sleep"]:
                time.sleep(options["sleep"])
            if (index + 1) % 100 == 0 or index + 1 == total:
                self.progress(index + 1, total, started, counts)
        self.stdout.write(
            f"{total} cantines : {counts['address']} à l'adresse, {counts['commune']} au centre de la commune, "
            f"{counts['unchanged']} inchangées, {counts['errors']} erreurs ; {geocoder.requests} requêtes."
        )

    def progress(self, done, total, started, counts):
        width = 30
        filled = int(width * done / total) if total else width
        elapsed = time.monotonic() - started
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {elapsed:.0f} s, {counts['errors']} erreurs",
            ending="\n" if done == total else "",
        )
        self.stderr.flush()

    def locate(self, geocoder, canteen) -> str:
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            try:
                position, source = None, LocationSource.COMMUNE
                if canteen.address.strip():
                    position = geocoder.address(canteen.address, canteen.city_insee_code)
                    source = LocationSource.ADDRESS
                if position is None:
                    position, source = geocoder.commune_centre(canteen.city_insee_code), LocationSource.COMMUNE
                break
            except RateLimited as error:
                if attempt == MAX_RATE_LIMIT_RETRIES:
                    return "errors"
                time.sleep(error.retry_after)
            except GeocoderError:
                return "errors"
        if position is None:
            return "unchanged"
        canteen.set_position(position, source)
        # save(): the stored row of the map follows (signals); locate() keeps this position (same query).
        canteen.save(update_fields=["latitude", "longitude", "location_source", "location_precision", "location_query"])
        return "address" if source == LocationSource.ADDRESS else "commune"
