"""The map's GeoJSON (GET /api/v1/canteens/geo/) with many canteens: server time (Django test client, whole stack,
no network) and size, national and for one department, cold (built) and cached, and after a canteen changes.

    .venv/bin/python bench/map.py postgres://postgres@127.0.0.1:5432/cantine_bench_map [--count 100000] [--runs 30]

Targets (issue 19): national view p95 < 300 ms server time and < 4 MB compressed; a department < 50 ms; cached and
invalidated when a canteen changes. The map reads only the stored rows (CanteenStats, DeclarationStats), so the
bench writes them directly (`fill_map`, about a minute for 100,000): canteens named by the demo generator, in
communes drawn from the whole shipped list of commune centres, each at its commune's centre moved by up to ±0.02°
(as addresses would be: identical points would compress better than real data), all listed (a published year),
a third of them declared in the last published campaign. Prints ratios to the targets; not a test.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import create_database_if_missing, percentile, setup_django  # noqa: E402

PREFIX = "9"  # SIRETs of the bench's canteens


def fill_map(count):
    """`count` listed canteens with their stored rows, written in bulk (no rules evaluated)."""
    import random
    from decimal import Decimal

    from django.db import connection, transaction

    from canteens.geo import _centres
    from canteens.models import Campaign, Canteen
    from canteens.validators import department_of_commune
    from territories import demo, stats
    from territories.models import CampaignPublication, CanteenStats, DeclarationStats

    existing = Canteen.objects.filter(siret__startswith=PREFIX).count()
    if existing >= count:
        print(f"{existing} canteens already there")
        return
    campaign, _created = Campaign.objects.get_or_create(
        year=2024,
        defaults={"declaration_start": "2025-01-01", "declaration_end": "2025-04-30"},
    )
    CampaignPublication.objects.get_or_create(campaign=campaign)
    known = set(stats.regions_by_department())
    communes = sorted(code for code in _centres() if department_of_commune(code) in known)
    started = time.perf_counter()
    for start in range(existing, count, 5000):
        rows = []
        with transaction.atomic():
            batch = []
            for index in range(start, min(count, start + 5000)):
                rng = random.Random(index)
                canteen = demo._canteen(index)
                canteen.siret = PREFIX + demo.siret_for(index)[1:]
                canteen.line_ministry = ""
                code = communes[rng.randrange(len(communes))]
                canteen.city_insee_code = code
                canteen.department = canteen.territory_department_id = department_of_commune(code)
                lat, lon, precision = _centres()[code]
                canteen.latitude = round(lat + rng.uniform(-0.02, 0.02), 6)
                canteen.longitude = round(lon + rng.uniform(-0.02, 0.02), 6)
                canteen.location_source, canteen.location_precision = "commune", precision
                batch.append(canteen)
            Canteen.objects.bulk_create(batch)
            for canteen in batch:
                rng = random.Random(canteen.pk)
                values = stats.canteen_values(canteen)
                bio = Decimal(rng.randint(0, 6000)) / 100
                egalim = min(Decimal(100), bio + Decimal(rng.randint(0, 5000)) / 100)
                values.update(
                    listed=True,
                    published_year=2024,
                    bio_rate=bio,
                    egalim_rate=egalim,
                    bio_sort=bio,
                    egalim_sort=egalim,
                    objectives_met=bio >= 20 and egalim >= 50,
                )
                rows.append(CanteenStats(canteen_id=canteen.pk, **values))
            CanteenStats.objects.bulk_create(rows)
        print(f"{min(count, start + 5000)} / {count} ({time.perf_counter() - started:.0f} s)", flush=True)
    # A third declared in the published campaign (the map reads only the canteen and year of DeclarationStats).
    from canteens.models import Teledeclaration

    ids = list(CanteenStats.objects.filter(canteen__siret__startswith=PREFIX).values_list("canteen_id", flat=True))
    chosen = ids[::3]
    for start in range(0, len(chosen), 5000):
        with transaction.atomic():
            declarations = Teledeclaration.objects.bulk_create(
                [
                    Teledeclaration(canteen_id=pk, year=2024, version=1, snapshot={})
                    for pk in chosen[start : start + 5000]
                ]
            )
            DeclarationStats.objects.bulk_create(
                [
                    DeclarationStats(
                        teledeclaration_id=declaration.pk,
                        canteen_id=declaration.canteen_id,
                        year=2024,
                        submitted_at=declaration.submitted_at,
                    )
                    for declaration in declarations
                ]
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s")


URL = "/api/v1/canteens/geo/"
SCENARIOS = [
    ("national", URL, 300),
    ("department 59", URL + "?department=59", 50),
    ("department 35, education", URL + "?department=35&sector=education", 50),
    ("region 84, objectives met", URL + "?region=84&objectives=yes", 300),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="cached requests per scenario (default 30)")
    parser.add_argument("--cold-runs", type=int, default=3, help="requests with an empty cache (default 3)")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL of a dedicated database")
    return args


def timed(client, url, **headers):
    start = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response


def main():
    args = parse_args()
    create_database_if_missing(args.database_url)
    setup_django(args.database_url, media="bench-map")
    fill_map(args.count)
    from django.core.cache import cache
    from django.test import Client

    from territories.models import CanteenStats

    settings_override = {"API_READ_RATE_LIMIT": None}
    from django.conf import settings

    for key, value in settings_override.items():
        setattr(settings, key, value)
    client = Client()
    CanteenStats.objects.filter(canteen__siret__startswith=PREFIX).update(listed=True)  # an earlier run's save
    gz = {"HTTP_ACCEPT_ENCODING": "gzip"}
    total = CanteenStats.objects.count()
    listed = CanteenStats.objects.filter(listed=True).count()
    print(f"\n{total} canteens, {listed} listed (on the map); {args.runs} cached runs, {args.cold_runs} cold runs\n")
    header = ("scenario", "features", "raw MB", "gzip MB", "cold med", "cached p95", "target")
    print("{:<28} {:>8} {:>7} {:>7} {:>9} {:>10} {:>7}".format(*header))
    worst = 0.0
    for name, url, target in SCENARIOS:
        cold = []
        for _ in range(args.cold_runs):
            cache.clear()
            elapsed, response = timed(client, url, **gz)
            cold.append(elapsed)
        raw = gzip.decompress(response.content)
        warm = [timed(client, url, **gz)[0] for _ in range(args.runs)]
        p95 = percentile(warm, 0.95)
        worst = max(worst, p95 / target)
        print(
            f"{name:<28} {response['X-Total-Count']:>8} {len(raw) / 1e6:7.2f} {len(response.content) / 1e6:7.2f} "
            f"{statistics.median(cold):7.0f}ms {p95:8.1f}ms {target:5d}ms"
        )
    # invalidation: a canteen changes, the next national request rebuilds, the one after is cached again
    client.get(URL, **gz)
    # what territories.stats.refresh_canteen writes when a canteen is saved (the bench's canteens have no
    # diagnostics, so a real save would unlist them)
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils import timezone

    row = CanteenStats.objects.filter(listed=True).order_by("canteen_id").first()
    CanteenStats.objects.filter(pk=row.pk).update(name=Concat("name", Value(" (modifiée)")), updated_at=timezone.now())
    rebuilt, response = timed(client, URL, **gz)
    assert "(modifiée)".encode() in gzip.decompress(response.content)
    cached, _response = timed(client, URL, **gz)
    print(f"\nafter a canteen changed: national request {rebuilt:.0f} ms (rebuilt), then {cached:.1f} ms (cached)")
    CanteenStats.objects.filter(pk=row.pk).update(name=row.name, updated_at=timezone.now())
    print(f"worst cached p95 / target: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
