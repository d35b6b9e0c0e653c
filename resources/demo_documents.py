"""The contents of the demo's generated documents (spreadsheets, CSV, DOCX, ODT) that resources/demo.py
stores in the « Centre de ressources » collection: real, useful French text."""

from .demo_files import make_csv, make_docx, make_odt, make_xlsx


def purchases_xlsx():
    families = [
        "Viandes et volailles",
        "Poissons et produits de la mer",
        "Fruits et légumes",
        "Charcuterie",
        "Produits laitiers",
        "Boulangerie",
        "Boissons",
        "Autres produits",
    ]
    categories = ["Bio", "Signe officiel de qualité", "Autre mention EGAlim", "Critère environnemental", "Non EGAlim"]
    examples = [
        ["2025-01-07", "Exemple : laiterie", "Produits laitiers", "Yaourt nature", "Bio", 412.50],
        [
            "2025-01-07",
            "Exemple : boucherie",
            "Viandes et volailles",
            "Poulet entier",
            "Signe officiel de qualité",
            860.00,
        ],
        ["2025-01-08", "Exemple : grossiste", "Fruits et légumes", "Carottes", "Non EGAlim", 96.40],
    ]
    summary = [
        [family]
        + [f'=SUMIFS(Achats!$F:$F,Achats!$C:$C,$A{row},Achats!$E:$E,"{cat}")' for cat in categories]
        + [f"=SUM(B{row}:F{row})"]
        for row, family in enumerate(families, start=4)
    ]
    total_row = 4 + len(families)
    summary.append(["Total"] + [f"=SUM({col}4:{col}{total_row - 1})" for col in "BCDEFG"])
    summary.append([])
    summary.append(["Taux bio", f"=IFERROR(B{total_row}/G{total_row},0)"])
    summary.append(["Taux EGAlim (bio compris)", f"=IFERROR(SUM(B{total_row}:E{total_row})/G{total_row},0)"])
    summary.append(["Viandes et poissons EGAlim", "=IFERROR(SUM(B4:E5)/SUM(G4:G5),0)"])
    return make_xlsx(
        [
            {
                "title": "Achats",
                "header": ["Date", "Fournisseur", "Famille", "Produit", "Catégorie EGAlim", "Montant HT (€)"],
                "rows": examples,
                "widths": [12, 28, 30, 30, 28, 16],
                "notes": [
                    "Une ligne par facture ou par produit. Les trois premières lignes sont des exemples à effacer.",
                    "Catégorie : " + ", ".join(categories) + " (un produit à plusieurs labels : la première "
                    "catégorie de cette liste).",
                ],
            },
            {
                "title": "Synthèse",
                "header": ["Famille", *categories, "Total"],
                "rows": summary,
                "widths": [30, 12, 22, 20, 22, 14, 14],
                "notes": ["Calcul automatique à partir de l'onglet Achats (montants HT)."],
            },
        ]
    )


def weighing_xlsx():
    rows = [
        [f"Jour {day}", "", "", "", "", "", f"=IFERROR((D{day + 3}+E{day + 3}+F{day + 3})*1000/B{day + 3},0)"]
        for day in range(1, 6)
    ]
    return make_xlsx(
        [
            {
                "title": "Pesées",
                "header": [
                    "Jour",
                    "Repas servis",
                    "Plat le plus jeté",
                    "Restes de préparation (kg)",
                    "Excédents non servis (kg)",
                    "Restes d'assiette (kg)",
                    "Gaspillage par repas (g)",
                ],
                "rows": rows,
                "widths": [10, 14, 26, 26, 24, 22, 24],
                "notes": ["Pesez chaque jour d'une semaine représentative, en séparant les trois types de restes."],
            },
        ]
    )


def plastics_xlsx():
    rows = [
        ["Cuisson", "Bacs gastronormes GN 1/1", "Polypropylène", 40, "Inox", 35.0, "=D4*F4"],
        ["Service", "Assiettes compartimentées", "Mélamine", 120, "Porcelaine", 6.5, "=D5*F5"],
        ["Eau", "Bouteilles d'eau", "PET", 0, "Carafes en verre", 4.0, "=D6*F6"],
    ]
    return make_xlsx(
        [
            {
                "title": "Inventaire",
                "header": [
                    "Usage",
                    "Matériel",
                    "Matière",
                    "Quantité",
                    "Alternative",
                    "Coût unitaire estimé (€)",
                    "Coût total (€)",
                ],
                "rows": rows,
                "widths": [12, 30, 16, 10, 22, 22, 16],
                "notes": ["Lignes d'exemple à remplacer par votre inventaire."],
            },
        ]
    )


RECIPES = [
    ("Chili sin carne", "haricots rouges", 0.62),
    ("Dahl de lentilles corail et riz", "lentilles", 0.48),
    ("Couscous aux pois chiches", "pois chiches", 0.58),
    ("Lasagnes aux légumes et ricotta", "fromage", 0.85),
    ("Omelette aux pommes de terre", "œufs", 0.55),
    ("Curry doux de pois chiches", "pois chiches", 0.57),
    ("Galettes de sarrasin œuf fromage", "œufs, fromage", 0.80),
    ("Gratin de pâtes au fromage", "fromage", 0.60),
    ("Hachis parmentier aux lentilles", "lentilles", 0.52),
    ("Boulettes de pois cassés", "pois cassés", 0.50),
    ("Tajine de légumes et pois chiches", "pois chiches", 0.61),
    ("Quiche aux poireaux", "œufs, lait", 0.66),
    ("Risotto aux champignons", "fromage", 0.74),
    ("Falafels et sauce yaourt", "pois chiches, yaourt", 0.69),
    ("Parmentier de patate douce et haricots", "haricots blancs", 0.64),
    ("Pâtes aux lentilles et sauce tomate", "lentilles", 0.45),
    ("Œufs brouillés et purée", "œufs", 0.50),
    ("Cake salé aux légumes", "œufs, fromage", 0.58),
    ("Soupe complète aux haricots", "haricots", 0.42),
    ("Galette de boulgour et fromage blanc", "boulgour, fromage blanc", 0.56),
]


def recipes_csv():
    return make_csv(
        ["recette", "source_de_proteines", "cout_matiere_indicatif_eur_par_portion"],
        [[name, proteins, f"{cost:.2f}"] for name, proteins, cost in RECIPES],
    )


def registry_csv():
    header = [
        "siret",
        "nom",
        "code_insee_commune",
        "departement",
        "region",
        "gestion",
        "production",
        "secteurs",
        "taux_egalim",
        "taux_bio",
    ]
    rows = [
        [
            "00000000000001",
            "EXEMPLE Cantine école A",
            "19272",
            "19",
            "75",
            "directe",
            "site",
            "école primaire",
            "0.42",
            "0.21",
        ],
        [
            "00000000000002",
            "EXEMPLE Cuisine centrale B",
            "19031",
            "19",
            "75",
            "concédée",
            "central",
            "école primaire;collège",
            "0.55",
            "0.24",
        ],
        ["00000000000003", "EXEMPLE EHPAD C", "97411", "974", "04", "directe", "site", "EHPAD", "0.18", "0.04"],
    ]
    return make_csv(header, rows)


def market_docx():
    return make_docx(
        "Clauses types pour un marché de denrées alimentaires",
        [
            "Ces clauses sont des exemples à adapter avec votre service de la commande publique.",
            "## Allotissement",
            "Le marché est alloti par famille de produits : viandes et volailles ; poissons ; fruits et légumes ; "
            "produits laitiers ; boulangerie ; épicerie. Un lot spécifique est réservé aux produits issus de "
            "l'agriculture biologique.",
            "## Spécifications techniques",
            "Les produits du lot « volailles » sont sous Label Rouge ou issus de l'agriculture biologique, ou "
            "bénéficient d'une certification équivalente dont le candidat apporte la preuve.",
            "## Suivi d'exécution",
            "Le titulaire transmet au pouvoir adjudicateur, au plus tard le 15 janvier de chaque année, un relevé des "
            "livraisons de l'année précédente indiquant pour chaque produit le montant hors taxes et le label ou la "
            "mention dont il bénéficie.",
        ],
    )


def diversification_docx():
    return make_docx(
        "Plan pluriannuel de diversification des protéines",
        [
            "Établissement : [nom] — Nombre moyen de repas par jour : [nombre] — Période : [année] à [année + 2]",
            "## 1. État des lieux",
            "Fréquence actuelle des plats végétariens, grammages de viande et de poisson, coût matière, retours des "
            "convives.",
            "## 2. Objectifs",
            "Année 1 : [objectif]. Année 2 : [objectif]. Année 3 : [objectif].",
            "## 3. Actions",
            "Nouvelles recettes, formation de l'équipe, évolution des marchés, communication auprès des convives.",
            "## 4. Suivi",
            "Indicateurs suivis chaque trimestre et bilan annuel présenté à [instance].",
        ],
    )


def families_docx():
    return make_docx(
        "Madame, Monsieur,",
        [
            "En [année], la cantine [nom de la cantine] a servi des repas composés à [taux] % de produits durables "
            "et de qualité, dont [taux bio] % de produits issus de l'agriculture biologique.",
            "Un menu végétarien est proposé chaque semaine, et nous poursuivons nos actions contre le gaspillage "
            "alimentaire : [actions].",
            "Cette année, nous prévoyons : [projets].",
            "Vous trouverez l'affiche de la cantine en pièce jointe et sur [site].",
            "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
        ],
    )


def donation_odt():
    return make_odt(
        "Convention de dons de denrées alimentaires",
        [
            "Entre [nom de l'opérateur de restauration], ci-après « le donateur », et [nom de l'association "
            "habilitée], ci-après « l'association ».",
            "## Article 1 — Objet",
            "La présente convention fixe les conditions dans lesquelles le donateur cède gratuitement à "
            "l'association des denrées alimentaires consommables non servies.",
            "## Article 2 — Denrées concernées",
            "Plats préparés non présentés aux convives, produits non entamés dont la date limite le permet. Sont "
            "exclus : [liste].",
            "## Article 3 — Collecte et transport",
            "Jours et horaires de collecte : [à préciser]. L'association assure le transport dans le respect de la "
            "chaîne du froid ou du chaud.",
            "## Article 4 — Traçabilité et responsabilités",
            "Chaque don fait l'objet d'un bon de cession signé. La responsabilité de l'association commence à la "
            "prise en charge des denrées.",
            "## Article 5 — Durée",
            "Un an, renouvelable par tacite reconduction ; résiliation possible avec un préavis d'un mois.",
        ],
    )


def waste_plan_odt():
    return make_odt(
        "Plan d'actions contre le gaspillage alimentaire",
        [
            "Établissement : [nom] — Diagnostic réalisé le : [date] — Gaspillage mesuré : [g par repas]",
            "## Actions retenues",
            "Action 1 : [description] — Responsable : [nom] — Échéance : [date]",
            "Action 2 : [description] — Responsable : [nom] — Échéance : [date]",
            "Action 3 : [description] — Responsable : [nom] — Échéance : [date]",
            "## Suivi",
            "Nouvelle pesée prévue le : [date]. Résultats partagés avec les équipes et les convives.",
        ],
    )


# --- helpers ---------------------------------------------------------------------------------------------
