"""The demo's generated documents (spreadsheets, CSV, DOCX, ODT) that resources/demo.py stores in the « Centre de
ressources » collection: real, useful French text. The recipes and the texts of the Word and OpenDocument models
are data (resources/demo_data/documents.yaml); the spreadsheets keep their layout and formulas here."""

from .demo_content import RECIPES, TEXTS
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


def recipes_csv():
    return make_csv(
        ["recette", "source_de_proteines", "cout_matiere_indicatif_eur_par_portion"],
        [[recipe["name"], recipe["proteins"], f"{recipe['cost']:.2f}"] for recipe in RECIPES],
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
    return make_docx(**TEXTS["market"])


def diversification_docx():
    return make_docx(**TEXTS["diversification"])


def families_docx():
    return make_docx(**TEXTS["families"])


def donation_odt():
    return make_odt(**TEXTS["donation"])


def waste_plan_odt():
    return make_odt(**TEXTS["waste_plan"])


# --- helpers ---------------------------------------------------------------------------------------------
