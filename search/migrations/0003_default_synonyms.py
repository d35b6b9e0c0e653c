"""The starting list of synonyms (editable in the admin afterwards)."""

from django.db import migrations

# Frozen copy of search.synonyms.DEFAULT_SYNONYMS at the time of this migration.
SYNONYMS = [
    ('bio, biologique, AB, agriculture biologique', 'Label Agriculture biologique'),
    ('végé, végétarien, végétarienne, végétal, végétale', 'Menus végétariens'),
    ('gaspi, gaspillage', ''),
    ('HVE, haute valeur environnementale', 'Certification environnementale de niveau 3'),
    ('SIQO, label rouge, AOP, AOC, IGP, STG', "Signes officiels de qualité et d'origine"),
    ('PAT, projet alimentaire territorial', ''),
    ('convive, usager, mangeur', ''),
    ('outre-mer, outremer, DROM, ultramarin', "Départements et régions d'outre-mer"),
    ('EHPAD, maison de retraite', ''),
    ('télédéclaration, télédéclarer, déclaration annuelle', ''),
    ("DRAAF, direction régionale de l'alimentation", ''),
    ('cantine, restaurant scolaire, restauration scolaire', ''),
    ('protéines végétales, légumineuses', ''),
    ('circuit court, vente directe', ''),
    ('commerce équitable, équitable', ''),
]


def forwards(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(
            [SynonymGroup(terms=terms, comment=comment) for terms, comment in SYNONYMS]
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_full_text")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
