"""The field's vocabulary (issue 22): more default synonyms, merged with what editors have.

A group still as migration 0003 created it is replaced by its longer version; a new group is added unless
one of its terms is already in a group an editor wrote or changed (their choice wins). Editable in the
admin afterwards (Paramètres > Synonymes de recherche).
"""

import unicodedata

from django.db import migrations

# Frozen copy of search.synonyms.DEFAULT_SYNONYMS at the time of this migration.
SYNONYMS = [
    ("bio, biologique, AB, agriculture biologique", "Label Agriculture biologique"),
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
        "outre-mer, outremer, DROM, DOM, DOM-TOM, ultramarin, Guadeloupe, Martinique, Guyane, La Réunion, Réunion, Mayotte, Saint-Martin, Saint-Pierre-et-Miquelon",
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

# Migration 0003's list, to recognise the groups nobody has changed.
OLD_SYNONYMS = [
    "bio, biologique, AB, agriculture biologique",
    "végé, végétarien, végétarienne, végétal, végétale",
    "gaspi, gaspillage",
    "HVE, haute valeur environnementale",
    "SIQO, label rouge, AOP, AOC, IGP, STG",
    "PAT, projet alimentaire territorial",
    "convive, usager, mangeur",
    "outre-mer, outremer, DROM, ultramarin",
    "EHPAD, maison de retraite",
    "télédéclaration, télédéclarer, déclaration annuelle",
    "DRAAF, direction régionale de l'alimentation",
    "cantine, restaurant scolaire, restauration scolaire",
    "protéines végétales, légumineuses",
    "circuit court, vente directe",
    "commerce équitable, équitable",
]


def _key(term):
    decomposed = unicodedata.normalize("NFKD", term)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _terms(text):
    return {_key(term) for term in text.split(",") if term.strip()}


def forwards(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    old_defaults = {_key(terms) for terms in OLD_SYNONYMS}
    groups = list(SynonymGroup.objects.all())
    for terms, comment in SYNONYMS:
        new_terms = _terms(terms)
        overlapping = [group for group in groups if _terms(group.terms) & new_terms]
        untouched = [group for group in overlapping if _key(group.terms) in old_defaults]
        if overlapping and len(untouched) == len(overlapping):
            first, *others = untouched
            first.terms, first.comment = terms, comment or first.comment
            first.save(update_fields=["terms", "comment"])
            for other in others:
                other.delete()
                groups.remove(other)
        elif not overlapping:
            groups.append(SynonymGroup.objects.create(terms=terms, comment=comment))


class Migration(migrations.Migration):
    dependencies = [("search", "0004_title_vector")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
