"""Commune → EPCI (intercommunalité à fiscalité propre) and postal code, from the shipped reference file
`territories/data/communes_epci.csv` (@etalab/decoupage-administratif 6.0.0, Licence Ouverte; see
territories/data/README.md). Read once per process (35,000 communes, about 4 MB in memory).

Regenerate after `npm pack @etalab/decoupage-administratif` and `tar xzf` (no npm dependency at runtime)::

    epci = json.load(open("package/data/epci.json"))
    communes = json.load(open("package/data/communes.json"))
    postal = {c["code"]: (c.get("codesPostaux") or [""])[0] for c in communes if c.get("type") == "commune-actuelle"}
    rows = sorted((m["code"], e["code"], e["nom"], postal.get(m["code"], "")) for e in epci for m in e["membres"])
    # write "commune,epci,epci_nom,code_postal" then the rows
"""

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "communes_epci.csv"
VERSION = "@etalab/decoupage-administratif 6.0.0"


@lru_cache(maxsize=1)
def _table() -> dict:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["commune"]: (row["epci"], row["epci_nom"], row["code_postal"]) for row in csv.DictReader(handle)}


def epci_of(commune_code) -> tuple[str, str]:
    """(SIREN, name) of the commune's EPCI, or ("", "") for a commune outside any (some islands) or unknown."""
    entry = _table().get(str(commune_code or "").strip().upper())
    return (entry[0], entry[1]) if entry else ("", "")


def name_of(code) -> str:
    """The name of EPCI `code` (SIREN), or "" when unknown."""
    return dict(epci_choices()).get(code, "")


def postal_code_of(commune_code) -> str:
    entry = _table().get(str(commune_code or "").strip().upper())
    return entry[2] if entry else ""


@lru_cache(maxsize=1)
def epci_choices() -> list[tuple[str, str]]:
    """Every EPCI of the reference, by name."""
    seen = {code: name for code, name, _postal in _table().values()}
    return sorted(seen.items(), key=lambda item: item[1])


def fill(canteen) -> bool:
    """Set the canteen's EPCI from its commune (pre_save). True when it changed."""
    code, name = epci_of(canteen.city_insee_code)
    if not code:
        return False
    if (canteen.epci, canteen.epci_name) != (code, name):
        canteen.epci, canteen.epci_name = code, name
        return True
    return False
