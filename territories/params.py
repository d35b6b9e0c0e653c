"""Query parameters of the territories pages: English names (as the hub and the API say), the French names of
the first links still accepted (bookmarks, the registry's old filters, links in e-mails)."""

# French parameter name → English name.
ALIASES = {
    "departement": "department",
    "secteur": "sector",
    "gestion": "management",
    "objectifs": "objectives",
    "tri": "sort",
    "couverts_min": "min_meals",
    "couverts_max": "max_meals",
    "commune_insee": "commune",
    "teledeclare": "declared",
    "statut": "status",
    "campagne": "campaign",
}
# French value of `sort` → English value.
SORT_ALIASES = {"nom": "name", "couverts": "meals", "departement": "department"}


def english_names(data) -> dict:
    """A plain dict of the query (one value per name), French names turned into English ones; when both are
    given, the English name wins."""
    values = {}
    for key in data:
        value = data.get(key)
        name = ALIASES.get(key, key)
        if name in values and key != name:
            continue
        values[name] = value
    if values.get("sort") in SORT_ALIASES:
        values["sort"] = SORT_ALIASES[values["sort"]]
    return values
