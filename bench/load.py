"""Load test over HTTP: the hub listing, the site search, resource pages and the EGAlim evaluate API, with N
concurrent clients for D seconds, against gunicorn on loopback. Prints, per endpoint and overall, the
throughput, p50/p95/p99 latency and the error count (target: no error, p95 < 300 ms).

    .venv/bin/python bench/load.py                         # starts gunicorn + PostgreSQL, page cache off
    .venv/bin/python bench/load.py --page-cache 300        # the same with the anonymous page cache on
    .venv/bin/python bench/load.py --compare               # off, on without the search, on: one after the other
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --clients 20 --duration 30   # a running server

Without --url, the bench runs its own server: production settings (DEBUG off, WhiteNoise with hashed static
files collected into var/bench-static), gunicorn (--workers, --threads) on 127.0.0.1, on the PostgreSQL database
`cantine_bench_load` (--database), created and filled by `load_demo` on first use and reused afterwards
(--fresh starts again). Only loopback addresses are accepted: this is not a tool to load someone else's server.

Clients are threads with keep-alive connections (http.client); each picks the endpoints in turn (hub, search,
resource, evaluate) with a random variant (filters, words, resources, purchases). The evaluate API is
rate-limited per IP address: the bench's server reads the client address from an X-Bench-Client-IP header
(RATELIMIT_IP_META_KEY) and each request comes from one of 65,000 addresses, as distinct visitors would (the
rate limit is still counted for each request). A request is an error when it fails, times out (10 s) or
answers anything but 200.

With the page cache on, the 7 search URLs of the bench are cached too (PAGE_CACHE_SEARCH, on by default): real
searches are more varied, hence the middle configuration of --compare, where only the pages are cached.

After each configuration, the same clients load the minimal Django view (/healthz: the whole middleware stack
and one `SELECT 1`) on the same gunicorn for --minimal-duration seconds: the pages' throughput is printed as a
fraction of that floor (issue 21 judges on ratios measured in one run). `--port` picks the server's port.

--json FILE writes the figures; docs/exploitation.md quotes them.
"""

import argparse
import http.client
import ipaddress
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import percentile, postgres_admin_connection  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cantine_bench_load"
TIMEOUT = 10.0
CLIENT_IP_HEADER = "X-Bench-Client-IP"

HUB = [
    "/ressources/",
    "/ressources/?measure=quality",
    "/ressources/?measure=waste&type=fiche-pratique",
    "/ressources/?audience=gestionnaire&sector=enseignement&sort=title",
    "/ressources/?format=pdf",
    "/ressources/?page=2",
    "/en/resources/",
]
SEARCH = [
    "/recherche/?q=gaspillage",
    "/recherche/?q=bio",
    "/recherche/?q=" + quote("menu végétarien"),
    "/recherche/?q=plastique",
    "/recherche/?q=" + quote("télédéclaration"),
    "/ressources/?q=labels",
    "/en/search/?q=waste",
]
RESOURCES = [  # demo resources (resources/demo_content.py)
    "/ressources/labels-egalim/",
    "/ressources/calculer-ses-taux-egalim/",
    "/ressources/diagnostic-gaspillage/",
    "/ressources/menu-vegetarien-hebdo/",
    "/ressources/plastiques-calendrier/",
    "/ressources/affichage-convives/",
    "/ressources/modele-mail-cantine-inscrite/",
    "/mesures-egalim/quality/",
]
EVALUATE = "/api/v1/egalim/evaluate/"
# Issue 21, goal 2: page cache off, 50 clients, at least 3× the throughput measured before the performance work
# (46–71 req/s on this 2-core machine, p95 1.5–2.7 s), with p95 < 500 ms and no error.
BASELINE = (46.0, 71.0)
GOAL_FACTOR = 3
GOAL_P95 = 500
DEPARTMENTS = ["35", "75", "13", "69", "972", "974", "976", "2A"]


def evaluate_body(rng):
    total = rng.randrange(20_000, 2_000_000)
    bio = int(total * rng.uniform(0, 0.4))
    return json.dumps(
        {
            "year": rng.choice([2023, 2024, 2025]),
            "department": rng.choice(DEPARTMENTS),
            "purchases": {"total": total, "bio": bio, "siqo": int(total * rng.uniform(0, 0.3))},
            "answers": {"waste": {"diagnostic_done": rng.choice([True, False])}},
        }
    )


ENDPOINTS = ["hub", "search", "resource", "evaluate"]


MINIMAL = "/healthz"  # the minimal Django view: whole middleware stack, one `SELECT 1`, a small JSON


def request_for(endpoint, rng):
    if endpoint == "minimal":
        return "GET", MINIMAL, None
    if endpoint == "hub":
        return "GET", rng.choice(HUB), None
    if endpoint == "search":
        return "GET", rng.choice(SEARCH), None
    if endpoint == "resource":
        return "GET", rng.choice(RESOURCES), None
    return "POST", EVALUATE, evaluate_body(rng)


# --- the load ----------------------------------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(self, number, host, port, deadline, start_barrier, results, endpoints=ENDPOINTS):
        super().__init__(daemon=True)
        self.endpoints = endpoints
        self.number = number
        self.host, self.port = host, port
        self.deadline = deadline  # [monotonic time], filled in by run_load()
        self.start_barrier = start_barrier
        self.results = results  # endpoint -> list of (seconds, ok)
        self.rng = random.Random(number)
        self.connection = None
        self.statuses = {}

    def connect(self):
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def one(self, method, path, body):
        address = str(ipaddress.IPv4Address("10.20.0.0") + self.rng.randrange(1, 65_000))  # many visitors
        headers = {"Accept-Language": "fr", CLIENT_IP_HEADER: address, "User-Agent": "ma-cantine-bench/1"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile is opened again once
            if self.connection is None:
                self.connect()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    return type(error).__name__
            except (OSError, http.client.HTTPException) as error:
                if self.connection:
                    self.connection.close()
                self.connection = None
                return type(error).__name__
        return "unreachable"

    def run(self):
        self.start_barrier.wait()
        turn = self.number
        deadline = self.deadline[0]
        while time.monotonic() < deadline:
            endpoint = self.endpoints[turn % len(self.endpoints)]
            turn += 1
            method, path, body = request_for(endpoint, self.rng)
            started = time.perf_counter()
            status = self.one(method, path, body)
            elapsed = time.perf_counter() - started
            self.results[endpoint].append((elapsed, status == 200))
            if status != 200:
                key = f"{endpoint} {method} {path} -> {status}"
                self.statuses[key] = self.statuses.get(key, 0) + 1
        if self.connection:
            self.connection.close()


def run_load(base_url, clients, duration, endpoints=ENDPOINTS):
    parts = urlsplit(base_url)
    results = {endpoint: [] for endpoint in endpoints}
    barrier = threading.Barrier(clients + 1)
    threads = []
    deadline = []  # set just before the barrier releases every client at once
    for number in range(clients):
        thread = Client(number, parts.hostname, parts.port or 80, deadline, barrier, results, endpoints)
        thread.start()
        threads.append(thread)
    started = time.monotonic()
    deadline.append(started + duration)
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    errors = {}
    for thread in threads:
        for key, count in thread.statuses.items():
            errors[key] = errors.get(key, 0) + count
    return summarise(results, elapsed), errors


def summarise(results, elapsed):
    rows = {}
    everything = []
    for endpoint, samples in list(results.items()) + [("all", None)]:
        if samples is None:
            samples = everything
        else:
            everything.extend(samples)
        times = [seconds * 1000 for seconds, _ok in samples]
        rows[endpoint] = {
            "requests": len(samples),
            "errors": sum(1 for _seconds, ok in samples if not ok),
            "throughput": round(len(samples) / elapsed, 1) if elapsed else 0.0,
            "p50": round(percentile(times, 0.50), 1),
            "p95": round(percentile(times, 0.95), 1),
            "p99": round(percentile(times, 0.99), 1),
            "max": round(max(times), 1) if times else float("nan"),
            "mean": round(statistics.fmean(times), 1) if times else float("nan"),
        }
    rows["all"]["seconds"] = round(elapsed, 1)
    return rows


def print_table(title, rows):
    print(f"\n{title}")
    header = ["requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    print(f"{'endpoint':<10} " + " ".join(f"{name:>8}" for name in header))
    for endpoint, row in rows.items():
        print(
            f"{endpoint:<10} {row['requests']:>8} {row['errors']:>8} {row['throughput']:>8} "
            f"{row['p50']:>8} {row['p95']:>8} {row['p99']:>8} {row['max']:>8}"
        )
    verdict = "OK" if rows["all"]["errors"] == 0 and rows["all"]["p95"] < 300 else "ABOVE TARGET"
    print(f"target (no error, p95 < 300 ms): {verdict}")


def goal_2(rows, clients):
    """The line issue 21's goal 2 is judged on (page cache off): throughput against the baseline's range."""
    row = rows["all"]
    low, high = BASELINE
    needed = GOAL_FACTOR * high
    met = row["throughput"] >= needed and row["p95"] < GOAL_P95 and row["errors"] == 0 and clients >= 50
    return (
        f"goal 2 (issue 21): {row['throughput']} req/s = {row['throughput'] / high:.2f}× to "
        f"{row['throughput'] / low:.2f}× the {low:g}–{high:g} req/s measured before (needs ≥ {GOAL_FACTOR}×: "
        f"≥ {needed:g} req/s against the best), p95 {row['p95']} ms (< {GOAL_P95}), {row['errors']} errors, "
        f"{clients} clients: {'met' if met else 'NOT met'}"
    )


def warm_up(base_url, rounds):
    """Every URL a few times, so each worker has its connections, its caches and (if on) the cached pages."""
    for _ in range(rounds):
        for path in HUB + SEARCH + RESOURCES:
            with urllib.request.urlopen(base_url + path, timeout=30) as response:
                response.read()
        request = urllib.request.Request(
            base_url + EVALUATE,
            data=evaluate_body(random.Random(0)).encode(),
            headers={"Content-Type": "application/json", CLIENT_IP_HEADER: "10.30.0.1"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


# --- the server the bench starts ---------------------------------------------------------------------------------


def check_loopback(url):
    host = urlsplit(url).hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        sys.exit(f"{url}: only loopback addresses (127.0.0.1, ::1, localhost) are accepted")


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchServer:
    def __init__(self, args):
        self.args = args
        self.database = args.database
        self.static = ROOT / "var" / "bench-static"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-load-secret-key-not-for-production-" + "x" * 30,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database,
            "STATIC_ROOT": str(self.static),
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
            "RATELIMIT_IP_META_KEY": "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_"),
            "LOG_LEVEL": "WARNING",
        }
        for name in ("ELASTICSEARCH_URL", "PAGE_CACHE_SECONDS", "REDIS_URL"):
            self.env.pop(name, None)
        if args.redis_url:
            self.env["REDIS_URL"] = args.redis_url
        self.process = None

    def manage(self, *command):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env, check=True)

    def prepare(self):
        import psycopg

        connection, name = postgres_admin_connection(self.database)
        with connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and self.args.fresh:
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
                print(f"database {name} created")
        self.manage("migrate", "--no-input", "-v", "0")
        with psycopg.connect(self.database) as connection:
            pages = connection.execute("SELECT count(*) FROM wagtailcore_page").fetchone()[0]
        if pages < 50:
            print("loading the demo content (load_demo)...")
            self.manage("load_demo")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def start(self, page_cache, search_cache=True):
        port = self.args.port or free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {**self.env, "PAGE_CACHE_SECONDS": str(page_cache), "PAGE_CACHE_SEARCH": str(search_cache).lower()}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.args.workers),
                "--threads",
                str(self.args.threads),
                "--worker-class",
                "gthread",
                "--keep-alive",
                "5",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self.url
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server on loopback (default: the bench starts its own)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--page-cache", type=int, default=0, help="PAGE_CACHE_SECONDS of the bench's server")
    parser.add_argument(
        "--compare", action="store_true", help="page cache off, then on (300 s) without the search, then on"
    )
    parser.add_argument("--no-search-cache", action="store_true", help="PAGE_CACHE_SEARCH=false on the bench's server")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"default {DEFAULT_DATABASE}")
    parser.add_argument("--fresh", action="store_true", help="drop and fill the bench database again")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument("--redis-url", help="REDIS_URL of the bench's server (default: per-process cache)")
    parser.add_argument("--warm-up", type=int, default=3, help="rounds over every URL before measuring")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--port", type=int, help="port of the bench's gunicorn on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--minimal-duration",
        type=float,
        default=20,
        help=f"seconds of load on the minimal view ({MINIMAL}) after each configuration, for the ratio (0 = none)",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    runs = {}
    if args.url:
        check_loopback(args.url)
        warm_up(args.url, args.warm_up)
        rows, errors = run_load(args.url.rstrip("/"), args.clients, args.duration)
        runs[args.url] = {"rows": rows, "errors": errors}
        print_table(f"{args.url}: {args.clients} clients, {args.duration:g} s", rows)
        if errors:
            print("errors:", json.dumps(errors, indent=1, ensure_ascii=False))
    else:
        check_loopback(args.database.replace("postgres://", "http://"))
        server = BenchServer(args)
        server.prepare()
        configurations = (
            [(0, True), (300, False), (300, True)] if args.compare else [(args.page_cache, not args.no_search_cache)]
        )
        for page_cache, search_cache in configurations:
            url = server.start(page_cache, search_cache)
            try:
                warm_up(url, args.warm_up)
                rows, errors = run_load(url, args.clients, args.duration)
                minimal = None
                if args.minimal_duration:  # the same gunicorn, the same clients, right after: the floor
                    minimal, _minimal_errors = run_load(url, args.clients, args.minimal_duration, ["minimal"])
            finally:
                server.stop()
            label = "page cache off"
            if page_cache:
                label = f"page cache on ({page_cache} s{', search not cached' if not search_cache else ''})"
            runs[label] = {"rows": rows, "errors": errors}
            print_table(
                f"{label}: {args.clients} clients, {args.duration:g} s, gunicorn {args.workers} workers × "
                f"{args.threads} threads, PostgreSQL, cache {'Redis' if args.redis_url else 'per process'}",
                rows,
            )
            if minimal:
                runs[label]["minimal"] = minimal["minimal"]
                floor = minimal["minimal"]["throughput"]
                ratio = rows["all"]["throughput"] / floor if floor else float("nan")
                print(
                    f"minimal view {MINIMAL} on the same server: {floor} req/s, p95 {minimal['minimal']['p95']} ms, "
                    f"{minimal['minimal']['errors']} errors; pages reach {ratio:.2f} of its throughput"
                )
            if not page_cache:
                print(goal_2(rows, args.clients))
            loads = ", ".join(f"{load:.1f}" for load in os.getloadavg())
            print(f"load average after this configuration: {loads} ({os.cpu_count()} CPUs)")
            if errors:
                print("errors:", json.dumps(errors, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2, ensure_ascii=False))
    failed = any(run["rows"]["all"]["errors"] for run in runs.values())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
