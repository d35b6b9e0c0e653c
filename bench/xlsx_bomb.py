"""XLSX bombs against the purchase import's reader (home/spreadsheets.py): time and peak memory of each refusal,
next to an ordinary 50,000-line purchase file read in full.

    .venv/bin/python bench/xlsx_bomb.py

Each case runs in a fresh child process so that its peak resident memory (`ru_maxrss`) is its own. The issue's
figures before the fix (openpyxl read-only): 300 KB inflating to 300 MB, 7.5 s CPU and 1.2 GB; 698 KB, 22.5 s
and 2.66 GB. A 5 KB sheet with one cell at ZZ200000 made python-calamine allocate 4.3 GB in 40 s.
"""

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import ROOT, setup_django  # noqa: E402


def workbook(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "description", "fournisseur", "famille", "labels", "montant HT"])
    for index in range(rows):
        sheet.append(["15/01/2024", f"Produit {index}", "Ferme des Prés", "Fruits et légumes", "Bio", 12.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_member(data, name, content):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy:
        for item in source.infolist():
            if item.filename != name:
                copy.writestr(item.filename, source.read(item.filename))
        copy.writestr(name, content)
    return out.getvalue()


def shared_strings_bomb(megabytes):
    unit = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    count = megabytes * 1024 * 1024 // len(unit)
    return b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + unit * count + b"</sst>"


def far_cell():
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "date"
    book.active["ZZ200000"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CASES = {
    "sharedStrings bomb (300 MB inflated)": lambda: with_member(
        workbook(1), "xl/sharedStrings.xml", shared_strings_bomb(300)
    ),
    "far cell ZZ200000 (5 KB)": far_cell,
    "ordinary file, 50,000 lines": lambda: workbook(50_000),
}


def child(name):
    setup_django(None, media="bench-xlsx", migrate=False)  # the reader needs no database
    from home.spreadsheets import SpreadsheetRefused, xlsx_rows

    data = CASES[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        count = sum(1 for _row in xlsx_rows(io.BytesIO(data)))
        outcome = f"read, {count} rows"
    except SpreadsheetRefused as error:
        outcome = f"refused: {str(error)[:60]}…"
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"size_kb": len(data) // 1024, "seconds": elapsed, "growth_mb": (peak - before) // 1024, "outcome": outcome}
        )
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)  # one case, in its own process
    return parser.parse_args()


def main():
    args = parse_args()
    if args.child:
        return child(args.child)
    for name in CASES:
        result = subprocess.run(
            [sys.executable, __file__, "--child", name], cwd=ROOT, capture_output=True, text=True, check=True
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{name:40} {data['size_kb']:>6} KB  {data['seconds']:6.3f} s  +{data['growth_mb']:>4} MB  "
            f"{data['outcome']}"
        )


if __name__ == "__main__":
    main()
