"""Poster rendering time: renders N diner posters with WeasyPrint and prints the median and p95 in ms.

    .venv/bin/python bench/poster.py [N]      (default 30; target: median < 1000 ms)

Standalone: uses config.settings.dev (or DJANGO_SETTINGS_MODULE), needs no database (the poster is built from an
evaluation of the rules).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=30, help="posters to time (default 30)")
    return parser.parse_args()


def evaluation(year, bio):
    from egalim.rules import DiagnosticInput, evaluate

    return evaluate(
        DiagnosticInput.from_dict(
            {
                "year": year,
                "department": "35",
                "daily_meals": 320,
                "purchases": {
                    "total": "158000",
                    "bio": bio,
                    "siqo": "24000",
                    "environmental": "2500",
                    "other_egalim": "12000",
                    "meat_fish_total": "43000",
                    "meat_fish_egalim": "27000",
                },
                "answers": {"information": {"informs_diners": True}, "plastic": {"bottles": True}},
            }
        )
    )


def main():
    count = parse_args().count
    setup_django(
        None,
        media="bench-poster",
        migrate=False,
        settings_module=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev"),
    )
    from diagnostic.poster import poster_context, render_poster

    current, previous = evaluation(2024, "33500"), evaluation(2023, "24000")
    timings = []
    size = 0
    for index in range(count + 1):
        start = time.perf_counter()
        context = poster_context(
            f"Restaurant scolaire n° {index}",
            current,
            previous=previous,
            note="Nos menus sont préparés sur place chaque matin avec des produits de saison." * 5,
            public_url=f"https://ma-cantine.example/cantines/{index}-restaurant-scolaire/",
            lang="fr",
        )
        pdf = render_poster(context)
        elapsed = (time.perf_counter() - start) * 1000
        size = len(pdf)
        if index:  # the first render loads fonts and templates: reported apart
            timings.append(elapsed)
        else:
            first = elapsed
    print(
        f"posters: {count}, first (cold): {first:.0f} ms, median: {statistics.median(timings):.0f} ms, "
        f"p95: {percentile(timings, 0.95):.0f} ms, max: {max(timings):.0f} ms, size: {size / 1024:.0f} KiB, "
        f"target median < 1000 ms: {'ok' if statistics.median(timings) < 1000 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
