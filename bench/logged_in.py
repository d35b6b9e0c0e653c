"""Logged-in pages, which the page cache never serves: prints the median and p95 (ms), the query count and the
median Django CPU per request of a manager's canteen list (50 canteens), an officer's follow-up of the region
with the most canteens, and an editor's admin page explorer of the resource hub, measured with Django's test
client (whole Django stack; no network, no gunicorn), next to the site's 404 page in the same run.

    .venv/bin/python bench/logged_in.py postgres://postgres@127.0.0.1:5432/cantine_bench_logged_in \
        [--canteens 10000] [--resources 10000] [--runs 30]

Issue 21 sizes the follow-up at a region of 5,000 canteens: `--canteens 40000` (the generator puts about an
eighth of them in the largest region). The explorer is measured a second time with Wagtail alone: every hook
that the project or wagtail-localize registered (row and header buttons, the explorer's queryset hook) is
off for that scenario, and the ratio of the two is printed: the part of the explorer's cost that is ours.

Issue 21's goal: p95 ≤ 100 ms for each page and a query count that does not grow with the data (the
constancy is asserted by the test suite: tests/territories/test_officers.py, tests/resources/test_hub.py).
The machine is shared: read the ratio to the 404 page and the load average printed with the figures.

The canteens come from the demo generator (as bench/registry.py), the resources from bench/hub.py's bulk
creation; a second run reuses both. `--drop` drops the database at the end (PostgreSQL).
"""

import argparse
import logging
import os
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench._common import (  # noqa: E402
    create_database_if_missing,
    drop_database,
    load_average,
    setup_django,
    time_requests,
)

TARGET_MS = 100
MANAGED = 50
# Hooks read once when the admin starts (URLs, viewsets, permissions, icons): the floor keeps them.
STARTUP_HOOKS = {
    "register_admin_urls",
    "register_admin_viewset",
    "register_permissions",
    "register_icons",
    "register_log_actions",
}


@contextmanager
def wagtail_alone():
    """Wagtail's own admin: every hook the project or another app (wagtail-localize) registered, except those
    read at start-up, is off inside the block (the explorer's queryset hook, row and header buttons, menus)."""
    from wagtail import hooks

    saved = dict(hooks._hooks)
    for name, registered in saved.items():
        if name not in STARTUP_HOOKS:
            hooks._hooks[name] = [(fn, order) for fn, order in registered if fn.__module__.startswith("wagtail.")]
    try:
        yield
    finally:
        hooks._hooks.clear()
        hooks._hooks.update(saved)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--canteens", type=int, default=10_000, help="generated canteens (default 10000)")
    parser.add_argument("--resources", type=int, default=10_000, help="resources in the hub (default 10000)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per scenario (default 30)")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end (PostgreSQL)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL (a dedicated database, e.g. .../cantine_bench_logged_in)")
    return args


def users(hub):
    """The manager (50 canteens), the officer (the region with the most canteens) and the editor."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from canteens.models import Canteen
    from territories.models import CanteenStats, TerritoryOfficer
    from tests.factories import TerritoryOfficerFactory

    User = get_user_model()
    manager = User.objects.filter(email="bench-manager@example.org").first()
    if manager is None:
        manager = User.objects.create_user(username="bench-manager", email="bench-manager@example.org")
        for canteen in Canteen.objects.order_by("pk")[:MANAGED]:
            canteen.managers.add(manager)
    region = (
        CanteenStats.objects.exclude(region=None)
        .values("region")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("region", "n")
        .first()
    )
    officer = TerritoryOfficer.objects.filter(user__email="bench-officer@example.org").first()
    if officer is None:
        officer = TerritoryOfficerFactory(user__email="bench-officer@example.org", regions=[region[0]])
    editor = User.objects.filter(email="bench-editor@example.org").first()
    if editor is None:
        editor = User.objects.create_superuser(
            username="bench-editor", email="bench-editor@example.org", password="unused-bench-password"
        )
    return manager, (officer.user, region), editor


def main():
    import hub as hub_bench
    import registry

    args = parse_args()
    create_database_if_missing(args.database_url)
    setup_django(args.database_url, media="bench-logged-in")
    registry.fill(args.canteens)
    hub = hub_bench.bench_site(force=True)
    hub_bench.fill(hub, args.resources)

    from django.db import connection
    from django.test import Client

    from canteens.models import Canteen
    from resources.models import ResourcePage

    logging.getLogger("django.request").setLevel(logging.ERROR)
    manager, (officer, region), editor = users(hub)
    managed = Canteen.objects.filter(managers=manager).count()
    resources = ResourcePage.objects.child_of(hub).count()
    scenarios = [
        (f"manager's canteen list ({managed} canteens)", manager, "/mes-cantines/", 200),
        (f"officer's follow-up (region {region[0]}, {region[1]} canteens)", officer, "/territoires/suivi/", 200),
        (f"admin page explorer ({resources} resources)", editor, f"/admin/pages/{hub.pk}/", 200),
        ("  the same, Wagtail alone (other apps' hooks off)", editor, f"/admin/pages/{hub.pk}/", 200, wagtail_alone),
        ("404 page, logged in (site chrome only)", manager, "/page-qui-n-existe-pas/", 404),
    ]
    print(f"\n{connection.vendor}, {args.runs} requests per scenario (Django test client)\n")
    print(f"{'scenario':<62} {'median':>8} {'p95':>8} {'queries':>8} {'CPU':>8}")
    worst = 0.0
    results = []
    for name, user, url, expected, *context in scenarios:
        client = Client(HTTP_HOST="bench.localhost")
        client.force_login(user)
        with (context[0] if context else nullcontext)():
            timing = time_requests(lambda client=client, url=url: client.get(url), args.runs, expected, warm_up=3)
        results.append((name, timing.median, timing.p95, timing.queries, timing.cpu))
        if expected == 200 and not context:
            worst = max(worst, timing.p95)
    base = results[-1][1]
    for name, median, p95, queries, cpu in results:
        print(f"{name:<62} {median:7.1f}  {p95:7.1f}  {queries:7d}  {cpu:7.1f}   {median / base:4.1f}× the 404")
    explorer, floor = results[2], results[3]
    print(
        f"\nexplorer / Wagtail alone: median {explorer[1] / floor[1]:.2f}×, p95 {explorer[2] / floor[2]:.2f}×, "
        f"CPU {explorer[4] / floor[4]:.2f}×, queries {explorer[3]} / {floor[3]}"
    )
    print(f"target p95 ≤ {TARGET_MS} ms: {'met' if worst <= TARGET_MS else 'NOT met'} (worst p95 {worst:.1f} ms)")
    print("CPU: median CPU time of this (Django) process per request, ms; PostgreSQL's own time is not in it.")
    print(load_average())
    if args.drop:
        drop_database(args.database_url)
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
