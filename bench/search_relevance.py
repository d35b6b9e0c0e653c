"""Search relevance on the demo content: a judged set of French queries, MRR and nDCG@5 for the active backend.

    .venv/bin/python bench/search_relevance.py postgres://postgres@127.0.0.1:5432/cantine_bench_search --load
    .venv/bin/python bench/search_relevance.py [DATABASE_URL] [--min-mrr 0.8] [--verbose]

`--load` prepares the database first: creates it when missing (PostgreSQL), migrates, runs `load_demo`
(idempotent) and `search_reindex`. Without it, the database must already hold the demo content.
The active backend is the one the site would use: Elasticsearch when ELASTICSEARCH_URL is set (run
`search_reindex` first), PostgreSQL full text otherwise (the SQLite fallback with a SQLite URL).

Judgements are graded by reading the demo content (resources/demo_content.py), not the search results:
2 = the page that answers the query, 1 = a useful page. They name pages by slug (French tree).
Metrics over the first 10 results of each query:
- MRR: mean of 1 / rank of the first judged page (0 when none is in the first 10);
- nDCG@5: DCG of the first 5 results (gain 2^grade - 1, discount log2(rank + 1)) over the ideal DCG;
- best page first: queries whose first result is a grade-2 page (stricter than MRR, which counts grade 1).

Target on PostgreSQL: MRR ≥ 0.8. Exit status 1 when MRR < --min-mrr.
"""

import argparse
import math
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# (query as users type it, what it tests, {slug: grade})
JUDGEMENTS = [
    (
        "menu végé",
        "synonym, prefix",
        {
            "menu-vegetarien-hebdo": 2,
            "rex-college-vegetarien": 1,
            "diversification": 1,
            "recettes-vegetariennes": 1,
            "option-vegetarienne-etat": 1,
        },
    ),
    (
        "menu vegetarien",
        "no accents",
        {"menu-vegetarien-hebdo": 2, "rex-college-vegetarien": 1, "diversification": 1, "option-vegetarienne-etat": 1},
    ),
    (
        "gaspillage pain",
        "two words, body text",
        {"plan-action-gaspillage": 2, "reduire-le-gaspillage": 1, "diagnostic-gaspillage": 1},
    ),
    ("loi egalim bio outre-mer", "four words, no accents", {"outre-mer-seuils": 2, "quality": 1}),
    ("HVE", "acronym in the body", {"labels-egalim": 2, "quality": 1, "calculer-ses-taux-egalim": 1}),
    ("haute valeur environnementale", "phrase, synonym of HVE", {"labels-egalim": 2, "quality": 1}),
    ("SIQO", "acronym absent from the text (synonyms)", {"labels-egalim": 2, "quality": 1}),
    ("label rouge", "phrase", {"labels-egalim": 2, "quality": 1}),
    (
        "recettes vegetariennes",
        "plural, no accents",
        {"recettes-vegetariennes": 2, "video-menu-vegetarien": 1, "rex-college-vegetarien": 1},
    ),
    (
        "gaspilage",
        "typo",
        {
            "reduire-le-gaspillage": 2,
            "waste": 2,
            "plan-action-gaspillage": 1,
            "diagnostic-gaspillage": 1,
            "video-gaspillage": 1,
            "grille-pesee": 1,
        },
    ),
    (
        "gaspi",
        "short form (synonym)",
        {
            "reduire-le-gaspillage": 2,
            "waste": 2,
            "plan-action-gaspillage": 1,
            "diagnostic-gaspillage": 1,
            "video-gaspillage": 1,
            "loi-agec": 1,
        },
    ),
    ("convention de dons", "stop word", {"convention-dons": 2, "waste": 1, "reduire-le-gaspillage": 1}),
    ("don association", "singular for plural", {"convention-dons": 2, "waste": 1}),
    (
        "diagnostic gaspillage",
        "two words",
        {"diagnostic-gaspillage": 2, "grille-pesee": 1, "reduire-le-gaspillage": 1, "waste": 1},
    ),
    ("pesee des restes", "no accents", {"grille-pesee": 2, "diagnostic-gaspillage": 1, "rex-ehpad-portions": 1}),
    ("calculer taux bio", "verb and acronym", {"calculer-ses-taux-egalim": 2, "tableur-suivi-achats": 1}),
    ("tableur achats", "plural", {"tableur-suivi-achats": 2, "calculer-ses-taux-egalim": 1}),
    (
        "teledeclaration",
        "no accents",
        {"teledeclaration-pas-a-pas": 2, "tableur-suivi-achats": 1, "modele-mail-cantine-inscrite": 1},
    ),
    ("télédéclarer", "verb (synonym)", {"teledeclaration-pas-a-pas": 2, "tableur-suivi-achats": 1}),
    ("PAT", "acronym", {"guide-charges-de-mission": 2, "support-presentation-ma-cantine": 1}),
    ("projet alimentaire territorial", "phrase", {"guide-charges-de-mission": 2, "support-presentation-ma-cantine": 1}),
    ("bouteilles plastique", "plural and singular", {"carafes-eau": 2, "plastiques-calendrier": 2, "plastic": 1}),
    (
        "barquettes plastique",
        "two words",
        {"alternatives-contenants": 2, "plastiques-calendrier": 1, "inventaire-plastiques": 1, "plastic": 1},
    ),
    ("carafe d'eau", "elision, singular", {"carafes-eau": 2, "plastic": 1}),
    ("vaiselle jetable", "typo", {"plastiques-calendrier": 2, "plastic": 1}),
    (
        "affichage convives",
        "plural",
        {"affichage-convives": 2, "information": 2, "modele-lettre-familles": 1, "depliant-parents": 1},
    ),
    (
        "information des usagers",
        "synonym (convives)",
        {"information": 2, "affichage-convives": 2, "modele-lettre-familles": 1},
    ),
    ("lettre aux familles", "stop words", {"modele-lettre-familles": 2, "depliant-parents": 1}),
    ("marche public", "no accents", {"marches-publics-egalim": 2, "atteindre-50-pourcent": 1}),
    ("viande poisson 60", "singular, number", {"viandes-poissons-60": 2, "quality": 1}),
    (
        "plan diversification proteines",
        "no accents",
        {"plan-diversification": 2, "diversification": 2, "support-diversification": 1},
    ),
    (
        "legumineuses",
        "body text, synonym of plant proteins",
        {"video-menu-vegetarien": 2, "diversification": 1, "menu-vegetarien-hebdo": 1, "support-diversification": 1},
    ),
    ("ehpad portions", "acronym", {"rex-ehpad-portions": 2}),
    ("cuisine centrale", "phrase", {"rex-cuisine-centrale-52": 2, "teledeclaration-pas-a-pas": 1}),
    ("loi agec", "acronym", {"loi-agec": 2, "plastiques-calendrier": 1}),
    ("loi climat", "title words", {"loi-climat-resilience": 2, "loi-egalim": 1}),
    ("maire restauration scolaire", "audience words", {"guide-elu-egalim": 2, "guide-elu-restauration-scolaire": 2}),
    ("kit ambassadeur", "kit", {"kit-ambassadeur": 2}),
    ("plaquette", "single word", {"plaquette-ma-cantine": 2, "kit-ambassadeur": 1}),
    (
        "mail cantine non inscrite",
        "stop-word-like « non »",
        {"modele-mail-cantine-non-inscrite": 2, "modele-mail-cantine-inscrite": 1},
    ),
    ("donnees ouvertes", "no accents", {"donnees-ouvertes-ma-cantine": 2}),
    ("option vegetarienne etat", "no accents", {"option-vegetarienne-etat": 2, "diversification": 1}),
    ("seuils guadeloupe", "place name", {"outre-mer-seuils": 2}),
    ("atteindre 50%", "number and symbol", {"atteindre-50-pourcent": 2, "quality": 1}),
    (
        "reduire les restes",
        "verb, plural",
        {"rex-ehpad-portions": 2, "plan-action-gaspillage": 1, "reduire-le-gaspillage": 1, "grille-pesee": 1},
    ),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--load", action="store_true", help="create/migrate the database, load the demo, reindex")
    parser.add_argument("--min-mrr", type=float, default=0.8, help="exit 1 below this MRR (default 0.8)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the first five results of each query")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give the database URL (a dedicated database, e.g. .../cantine_bench_search)")
    return args


def create_database_if_missing(url):
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def evaluate(slugs: list[str], judged: dict[str, int]) -> tuple[float, float]:
    reciprocal = next((1 / rank for rank, slug in enumerate(slugs[:10], start=1) if judged.get(slug)), 0.0)
    gains = [judged.get(slug, 0) for slug in slugs[:5]]
    ideal = dcg(sorted(judged.values(), reverse=True)[:5])
    return reciprocal, (dcg(gains) / ideal if ideal else 0.0)


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args.load:
        create_database_if_missing(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Page

    from search import service

    if args.load:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("search_reindex", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    slugs_by_id = dict(Page.objects.filter(locale__language_code="fr").values_list("pk", "slug"))
    known = set(slugs_by_id.values())
    missing = sorted({slug for _q, _what, judged in JUDGEMENTS for slug in judged} - known)
    if missing:
        sys.exit(f"Judged pages missing from the database (run with --load?): {', '.join(missing)}")

    print(f"Backend: {service.active_backend()} — {len(JUDGEMENTS)} judged queries\n")
    print(f"{'query':<34} {'RR':>5} {'nDCG@5':>7}  first result")
    total_rr = total_ndcg = 0.0
    best_first = 0
    for query, what, judged in JUDGEMENTS:
        results = service.search(query, locale="fr", per_page=10, facets=False)
        slugs = [slugs_by_id.get(hit.page_id, "?") for hit in results.hits]
        reciprocal, ndcg = evaluate(slugs, judged)
        total_rr += reciprocal
        total_ndcg += ndcg
        best_first += bool(slugs) and judged.get(slugs[0], 0) == max(judged.values())
        first = slugs[0] if slugs else "—"
        mark = "" if reciprocal == 1 else "  ←"
        print(f"{query:<34} {reciprocal:>5.2f} {ndcg:>7.2f}  {first}{mark}")
        if args.verbose:
            print(f"    ({what}) {', '.join(f'{s}[{judged.get(s, 0)}]' for s in slugs[:5])}")
    mrr = total_rr / len(JUDGEMENTS)
    ndcg = total_ndcg / len(JUDGEMENTS)
    print(f"\nMRR     {mrr:.3f}   (target ≥ {args.min_mrr})")
    print(f"nDCG@5  {ndcg:.3f}")
    print(f"best page first (a grade-2 page at rank 1): {best_first}/{len(JUDGEMENTS)}")
    print(f"backend {results.backend or service.active_backend()}")
    if mrr < args.min_mrr:
        sys.exit(1)


if __name__ == "__main__":
    main()
