"""The synonyms of both backends, edited in the admin (Paramètres > Synonymes de recherche).

`synonym_map()` is cached (Django cache) and invalidated whenever a SynonymGroup is saved or deleted.
"""

import re

from django.core.cache import cache

from .text import tokens

CACHE_KEY = "search:synonyms:v1"
_SOLR_SYNTAX = re.compile(r"[,=>#\\]")
CACHE_TIMEOUT = 300

# The starting list (data migration 0003); editors change it in the admin.
DEFAULT_SYNONYMS = [
    ("bio, biologique, AB, agriculture biologique", "Label Agriculture biologique"),
    ("végé, végétarien, végétarienne, végétal, végétale", "Menus végétariens"),
    ("gaspi, gaspillage", ""),
    ("HVE, haute valeur environnementale", "Certification environnementale de niveau 3"),
    ("SIQO, label rouge, AOP, AOC, IGP, STG", "Signes officiels de qualité et d'origine"),
    ("PAT, projet alimentaire territorial", ""),
    ("convive, usager, mangeur", ""),
    ("outre-mer, outremer, DROM, ultramarin", "Départements et régions d'outre-mer"),
    ("EHPAD, maison de retraite", ""),
    ("télédéclaration, télédéclarer, déclaration annuelle", ""),
    ("DRAAF, direction régionale de l'alimentation", ""),
    ("cantine, restaurant scolaire, restauration scolaire", ""),
    ("protéines végétales, légumineuses", ""),
    ("circuit court, vente directe", ""),
    ("commerce équitable, équitable", ""),
]


def synonym_groups() -> list[list[str]]:
    """[[term, ...], ...] as typed in the admin (cached)."""
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from .models import SynonymGroup

        groups = [group.term_list() for group in SynonymGroup.objects.all()]
        groups = [terms for terms in groups if len(terms) > 1]
        cache.set(CACHE_KEY, groups, CACHE_TIMEOUT)
    return groups


def invalidate():
    cache.delete(CACHE_KEY)


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """{normalised term as a tuple of words: [every equivalent term, itself included]}.

    « Haute valeur environnementale » is the key ("haute", "valeur", "environnementale"). A term in
    several groups gets the union.
    """
    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in synonym_groups():
        terms = [tuple(tokens(term)) for term in group]
        terms = [term for term in dict.fromkeys(terms) if term]
        for term in terms:
            known = mapping.setdefault(term, [])
            known.extend(other for other in terms if other not in known)
    return mapping


def elasticsearch_rules() -> list[str]:
    """Solr-format rules for Elasticsearch's synonym_graph filter: "bio, biologique, ab, agriculture biologique".

    Terms are lowercased but keep their accents and apostrophes: Elasticsearch analyses them with the
    same chain as the text (elision, stop words, asciifolding) before the synonym filter.
    """
    rules = []
    for group in synonym_groups():
        terms = [" ".join(_SOLR_SYNTAX.sub(" ", term).lower().split()) for term in group]
        terms = [term for term in dict.fromkeys(terms) if tokens(term)]
        if len(terms) > 1:
            rules.append(", ".join(terms))
    return rules
