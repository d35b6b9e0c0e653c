"""The synonyms of every backend, edited in the admin (Paramètres > Synonymes de recherche).

Expanded at query time (`search.query.parse`, used by the database backends and by Elasticsearch's query
builder): an edit applies to the next search, without reindexing. `synonym_map()` is cached (Django cache)
and invalidated whenever a SynonymGroup is saved or deleted.
"""

from django.core.cache import cache

from .text import tokens

CACHE_KEY = "search:synonyms:v1"
CACHE_TIMEOUT = 300

# The starting list (data migrations 0003, 0005 and 0007), written for the field's words: what canteen managers,
# elected officials and officers type, next to the words of the texts. Editors change it in the admin;
# the change applies to the next search (query-time expansion, no reindexing).
DEFAULT_SYNONYMS = [
    ("bio, biologique, AB, agriculture biologique", "Label Agriculture biologique"),
    ("EGAlim, loi EGAlim", "« loi egalim » compte pour un mot de la requête, pas deux"),
    (
        "végé, végétarien, végétarienne, végétariens, végétariennes, végétal, végétale, sans viande, veggie",
        "Menus végétariens",
    ),
    ("gaspi, gaspillage, anti-gaspi, restes, déchets, pesée, biodéchets", "Gaspillage alimentaire"),
    ("HVE, haute valeur environnementale", "Certification environnementale de niveau 3"),
    (
        "SIQO, label rouge, AOP, AOC, IGP, STG, signe de qualité, signes officiels",
        "Signes officiels de qualité et d'origine",
    ),
    ("PAT, projet alimentaire territorial, projets alimentaires territoriaux", ""),
    ("convive, usager, mangeur", ""),
    (
        "outre-mer, outremer, DROM, DOM, DOM-TOM, ultramarin, Guadeloupe, Martinique, Guyane, La Réunion, "
        "île de la Réunion, Mayotte, Saint-Martin, Saint-Pierre-et-Miquelon",
        "Départements et régions d'outre-mer",
    ),
    ("EHPAD, maison de retraite, personnes âgées, résidence autonomie", ""),
    (
        "télédéclaration, télédéclarer, déclaration annuelle, déclarer, déclaration, bilan annuel, bilan",
        "La campagne annuelle sur ma cantine",
    ),
    ("DRAAF, direction régionale de l'alimentation", ""),
    ("cantine, restaurant scolaire, restauration scolaire, self, réfectoire, demi-pension", ""),
    ("protéines végétales, légumineuses, légumes secs, lentilles, pois chiches", ""),
    ("circuit court, vente directe, produits locaux, producteurs locaux", ""),
    ("commerce équitable, équitable", ""),
    ("pourcent, pour cent, %, percent, per cent", "« 50 % » est indexé comme « 50 pourcent »"),
    ("marché public, appel d'offres, commande publique, achat public, cahier des charges, CCTP", ""),
    ("élu, élus, maire, adjoint au maire, conseiller municipal, conseil municipal", ""),
    ("mail, courriel, e-mail, courrier, lettre", ""),
    ("diaporama, powerpoint, présentation", ""),
    ("tableur, excel, tableau", ""),
    ("objectif, objectifs, seuil, seuils, cible", ""),
    ("prestataire, société de restauration, SRC, délégation de service public, DSP", ""),
    ("eau en bouteille, bouteilles d'eau, bouteilles plastique", ""),
    ("jetable, usage unique", ""),
    ("dons, don alimentaire, banque alimentaire, association caritative", ""),
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


_built: dict[tuple, dict] = {}  # the last groups and their map, in this process


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """{normalised term as a tuple of words: [every equivalent term, itself included]}.

    « Haute valeur environnementale » is the key ("haute", "valeur", "environnementale"). A term in
    several groups gets the union. Built once for the groups the cache holds (normalising every term took
    a few ms of CPU on each search); callers only read it.
    """
    groups = tuple(tuple(group) for group in synonym_groups())
    mapping = _built.get(groups)
    if mapping is None:
        mapping = _build_map(groups)
        _built.clear()
        _built[groups] = mapping
    return mapping


def _build_map(groups) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    mapping: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in groups:
        terms = [tuple(tokens(term)) for term in group]
        terms = [term for term in dict.fromkeys(terms) if term]
        for term in terms:
            known = mapping.setdefault(term, [])
            known.extend(other for other in terms if other not in known)
    return mapping
