"""Search latency with 10,000 generated resources: median and p95 (ms) of a filtered search with facets.

    .venv/bin/python bench/search_load.py postgres://postgres@127.0.0.1:5432/cantine_bench_search_load \\
        [--count 10000] [--runs 100] [--drop]

Target on PostgreSQL: p95 < 200 ms (2-core machines).

The database named on the command line is created when missing (PostgreSQL) and migrated; the bench builds its
own site there (home page « bench-search » and a resource index), adds the missing resources in bulk with
generated French titles, summaries and bodies (a fixed random seed: EGAlim vocabulary, places, typos-free
text), rebuilds the search index (`search.indexing.rebuild`, timed) and measures, in process:

- `service.search(q, filters={measure, kind}, facets)`: the search service with filters and facet counts,
  rotating over 10 queries (query plans cached, as in production between two publications);
- the same with the query-plan cache cleared before each call (spelling lookup, word weights: worst case);
- `resources.hub.hub_results({q, measure, audience})`: the hub listing with `q` (page of results + facets);
- GET /recherche/?q=...&type=resource through Django's test client (middleware, view, template).

It refuses to run on a database holding other content unless --force. `--drop` drops the database at the end.
Without `--drop` the database stays seeded: a second run only checks it (migrations, counts, ANALYZE) and
measures, about 4 × (10 + runs) calls (under a minute and a half at rest with the default 100 runs); the
first run creates the resources and rebuilds the index (each phase's time is printed).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    QueryCounter,
    create_database_if_missing,
    drop_database,
    percentile,
    setup_django,
)

BENCH_SITE_NAME = "bench-search"
SEED = 20250101

ACTIONS = [
    "Réduire",
    "Mesurer",
    "Comprendre",
    "Organiser",
    "Mettre en place",
    "Suivre",
    "Présenter",
    "Choisir",
    "Calculer",
    "Remplacer",
    "Financer",
    "Planifier",
    "Évaluer",
    "Améliorer",
    "Expliquer",
    "Valoriser",
]
OBJECTS = [
    "le gaspillage du pain",
    "les menus végétariens",
    "les achats bio",
    "les produits sous label rouge",
    "la certification HVE",
    "les contenants en plastique",
    "les bouteilles d'eau",
    "l'affichage pour les convives",
    "la convention de dons",
    "le plan de diversification des protéines",
    "les légumineuses",
    "les marchés publics",
    "la télédéclaration",
    "les pesées des restes",
    "les portions",
    "les viandes et poissons durables",
    "le projet alimentaire territorial",
    "les circuits courts",
    "la pêche durable",
    "le commerce équitable",
    "les fruits et légumes de saison",
    "la vaisselle réutilisable",
    "les barquettes en inox",
    "les goûters",
    "le coût matière",
    "les fiches techniques",
    "la commission menus",
    "les produits fermiers",
    "les AOP et IGP",
    "le compostage des biodéchets",
    "la formation des cuisiniers",
    "les allergènes",
    "l'eau du robinet",
]
PLACES = [
    "à l'école primaire",
    "au collège",
    "au lycée",
    "à l'hôpital",
    "en EHPAD",
    "en crèche",
    "au restaurant administratif",
    "en restaurant d'entreprise",
    "en cuisine centrale",
    "en outre-mer",
    "à La Réunion",
    "en Guadeloupe",
    "dans une petite commune",
    "dans un centre de vacances",
    "à l'université",
]
SENTENCES = [
    "La loi EGAlim fixe un objectif de 50 % de produits durables et de qualité, dont 20 % de produits bio.",
    "Depuis 2024, les viandes et les poissons doivent être à 60 % durables et de qualité.",
    "Un menu végétarien est servi au moins une fois par semaine en restauration scolaire.",
    "Le diagnostic du gaspillage commence par une semaine de pesées des restes.",
    "Au-delà de 3 000 repas par jour, une convention de dons avec une association est obligatoire.",
    "Les bouteilles d'eau en plastique sont interdites : servez l'eau du robinet en carafe.",
    "Les contenants de cuisson et de réchauffe en plastique sont remplacés par l'inox ou le verre.",
    "Chaque année, les convives sont informés de la part de produits bio dans les repas.",
    "Le tableur calcule les taux EGAlim à partir des factures de l'année.",
    "Les produits sous label rouge, AOP, IGP ou STG comptent dans les 50 %.",
    "La certification haute valeur environnementale est reconnue jusqu'à fin 2026 pour le niveau 2.",
    "Un plan pluriannuel de diversification des protéines est exigé au-delà de 200 repas par jour.",
    "Les légumineuses se cuisinent en grande quantité après un trempage d'une nuit.",
    "Les seuils sont adaptés en outre-mer : 20 % de produits durables, dont 5 % de bio, jusqu'en 2025.",
    "La télédéclaration a lieu chaque année, de janvier à avril, sur ma cantine.",
    "Le projet alimentaire territorial aide les cantines à acheter local et durable.",
    "Couper le pain et le placer en fin de ligne de self réduit les restes.",
    "Allonger le temps de repas à trente minutes assis limite le gaspillage.",
    "Les grammages sont revus avec la diététicienne pour éviter les portions trop grandes.",
    "Les marchés publics peuvent prévoir des lots par famille de produits.",
    "Les critères d'attribution valorisent la performance environnementale des produits.",
    "La commission menus associe les élèves, les parents et l'équipe de cuisine.",
    "Le coût matière par repas reste maîtrisé grâce à la baisse du gaspillage.",
    "Les fruits et légumes de saison sont achetés auprès de producteurs du département.",
    "Les biodéchets restants sont compostés ou méthanisés.",
    "Les résidents de l'EHPAD choisissent les textures et les portions adaptées.",
    "Les équipes de service sont formées à présenter le plat végétarien.",
    "Le commerce équitable compte dans les produits durables lorsqu'il est aussi bio.",
    "Les produits de la pêche durable portent l'écolabel correspondant.",
    "Le gestionnaire suit ses achats par famille : viandes, poissons, produits laitiers, épicerie.",
]
QUERIES = [  # (q, measure filter)
    ("gaspillage pain", "waste"),
    ("menu végé", "diversification"),
    ("bio", "quality"),
    ("label rouge", "quality"),
    ("barquettes plastique", "plastic"),
    ("affichage convives", "information"),
    ("legumineuses", "diversification"),
    ("pesee des restes", "waste"),
    ("HVE", "quality"),
    ("gaspilage", "waste"),  # a typo
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--count", type=int, default=10_000, help="resources (default 10000)")
    parser.add_argument("--runs", type=int, default=100, help="timed calls per scenario (default 100)")
    parser.add_argument("--force", action="store_true", help="run even if the database holds other content")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end (PostgreSQL)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL (a dedicated database, e.g. .../cantine_bench_search_load)")
    return args


def bench_site(force: bool):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page, Site

    from resources.models import ResourceIndexPage
    from tests.factories import HomePageFactory, ResourceIndexPageFactory

    site = Site.objects.filter(site_name=BENCH_SITE_NAME).select_related("root_page").first()
    content = Page.objects.filter(depth__gte=2).exclude(content_type=ContentType.objects.get_for_model(Page))
    if site:
        content = content.exclude(path__startswith=site.root_page.path)
    if content.exists() and not force:
        sys.exit("This database holds pages the bench did not create: use a dedicated database, or --force.")
    if site is None:
        locale = Locale.objects.get_or_create(language_code="fr")[0]
        Site.objects.update(is_default_site=False)
        home = HomePageFactory(parent=Page.get_first_root_node(), slug="bench-search", locale=locale)
        site = Site.objects.create(
            hostname="bench.localhost", port=80, root_page=home, is_default_site=True, site_name=BENCH_SITE_NAME
        )
        ResourceIndexPageFactory(parent=home)
    return ResourceIndexPage.objects.child_of(site.root_page).get()


def generated_text(rng, number):
    title = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} (fiche {number})"
    summary = " ".join(rng.sample(SENTENCES, 2))
    body = [{"type": "paragraph", "value": f"<p>{' '.join(rng.sample(SENTENCES, rng.randint(4, 8)))}</p>"}]
    return title, summary, body


def fill(index, count):
    from django.db import connection, transaction
    from wagtail.models import Page

    from resources.models import ResourcePage
    from search import indexing
    from tests.factories import bulk_create_resources

    existing = ResourcePage.objects.child_of(index).count()
    if existing < count:
        start = time.perf_counter()
        ids = bulk_create_resources(index, count - existing, start=existing)
        rng = random.Random(SEED + existing)
        with transaction.atomic():
            for batch_start in range(0, len(ids), 500):
                batch = list(ResourcePage.objects.filter(pk__in=ids[batch_start : batch_start + 500]))
                pages = []
                for resource in batch:
                    title, summary, body = generated_text(rng, resource.pk)
                    resource.summary, resource.body = summary, body
                    pages.append(Page(pk=resource.pk, title=title, draft_title=title))
                ResourcePage.objects.bulk_update(batch, ["summary", "body"])
                Page.objects.bulk_update(pages, ["title", "draft_title"])
        print(f"created {count - existing} resources in {time.perf_counter() - start:.1f} s")
    from search.models import SearchEntry

    live = Page.objects.live().filter(depth__gt=1).count()
    if SearchEntry.objects.count() != live:
        start = time.perf_counter()
        counts = indexing.rebuild()
        print(f"search index rebuilt: {sum(counts.values())} pages in {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(name, call, runs, before=None):
    from django.db import connection

    for q, measure in QUERIES:  # warm-up: connections, per-process caches, query plans
        call(q, measure)
    if before:
        before()
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        result = call(*QUERIES[0])
    timings = []
    for run in range(runs):
        q, measure = QUERIES[run % len(QUERIES)]
        if before:
            before()
        start = time.perf_counter()
        call(q, measure)
        timings.append((time.perf_counter() - start) * 1000)
    return name, statistics.median(timings), percentile(timings, 0.95), len(queries), result


def measure(runs):
    from django.core.cache import cache
    from django.test import Client

    from resources.hub import hub_results
    from search import service

    def search(q, measure):
        return service.search(q, filters={"measure": [measure], "kind": ["resource"]}, locale="fr").total

    def hub(q, measure):
        page_obj, _facets, _errors = hub_results({"q": q, "measure": measure, "audience": "gestionnaire"}, "fr")
        return page_obj.paginator.count

    client = Client(HTTP_HOST="bench.localhost")

    def page(q, measure):
        response = client.get("/recherche/?" + urlencode({"q": q, "type": "resource"}))
        assert response.status_code == 200
        return response.status_code

    return [
        timed("search, measure + type filters, facets", search, runs),
        timed("same, query plans not cached (worst case)", search, runs, before=cache.clear),
        timed("hub listing with q + measure + audience", hub, runs),
        timed("GET /recherche/?q=…&type=resource", page, runs),
    ]


def main():
    args = parse_args()
    create_database_if_missing(args.database_url)
    setup_django(args.database_url, media="bench-search", elasticsearch=False)
    from django.db import connection

    from resources.models import ResourcePage
    from search.service import active_backend

    index = bench_site(args.force)
    fill(index, args.count)
    total = ResourcePage.objects.child_of(index).count()
    print(f"\n{connection.vendor}, {total} resources, backend {active_backend()}, {args.runs} runs per scenario\n")
    print(f"{'scenario':<46} {'median':>8} {'p95':>8} {'queries':>8}")
    results = measure(args.runs)
    for name, median, p95, queries, _result in results:
        print(f"{name:<46} {median:>6.1f} ms {p95:>5.1f} ms {queries:>8}")
    headline = results[0]
    print(f"\nfiltered search with facets: median {headline[1]:.1f} ms, p95 {headline[2]:.1f} ms (target p95 < 200 ms)")
    if args.drop:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
