"""The one table between ma cantine's codes and this project's: families, labels, canteen characteristics.

Purchase families and label categories map onto the rules' families (`egalim.families`) and labels,
whose label group (bio, siqo, environmental, other_egalim) the rules decide (`LABEL_GROUP_OF`). Canteen codes
accept the import schemas' French labels and the open-data slugs; they are written back as the open-data
schemas' codes. Anything added here is checked against the rules by tests/canteens/test_standard_codes.py.
"""

import unicodedata

from canteens.choices import SECTORS, EconomicModel, Management, Ministry, Production

# famille_produits → the rules' family code
FAMILIES = {
    "VIANDES_VOLAILLES": "meat_poultry",
    "PRODUITS_DE_LA_MER": "fish_seafood",
    "FRUITS_ET_LEGUMES": "fruits_vegetables",
    "CHARCUTERIE": "charcuterie",
    "PRODUITS_LAITIERS": "dairy",
    "BOULANGERIE": "bakery",
    "BOISSONS": "drinks",
    "AUTRES": "other",
}
FAMILY_CODES = {family: code for code, family in FAMILIES.items()}

# categories_egalim (and the old `caracteristiques`) → the rules' label code; the rules give its group
LABELS = {
    "BIO": "agriculture_biologique",
    "LABEL_ROUGE": "label_rouge",
    "AOCAOP": "aoc_aop",
    "IGP": "igp",
    "STG": "stg",
    "HVE": "hve",
    "PECHE_DURABLE": "ecolabel_peche",
    "RUP": "rup",
    "COMMERCE_EQUITABLE": "commerce_equitable",
    "FERMIER": "fermier",
    "EXTERNALITES": "externalites",
    "PERFORMANCE": "performance",
}
LABEL_CODES = {label: code for code, label in LABELS.items()}
# the old format's characteristics that are not labels: stored in their own purchase fields
ORIGINS = ("FRANCE", "EUROPE")
LOCAL = "LOCAL"
SHORT_CIRCUIT = "CIRCUIT_COURT"

# secteurs (import schemas' French labels, and the national files' spellings) → this project's sector code
SECTOR_LABELS = {
    "Crèche": "nursery",
    "Etablissements de la PJJ": "pjj",
    "Secondaire lycée (hors agricole)": "school_high",
    "Etablissements d'enseignement agricole": "school_agricultural",
    "Secondaire Lycée agricole": "school_agricultural",
    "Restaurants administratifs des collectivités territoriales": "admin_local",
    "Restaurants d'entreprises": "company",
    "Restaurants inter-entreprises": "inter_company",
    "Autres structures d'enseignement": "education_other",
    "Autres etablissements d'enseignement": "education_other",
    "Ecole primaire (maternelle et élémentaire)": "school_primary",
    "Secondaire collège": "school_middle",
    "Hôpitaux": "hospital",
    "Cliniques": "clinic",
    "Autres établissements de soins": "health_other",
    "Autres établissements sociaux et médico-sociaux": "social_other",
    "Autres établissements sociaux et médicaux sociaux": "social_other",
    "IME / ITEP": "ime_itep",
    "ESAT / Etablissements spécialisés": "esat",
    "EHPAD / maisons de retraite / foyers de personnes âgées": "ehpad",
    "EHPAD/ maisons de retraite / foyers de personnes âgées": "ehpad",
    "Centre de vacances / sportif": "holiday_centre",
    "Autres établissements de loisirs": "leisure_other",
    "Autres établissements non listés": "other",
    "Restaurants des prisons": "prison",
    "Restaurants administratifs d'Etat (RA)": "admin_state",
    "Restaurants inter-administratifs d'État (RIA)": "admin_inter",
    "Restaurants des armées / police / gendarmerie": "armed_forces",
    "Etablissements publics d'Etat (EPA ou EPIC)": "public_bodies",
    "Supérieur et Universitaire": "university",
}
# the label written for each sector in the national files (first spelling above)
SECTOR_EXPORT = {}
for _label, _code in SECTOR_LABELS.items():
    SECTOR_EXPORT.setdefault(_code, _label)

PRODUCTION = {
    "Restaurant avec cuisine sur place": Production.ON_SITE,
    "site": Production.ON_SITE,
    "Restaurant satellite": Production.SATELLITE,
    "site_cooked_elsewhere": Production.SATELLITE,
    "central": Production.CENTRAL,
    "Cuisine centrale": Production.CENTRAL,
    "central_serving": Production.CENTRAL_SERVING,
    "Cuisine centrale et sur place": Production.CENTRAL_SERVING,
    # ma cantine's « groupe » of satellites: this project has no group object, a group is a central kitchen
    "groupe": Production.CENTRAL,
}
PRODUCTION_EXPORT = {
    Production.ON_SITE: "site",
    Production.SATELLITE: "site_cooked_elsewhere",
    Production.CENTRAL: "central",
    Production.CENTRAL_SERVING: "central_serving",
}
MANAGEMENT = {"Directe": Management.DIRECT, "direct": Management.DIRECT}
MANAGEMENT.update({"Concédée": Management.CONCEDED, "conceded": Management.CONCEDED})
MANAGEMENT_EXPORT = {Management.DIRECT: "direct", Management.CONCEDED: "conceded"}
ECONOMIC_MODEL = {
    "Public": EconomicModel.PUBLIC,
    "public": EconomicModel.PUBLIC,
    "Privé": EconomicModel.PRIVATE,
    "private": EconomicModel.PRIVATE,
}
ECONOMIC_MODEL_EXPORT = {EconomicModel.PUBLIC: "public", EconomicModel.PRIVATE: "private"}
# administration_tutelle (French labels of ma cantine) → this project's ministry code
MINISTRIES = {
    "Affaires étrangères": Ministry.FOREIGN,
    "Agriculture, Alimentation et Forêts": Ministry.AGRICULTURE,
    "Armées": Ministry.ARMED_FORCES,
    "Cohésion des territoires - Relations avec les collectivités territoriales": Ministry.INTERIOR,
    "Culture": Ministry.CULTURE,
    "Économie et finances": Ministry.ECONOMY,
    "Éducation et Jeunesse": Ministry.EDUCATION,
    "Enseignement supérieur et Recherche": Ministry.HIGHER_EDUCATION,
    "Environnement": Ministry.ECOLOGY,
    "Fonction Publiques": Ministry.OTHER,
    "Intérieur et Outre-mer": Ministry.INTERIOR,
    "Justice": Ministry.JUSTICE,
    "Mer": Ministry.ECOLOGY,
    "Préfecture - Administration Territoriale de l'État (ATE)": Ministry.INTERIOR,
    "Présidence de la république - Autorités indépendantes (AAI, API)": Ministry.OTHER,
    "Services du Premier Ministre": Ministry.PRIME_MINISTER,
    "Santé et Solidarités": Ministry.LABOUR,
    "Sport": Ministry.SPORTS,
    "Travail": Ministry.LABOUR,
}
MINISTRY_EXPORT = {}
for _label, _code in MINISTRIES.items():
    MINISTRY_EXPORT.setdefault(_code, _label)
MINISTRY_EXPORT[Ministry.OTHER] = "Fonction Publiques"


def key(text) -> str:
    """Compare labels whatever the apostrophe, case, accents and spaces."""
    text = str(text or "").replace("’", "'").replace("œ", "oe")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(text.replace("/ ", "/").replace(" /", "/").split())


def _index(mapping):
    return {key(label): code for label, code in mapping.items()}


_SECTORS, _PRODUCTION = _index(SECTOR_LABELS), _index(PRODUCTION)
_MANAGEMENT, _ECONOMIC, _MINISTRIES = _index(MANAGEMENT), _index(ECONOMIC_MODEL), _index(MINISTRIES)
# armed forces, whatever the spelling: the ministry's own code, its label, and the old `armee`
_MINISTRIES.update({key(code): code for code in Ministry.values})
_MINISTRIES.update({"armee": Ministry.ARMED_FORCES, "armees": Ministry.ARMED_FORCES, "defense": Ministry.ARMED_FORCES})
_SECTORS.update({key(code): code for code in SECTORS})


def sector(label):
    return _SECTORS.get(key(label))


def production(label):
    return _PRODUCTION.get(key(label))


def management(label):
    return _MANAGEMENT.get(key(label))


def economic_model(label):
    return _ECONOMIC.get(key(label))


def ministry(label):
    return _MINISTRIES.get(key(label))


def sectors_of(text, separator=","):
    """(codes, unknown labels) of a multi-sector cell. Labels contain no comma, so the split is safe."""
    codes, unknown = [], []
    for part in str(text or "").split(separator):
        if not part.strip():
            continue
        code = sector(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, unknown
