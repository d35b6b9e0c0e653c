"""The map's GeoJSON (GET /api/v1/canteens/geo/) with many canteens: server time (Django test client, whole stack,
no network) and size, national and for one department, cold (built) and cached, and after a canteen changes.

    .venv/bin/python bench/map.py postgres://postgres@127.0.0.1:5432/cantine_bench_map [--count 100000] [--runs 30]

Targets (issue 19): national view p95 < 300 ms server time and < 4 MB compressed; a department < 50 ms; cached and
invalidated when a canteen changes. The canteens come from the demo generator (bench/registry.py's `fill`: the
same database can serve both benches); only listed canteens (a published year, not armed forces) are on the map.
Prints ratios to the targets; not a test (no timed assertion anywhere).
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.registry import create_database_if_missing, fill, percentile, setup_django  # noqa: E402

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
    setup_django(args.database_url)
    fill(args.count, args.force)
    from django.core.cache import cache
    from django.test import Client

    from canteens.models import Canteen
    from territories.models import CanteenStats

    settings_override = {"API_READ_RATE_LIMIT": None}
    from django.conf import settings

    for key, value in settings_override.items():
        setattr(settings, key, value)
    client = Client()
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
    canteen = Canteen.objects.filter(stats__listed=True).order_by("pk").first()
    canteen.name = canteen.name + " (modifiée)"
    canteen.save()
    rebuilt, response = timed(client, URL, **gz)
    assert b"(modifi" in gzip.decompress(response.content)
    cached, _response = timed(client, URL, **gz)
    print(f"\nafter a canteen changed: national request {rebuilt:.0f} ms (rebuilt), then {cached:.1f} ms (cached)")
    canteen.name = canteen.name.removesuffix(" (modifiée)")
    canteen.save()
    print(f"worst cached p95 / target: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
