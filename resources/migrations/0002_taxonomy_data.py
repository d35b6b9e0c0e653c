"""Create the French taxonomy: the five EGAlim measures (fixed codes), audiences, resource types, sectors.

Idempotent: existing rows (same code in the source locale) are left as they are, so editors' changes to
names survive. The lists are copied here on purpose (migrations must not depend on current code).
"""

import uuid

from django.conf import settings
from django.db import migrations

from wagtail.coreutils import get_supported_content_language_variant

TAXONOMY = {
    "Measure": [
        ("quality", "Qualité et durabilité des produits"),
        ("waste", "Lutte contre le gaspillage alimentaire et dons"),
        ("diversification", "Diversification des protéines et menus végétariens"),
        ("plastic", "Substitution des plastiques"),
        ("information", "Information des convives"),
    ],
    "Audience": [
        ("gestionnaire", "Gestionnaire de cantine"),
        ("elu", "Élu·e / collectivité"),
        ("charge-de-mission", "Chargé·e de mission (DRAAF, PAT, réseaux)"),
        ("ambassadeur", "Ambassadeur"),
        ("convive", "Convive / parent"),
        ("societe-de-restauration", "Société de restauration"),
    ],
    "ResourceType": [
        ("guide", "Guide"),
        ("fiche-pratique", "Fiche pratique"),
        ("modele-de-mail", "Modèle de mail"),
        ("plaquette", "Plaquette"),
        ("support-de-presentation", "Support de présentation"),
        ("texte-reglementaire", "Texte réglementaire"),
        ("outil", "Outil / tableur"),
        ("video", "Vidéo"),
        ("retour-d-experience", "Retour d'expérience"),
    ],
    "SectorCategory": [
        ("enseignement", "Enseignement"),
        ("sante", "Santé"),
        ("social", "Social et médico-social"),
        ("administration", "Administration"),
        ("entreprise", "Entreprise"),
        ("loisirs", "Loisirs"),
        ("autres", "Autres"),
    ],
}


def create_taxonomy(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    language_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    for model_name, rows in TAXONOMY.items():
        model = apps.get_model("resources", model_name)
        for position, (code, name) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code,
                locale=locale,
                defaults={"name": name, "sort_order": position, "translation_key": uuid.uuid4()},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
