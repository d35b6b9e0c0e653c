"""Fixed lists describing a canteen: sectors by category, management, production, economic model, ministries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SECTOR_CATEGORIES = {
    "education": _("Enseignement"),
    "health": _("Santé"),
    "social": _("Social et médico-social"),
    "administration": _("Administration"),
    "company": _("Entreprise"),
    "leisure": _("Loisirs"),
    "other": _("Autres"),
}

# code → (category, label)
SECTORS = {
    "school_primary": ("education", _("École primaire (maternelle et élémentaire)")),
    "school_middle": ("education", _("Collège")),
    "school_high": ("education", _("Lycée")),
    "school_agricultural": ("education", _("Enseignement agricole")),
    "university": ("education", _("Supérieur et universitaire")),
    "education_other": ("education", _("Autres établissements d'enseignement")),
    "hospital": ("health", _("Hôpitaux")),
    "clinic": ("health", _("Cliniques")),
    "health_other": ("health", _("Autres établissements de soins")),
    "nursery": ("social", _("Crèches")),
    "ime_itep": ("social", _("IME / ITEP")),
    "esat": ("social", _("ESAT")),
    "ehpad": ("social", _("EHPAD / maisons de retraite")),
    "pjj": ("social", _("Protection judiciaire de la jeunesse")),
    "social_other": ("social", _("Autres établissements sociaux et médico-sociaux")),
    "admin_state": ("administration", _("Restaurants administratifs d'État")),
    "admin_inter": ("administration", _("Restaurants inter-administratifs")),
    "admin_local": ("administration", _("Restaurants des collectivités territoriales")),
    "armed_forces": ("administration", _("Armées, police, gendarmerie")),
    "public_bodies": ("administration", _("Établissements publics (EPA, EPIC)")),
    "prison": ("administration", _("Établissements pénitentiaires")),
    "company": ("company", _("Restaurants d'entreprise")),
    "inter_company": ("company", _("Restaurants inter-entreprises")),
    "holiday_centre": ("leisure", _("Centres de vacances, centres sportifs")),
    "leisure_other": ("leisure", _("Autres établissements de loisirs")),
    "other": ("other", _("Autres")),
}


def grouped_sector_choices():
    """Choices grouped by category, for a <select> with <optgroup>s."""
    return [
        (
            str(category_label),
            [(code, label) for code, (category, label) in SECTORS.items() if category == category_code],
        )
        for category_code, category_label in SECTOR_CATEGORIES.items()
    ]


def sector_label(code):
    entry = SECTORS.get(code)
    return str(entry[1]) if entry else code


class Management(models.TextChoices):
    DIRECT = "direct", _("Directe (autogérée)")
    CONCEDED = "conceded", _("Concédée (délégation à une société de restauration)")


class Production(models.TextChoices):
    ON_SITE = "on_site", _("Cuisine sur place")
    SATELLITE = "satellite", _("Satellite (repas préparés par une cuisine centrale)")
    CENTRAL = "central", _("Cuisine centrale (livre des satellites)")
    CENTRAL_SERVING = "central_serving", _("Cuisine centrale qui sert aussi des repas sur place")


CENTRAL_TYPES = (Production.CENTRAL, Production.CENTRAL_SERVING)


class EconomicModel(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Privé")


class Ministry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture et souveraineté alimentaire")
    ARMED_FORCES = "armees", _("Armées")
    CULTURE = "culture", _("Culture")
    ECONOMY = "economie", _("Économie et finances")
    EDUCATION = "education", _("Éducation nationale")
    HIGHER_EDUCATION = "enseignement_superieur", _("Enseignement supérieur et recherche")
    ECOLOGY = "ecologie", _("Transition écologique")
    FOREIGN = "affaires_etrangeres", _("Europe et affaires étrangères")
    INTERIOR = "interieur", _("Intérieur et outre-mer")
    JUSTICE = "justice", _("Justice")
    LABOUR = "travail", _("Travail, santé et solidarités")
    SPORTS = "sports", _("Sports, jeunesse et vie associative")
    PRIME_MINISTER = "premier_ministre", _("Services du Premier ministre")
    OTHER = "autre", _("Autre administration de l'État")


# The yearly declaration's answers (aligned on the national service's `Diagnostic`, lower-case codes).


HIDDEN_MINISTRIES = {Ministry.ARMED_FORCES}  # never public: identity of defence sites (Canteen.objects.public())


class CentralKitchenMode(models.TextChoices):
    """What a central kitchen's diagnostic covers for its satellites (national `central_kitchen_diagnostic_mode`)."""

    APPRO = "appro", _("Les données d'approvisionnement de tous les restaurants satellites")
    ALL = "all", _("Toutes les données des restaurants satellites")


class DeclarationMode(models.TextChoices):
    """How a declaration was made (national `teledeclaration_mode`)."""

    SITE = "site", _("Cantine déclarant ses propres données")
    CENTRAL_APPRO = "central_appro", _("Cuisine centrale déclarant les données d'approvisionnement de ses satellites")
    CENTRAL_ALL = "central_all", _("Cuisine centrale déclarant toutes les données de ses satellites")
    SATELLITE_WITHOUT_APPRO = (
        "satellite_without_appro",
        _("Restaurant satellite dont l'approvisionnement est déclaré par la cuisine centrale"),
    )


class ServiceType(models.TextChoices):
    UNIQUE = "unique", _("Menu unique")
    MULTIPLE_SELF = "multiple_self", _("Choix multiple en libre-service")
    MULTIPLE_RESERVATION = "multiple_reservation", _("Choix multiple avec réservation à l'avance au jour le jour")


class VegetarianMenuType(models.TextChoices):
    UNIQUE = "unique", _("Un menu végétarien en plat unique, sans choix")
    SEVERAL = "several", _("Un menu végétarien composé de plusieurs choix de plats végétariens")
    ALTERNATIVES = "alternatives", _("Un menu végétarien au choix, en plus d'autres plats non végétariens")


class VegetarianMenuBase(models.TextChoices):
    GRAIN = "grain", _("Céréales et/ou légumes secs (hors soja)")
    SOY = "soy", _("Soja")
    CHEESE = "cheese", _("Fromage")
    EGG = "egg", _("Œufs")
    READYMADE = "readymade", _("Plats prêts à l'emploi")


class DiversificationPlanAction(models.TextChoices):
    PRODUCTS = "products", _("Agir sur les plats et les produits")
    PRESENTATION = "presentation", _("Agir sur la présentation des aliments")
    MENU = "menu", _("Agir sur la conception des menus")
    PROMOTION = "promotion", _("Agir sur la mise en avant des produits")
    TRAINING = "training", _("Agir sur la formation du personnel et la sensibilisation des convives")


class CommunicationSupport(models.TextChoices):
    EMAIL = "email", _("Envoi d'e-mail aux convives ou à leurs représentants")
    DISPLAY = "display", _("Affichage sur le lieu de restauration")
    WEBSITE = "website", _("Site internet ou intranet (mairie, cantine)")
    DIGITAL = "digital", _("Par voie électronique")
    OTHER = "other", _("Autres moyens d'affichage et de communication")


class CommunicationFrequency(models.TextChoices):
    REGULARLY = "regularly", _("Régulièrement au cours de l'année")
    YEARLY = "yearly", _("Une fois par an")
    LESS_THAN_YEARLY = "less_than_yearly", _("Moins d'une fois par an")


class LocationSource(models.TextChoices):
    """Where a canteen's map position comes from."""

    ADDRESS = "address", _("Adresse géocodée")
    COMMUNE = "commune", _("Centre de la commune")
    MANUAL = "manual", _("Placée à la main")


class LocationPrecision(models.TextChoices):
    HOUSENUMBER = "housenumber", _("Numéro de la voie")
    STREET = "street", _("Voie")
    LOCALITY = "locality", _("Lieu-dit")
    MUNICIPALITY = "municipality", _("Commune")
    APPROXIMATE = "approximate", _("Approximative (environs de la commune)")
    EXACT = "exact", _("Exacte (placée à la main)")
