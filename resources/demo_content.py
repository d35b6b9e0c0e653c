"""Demo content of the resource centre: real, useful French text (and English for the measure pages).

Block values may hold references resolved by resources/demo.py when the content is loaded:
"@doc:<key>" (a generated document), "@mail:<code>" (a mail template).
"""

# --- block helpers ---------------------------------------------------------------------------------------


def p(html):
    return {"type": "paragraph", "value": html}


def h(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def callout(title, html, kind="info"):
    return {"type": "callout", "value": {"title": title, "text": html, "kind": kind}}


def faq_block(title, items):
    return {
        "type": "accordion",
        "value": {"title": title, "items": [{"question": q, "answer": a} for q, a in items]},
    }


def mail(code, introduction=""):
    return {"type": "mail_template", "value": {"mail_template": f"@mail:{code}", "introduction": introduction}}


def doc(key, title=""):
    return {"type": "document_link", "value": {"document": f"@doc:{key}", "title": title}}


def table(caption, rows, note=""):
    return {
        "type": "table",
        "value": {
            "caption": caption,
            "rows": [{"criterion": c, "scope": s, "value": v, "since": d} for c, s, v, d in rows],
            "note": note,
        },
    }


def source(title, url, description=""):
    return {"type": "source", "value": {"title": title, "url": url, "description": description}}


def question(q, a):
    return {"type": "question", "value": {"question": q, "answer": a}}


# --- reference links (checked) ---------------------------------------------------------------------------

LOI_EGALIM = "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000037547946/"
LOI_CLIMAT = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000043956924"
LOI_AGEC = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000041553759"
CODE_RURAL = "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006071367/"
MA_CANTINE = "https://ma-cantine.agriculture.gouv.fr/"
DATA_GOUV_SEARCH = "https://www.data.gouv.fr/fr/datasets/?q=ma%20cantine"

# --- index pages -----------------------------------------------------------------------------------------

MEASURE_INDEX = {
    "fr": {
        "slug": "mesures-egalim",
        "title": "Les mesures EGAlim",
        "introduction": (
            "La loi EGAlim de 2018, complétée par la loi Climat et résilience de 2021, fixe cinq obligations à "
            "tous les restaurants collectifs, publics comme privés. Pour chacune : ce que dit la loi, qui est "
            "concerné, depuis quand, les seuils à atteindre et les ressources pour passer à l'action."
        ),
    },
    "en": {
        "slug": "egalim-measures",
        "title": "The EGAlim measures",
        "introduction": (
            "The 2018 EGAlim law, completed by the 2021 Climate and Resilience law, sets five obligations for "
            "every collective restaurant, public or private. For each one: what the law says, who is concerned, "
            "since when, the thresholds to reach and the resources to act."
        ),
    },
}

GUIDE_INDEX = {
    "fr": {
        "slug": "guides",
        "title": "Guides",
        "introduction": (
            "Des guides pas à pas, écrits avec les acteurs de terrain, pour mettre en œuvre la loi EGAlim dans "
            "votre restaurant, votre commune ou votre territoire."
        ),
    },
    "en": {
        "slug": "guides",
        "title": "Guides",
        "introduction": "Step-by-step guides to apply the EGAlim law in your restaurant, town or territory.",
    },
}

RESOURCE_INDEX = {
    "fr": {
        "slug": "ressources",
        "title": "Ressources",
        "introduction": (
            "Fiches pratiques, tableurs, modèles de mail, plaquettes, supports de présentation, textes "
            "réglementaires et retours d'expérience : tout ce qu'il faut pour appliquer la loi EGAlim."
        ),
    },
    "en": {
        "slug": "resources",
        "title": "Resources",
        "introduction": (
            "Practical sheets, spreadsheets, mail templates, brochures, slide decks, regulatory texts and case "
            "studies to apply the EGAlim law. Most documents are in French."
        ),
    },
}

# --- measure pages ---------------------------------------------------------------------------------------

OUTRE_MER_ROWS_FR = [
    (
        "Durables et de qualité / dont bio",
        "Guadeloupe, Martinique, Guyane, La Réunion, Saint-Martin",
        "20 % / 5 %",
        "2022 à 2025",
    ),
    (
        "Durables et de qualité / dont bio",
        "Guadeloupe, Martinique, Guyane, La Réunion, Saint-Martin",
        "35 % / 10 %",
        "2026 à 2029",
    ),
    (
        "Durables et de qualité / dont bio",
        "Guadeloupe, Martinique, Guyane, La Réunion, Saint-Martin",
        "50 % / 20 %",
        "2030",
    ),
    ("Durables et de qualité / dont bio", "Mayotte", "5 % / 2 %", "2022 à 2025"),
    ("Durables et de qualité / dont bio", "Mayotte", "15 % / 5 %", "2026 à 2029"),
    ("Durables et de qualité / dont bio", "Mayotte", "30 % / 10 %", "2030 à 2034"),
    ("Durables et de qualité / dont bio", "Mayotte", "50 % / 20 %", "2035"),
    ("Durables et de qualité / dont bio", "Saint-Pierre-et-Miquelon", "30 % / 10 %", "2022 à 2029"),
    ("Durables et de qualité / dont bio", "Saint-Pierre-et-Miquelon", "50 % / 20 %", "2030"),
]
OUTRE_MER_ROWS_EN = [
    ("Sustainable and quality / of which organic", scope, value, since.replace(" à ", "–"))
    for _criterion, scope, value, since in OUTRE_MER_ROWS_FR
]

MEASURE_PAGES = {
    "quality": {
        "fr": {
            "title": "Qualité et durabilité des produits",
            "summary": (
                "Au moins 50 % des achats de denrées alimentaires doivent être des produits durables et de "
                "qualité, dont au moins 20 % de produits bio. Depuis les données 2024, les viandes et poissons "
                "doivent en plus être à 60 % durables et de qualité."
            ),
            "requirements": (
                "<p>Sur une année civile, la valeur hors taxes des achats de produits durables et de qualité doit "
                "représenter <b>au moins 50 %</b> de la valeur totale des achats alimentaires (denrées et "
                "boissons), dont <b>au moins 20 %</b> de produits issus de l'agriculture biologique ou en "
                "conversion.</p>"
                "<p>Comptent comme durables et de qualité : les produits bio, les signes officiels de qualité "
                "(Label Rouge, AOP/AOC, IGP, STG), les produits HVE, l'écolabel pêche durable, le logo des régions "
                "ultrapériphériques, le commerce équitable, la mention « fermier » ou « produit de la ferme », et "
                "les produits choisis sur leurs performances environnementales. Un produit qui cumule plusieurs "
                "labels n'est compté qu'une fois.</p>"
                "<p>« Local », « circuit court » ou « origine France » ne sont pas des critères EGAlim en "
                "eux-mêmes : ils sont suivis à part et ne comptent pas dans les 50 %.</p>"
                "<p>Depuis les données 2024, <b>au moins 60 %</b> des achats de viandes et de poissons (les deux "
                "familles ensemble) doivent être durables et de qualité ; <b>100 %</b> dans les restaurants de "
                "l'État, de ses établissements publics et des entreprises publiques nationales.</p>"
            ),
            "concerned": (
                "<p>Tous les restaurants collectifs : restauration scolaire et universitaire, crèches, "
                "établissements de santé, sociaux et médico-sociaux, établissements pénitentiaires, restaurants "
                "administratifs, et depuis 2024 la restauration collective privée (restaurants d'entreprise), "
                "qu'ils soient en gestion directe ou concédée.</p>"
            ),
            "since": "1er janvier 2022 (restauration collective publique) ; 1er janvier 2024 pour le privé",
            "thresholds": [
                table(
                    "Seuils en métropole (et à Saint-Barthélemy), en valeur d'achats HT sur l'année",
                    [
                        ("Produits durables et de qualité", "Tous les restaurants collectifs", "50 %", "2022"),
                        ("dont produits bio", "Tous les restaurants collectifs", "20 %", "2022"),
                        (
                            "Viandes et poissons durables et de qualité",
                            "Tous les restaurants collectifs",
                            "60 %",
                            "Données 2024",
                        ),
                        (
                            "Viandes et poissons durables et de qualité",
                            "Restaurants de l'État",
                            "100 %",
                            "Données 2024",
                        ),
                    ],
                    "Les produits bio comptent à la fois dans les 20 % et dans les 50 %.",
                ),
                table(
                    "Seuils adaptés en outre-mer (décret n° 2021-1235)",
                    OUTRE_MER_ROWS_FR,
                    "Les seuils augmentent par paliers jusqu'à rejoindre les objectifs nationaux.",
                ),
            ],
            "sources": [
                source("Loi n° 2018-938 du 30 octobre 2018 (loi EGAlim), article 24", LOI_EGALIM),
                source(
                    "Loi n° 2021-1104 du 22 août 2021 (Climat et résilience)",
                    LOI_CLIMAT,
                    "extension à la restauration privée, seuil viandes et poissons",
                ),
                source("Code rural et de la pêche maritime, articles L230-5-1 à L230-5-6", CODE_RURAL),
            ],
            "faq": [
                question(
                    "Les produits locaux comptent-ils dans les 50 % ?",
                    "<p>Non, pas en tant que tels : la loi ne permet pas de favoriser l'origine géographique. Un "
                    "produit local compte s'il porte aussi un label ou une mention reconnus (bio, Label Rouge, HVE, "
                    "fermier...). Vous pouvez suivre vos achats locaux à part dans ma cantine.</p>",
                ),
                question(
                    "Comment compter un produit bio et Label Rouge ?",
                    "<p>Une seule fois, dans la catégorie bio : il compte dans les 20 % de bio et dans les 50 % de "
                    "produits durables et de qualité.</p>",
                ),
                question(
                    "Je suis en gestion concédée : qui déclare ?",
                    "<p>La personne morale responsable du restaurant (souvent la collectivité) reste responsable "
                    "de l'objectif. La société de restauration peut saisir les données pour son compte ; "
                    "prévoyez-le dans le contrat.</p>",
                ),
            ],
        },
        "en": {
            "title": "Product quality and sustainability",
            "summary": (
                "At least 50 % of food purchases must be sustainable and quality products, including at least "
                "20 % organic. From the 2024 data, meat and fish must also be 60 % sustainable and quality."
            ),
            "requirements": (
                "<p>Over a calendar year, the value excluding tax of sustainable and quality products must reach "
                "<b>at least 50 %</b> of all food and drink purchases, of which <b>at least 20 %</b> organic or "
                "in conversion.</p>"
                "<p>Counted as sustainable and quality: organic products, official quality signs (Label Rouge, "
                "PDO, PGI, TSG), HVE (high environmental value), sustainable fishing ecolabel, the outermost "
                'regions logo, fair trade, "farm" products, and products chosen for their environmental '
                "performance. A product with several labels counts once.</p>"
                '<p>"Local", "short supply chain" or "made in France" are not EGAlim criteria by '
                "themselves: they are tracked separately.</p>"
                "<p>From the 2024 data, <b>at least 60 %</b> of meat and fish purchases (both families together) "
                "must be sustainable and quality; <b>100 %</b> in State restaurants.</p>"
            ),
            "concerned": (
                "<p>Every collective restaurant: schools and universities, nurseries, health, social and care "
                "establishments, prisons, administrative restaurants and, since 2024, private company "
                "restaurants, whether self-managed or run by a catering company.</p>"
            ),
            "since": "1 January 2022 (public catering); 1 January 2024 for private catering",
            "thresholds": [
                table(
                    "Thresholds in mainland France (and Saint-Barthélemy), value of purchases excl. tax per year",
                    [
                        ("Sustainable and quality products", "All collective restaurants", "50 %", "2022"),
                        ("of which organic", "All collective restaurants", "20 %", "2022"),
                        ("Sustainable and quality meat and fish", "All collective restaurants", "60 %", "2024 data"),
                        ("Sustainable and quality meat and fish", "State restaurants", "100 %", "2024 data"),
                    ],
                    "Organic products count both in the 20 % and in the 50 %.",
                ),
                table(
                    "Adapted thresholds overseas (decree 2021-1235)",
                    OUTRE_MER_ROWS_EN,
                    "Thresholds rise step by step to the national targets.",
                ),
            ],
            "sources": [
                source("Law 2018-938 of 30 October 2018 (EGAlim law), article 24", LOI_EGALIM, "in French"),
                source("Law 2021-1104 of 22 August 2021 (Climate and Resilience)", LOI_CLIMAT, "in French"),
                source("Rural and Maritime Fishing Code, articles L230-5-1 to L230-5-6", CODE_RURAL, "in French"),
            ],
            "faq": [
                question(
                    "Do local products count in the 50 %?",
                    "<p>Not as such: a local product counts only if it also carries a recognised label or mention "
                    "(organic, Label Rouge, HVE, farm product...).</p>",
                ),
                question(
                    "How do I count a product that is both organic and Label Rouge?",
                    "<p>Once, as organic: it counts in the 20 % organic and in the 50 %.</p>",
                ),
            ],
        },
    },
    "waste": {
        "fr": {
            "title": "Lutte contre le gaspillage alimentaire et dons",
            "summary": (
                "Chaque restaurant collectif doit mesurer son gaspillage, mettre en place une démarche pour le "
                "réduire et, au-delà de 3 000 repas par jour, proposer une convention de dons à une association."
            ),
            "requirements": (
                "<p>Les opérateurs de restauration collective doivent <b>réaliser un diagnostic</b> du gaspillage "
                "alimentaire, préalable à leur démarche : pesée des restes, causes identifiées (grammages, "
                "horaires, goûts, commandes), approvisionnements en produits de qualité.</p>"
                "<p>Ils doivent ensuite <b>engager une démarche de réduction</b> : un plan d'actions, suivi dans "
                "le temps, qui associe les équipes de cuisine et de service et, si possible, les convives.</p>"
                "<p>Au-delà de <b>3 000 repas préparés par jour</b>, ils doivent <b>proposer une convention de "
                "dons</b> à une association habilitée d'aide alimentaire pour les denrées consommables non "
                "servies.</p>"
            ),
            "concerned": (
                "<p>Tous les restaurants collectifs, publics et privés. La convention de dons concerne les "
                "opérateurs qui préparent plus de 3 000 repas par jour (cuisines centrales, grands restaurants "
                "hospitaliers ou administratifs).</p>"
            ),
            "since": "Loi EGAlim (2018), précisée par l'ordonnance du 21 octobre 2019 et la loi AGEC (2020)",
            "thresholds": [
                table(
                    "Obligations selon la taille du restaurant",
                    [
                        (
                            "Diagnostic du gaspillage alimentaire",
                            "Tous les restaurants collectifs",
                            "Obligatoire",
                            "2019",
                        ),
                        (
                            "Démarche de réduction du gaspillage",
                            "Tous les restaurants collectifs",
                            "Obligatoire",
                            "2019",
                        ),
                        (
                            "Convention de dons avec une association",
                            "Plus de 3 000 repas préparés par jour",
                            "Obligatoire",
                            "2019",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Loi n° 2018-938 du 30 octobre 2018 (loi EGAlim)", LOI_EGALIM),
                source("Loi n° 2020-105 du 10 février 2020 (anti-gaspillage et économie circulaire, AGEC)", LOI_AGEC),
            ],
            "faq": [
                question(
                    "Combien de temps doit durer la pesée ?",
                    "<p>Une semaine représentative suffit pour un premier diagnostic, en pesant séparément les "
                    "restes de préparation, les excédents non servis et les restes d'assiette. Refaites-la chaque "
                    "année pour mesurer vos progrès.</p>",
                ),
                question(
                    "Peut-on donner des plats déjà cuisinés ?",
                    "<p>Oui, s'ils n'ont pas été présentés aux convives et que la chaîne du froid ou du chaud a "
                    "été respectée. La convention avec l'association précise les conditions de collecte, de "
                    "transport et de traçabilité.</p>",
                ),
            ],
        },
        "en": {
            "title": "Fighting food waste and food donations",
            "summary": (
                "Every collective restaurant must measure its food waste, take action to reduce it and, above "
                "3,000 meals a day, offer a donation agreement to a charity."
            ),
            "requirements": (
                "<p>Collective catering operators must <b>carry out a food waste diagnosis</b>: weighing leftovers "
                "and identifying causes (portion sizes, timetables, tastes, orders).</p>"
                "<p>They must then <b>implement a reduction plan</b>, followed over time, involving kitchen and "
                "serving staff and, if possible, diners.</p>"
                "<p>Above <b>3,000 meals prepared a day</b>, they must <b>offer a donation agreement</b> to an "
                "approved food-aid charity for unserved edible food.</p>"
            ),
            "concerned": (
                "<p>All collective restaurants, public and private. The donation agreement concerns operators "
                "preparing more than 3,000 meals a day.</p>"
            ),
            "since": "EGAlim law (2018), specified by the ordinance of 21 October 2019 and the AGEC law (2020)",
            "thresholds": [
                table(
                    "Obligations by size of restaurant",
                    [
                        ("Food waste diagnosis", "All collective restaurants", "Mandatory", "2019"),
                        ("Waste reduction plan", "All collective restaurants", "Mandatory", "2019"),
                        (
                            "Donation agreement with a charity",
                            "More than 3,000 meals prepared a day",
                            "Mandatory",
                            "2019",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Law 2018-938 of 30 October 2018 (EGAlim law)", LOI_EGALIM, "in French"),
                source(
                    "Law 2020-105 of 10 February 2020 (anti-waste and circular economy, AGEC)", LOI_AGEC, "in French"
                ),
            ],
            "faq": [
                question(
                    "How long should the weighing last?",
                    "<p>One representative week is enough for a first diagnosis. Repeat it every year to measure "
                    "progress.</p>",
                ),
            ],
        },
    },
    "diversification": {
        "fr": {
            "title": "Diversification des protéines et menus végétariens",
            "summary": (
                "Un menu végétarien au moins une fois par semaine en restauration scolaire, un plan pluriannuel "
                "de diversification des protéines au-delà de 200 repas par jour, et une option végétarienne "
                "quotidienne dans les restaurants de l'État qui proposent plusieurs menus."
            ),
            "requirements": (
                "<p>Un <b>menu végétarien</b> est un menu sans viande ni poisson, crustacés ou fruits de mer ; il "
                "peut contenir des œufs et des produits laitiers. Il doit être proposé <b>au moins une fois par "
                "semaine</b> en restauration scolaire, de la maternelle au lycée.</p>"
                "<p>Les restaurants qui servent <b>plus de 200 repas par jour</b> en moyenne doivent présenter à "
                "leurs structures dirigeantes un <b>plan pluriannuel de diversification des protéines</b> "
                "incluant des alternatives à base de protéines végétales.</p>"
                "<p>Les restaurants de l'État, de ses établissements publics et des entreprises publiques "
                "nationales qui proposent habituellement un choix de menus doivent offrir une <b>option "
                "végétarienne chaque jour</b>.</p>"
            ),
            "concerned": (
                "<p>Restauration scolaire (menu hebdomadaire), tous les restaurants de plus de 200 couverts par "
                "jour (plan pluriannuel), restaurants de l'État proposant plusieurs menus (option "
                "quotidienne).</p>"
            ),
            "since": (
                "Expérimentation du menu hebdomadaire en 2019, pérennisée par la loi Climat et résilience "
                "(2021) ; option quotidienne dans les restaurants de l'État depuis 2023"
            ),
            "thresholds": [
                table(
                    "Obligations par type de restaurant",
                    [
                        ("Menu végétarien", "Restauration scolaire", "Au moins 1 fois par semaine", "2019"),
                        (
                            "Plan pluriannuel de diversification des protéines",
                            "Plus de 200 repas par jour",
                            "Obligatoire",
                            "2019",
                        ),
                        (
                            "Option végétarienne quotidienne",
                            "Restaurants de l'État proposant un choix de menus",
                            "Chaque jour",
                            "2023",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Loi n° 2018-938 du 30 octobre 2018 (loi EGAlim)", LOI_EGALIM),
                source("Loi n° 2021-1104 du 22 août 2021 (Climat et résilience)", LOI_CLIMAT),
            ],
            "faq": [
                question(
                    "Un menu avec des œufs est-il végétarien ?",
                    "<p>Oui. Le menu végétarien exclut la viande, le poisson, les crustacés et les fruits de mer, "
                    "mais peut comporter des œufs et des produits laitiers. Veillez à l'équilibre nutritionnel : "
                    "associez légumineuses et céréales.</p>",
                ),
                question(
                    "Le plan pluriannuel doit-il suivre un modèle ?",
                    "<p>Non. Il doit fixer des objectifs sur plusieurs années, les actions (recettes, formation, "
                    "achats, communication) et la manière de suivre les résultats. Une trame est proposée dans "
                    "nos ressources.</p>",
                ),
            ],
        },
        "en": {
            "title": "Protein diversification and vegetarian menus",
            "summary": (
                "A vegetarian menu at least once a week in school catering, a multi-year protein diversification "
                "plan above 200 meals a day, and a daily vegetarian option in State restaurants offering a "
                "choice of menus."
            ),
            "requirements": (
                "<p>A <b>vegetarian menu</b> contains no meat, fish or seafood; it may contain eggs and dairy "
                "products. It must be served <b>at least once a week</b> in school catering.</p>"
                "<p>Restaurants serving <b>more than 200 meals a day</b> on average must adopt a <b>multi-year "
                "protein diversification plan</b> including plant-based alternatives.</p>"
                "<p>State restaurants that usually offer a choice of menus must offer a <b>vegetarian option "
                "every day</b>.</p>"
            ),
            "concerned": (
                "<p>School catering (weekly menu), every restaurant above 200 meals a day (multi-year plan), State "
                "restaurants offering several menus (daily option).</p>"
            ),
            "since": (
                "Weekly menu trialled from 2019 and made permanent by the 2021 Climate and Resilience law; daily "
                "option in State restaurants since 2023"
            ),
            "thresholds": [
                table(
                    "Obligations by type of restaurant",
                    [
                        ("Vegetarian menu", "School catering", "At least once a week", "2019"),
                        ("Multi-year protein diversification plan", "More than 200 meals a day", "Mandatory", "2019"),
                        (
                            "Daily vegetarian option",
                            "State restaurants offering a choice of menus",
                            "Every day",
                            "2023",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Law 2018-938 of 30 October 2018 (EGAlim law)", LOI_EGALIM, "in French"),
                source("Law 2021-1104 of 22 August 2021 (Climate and Resilience)", LOI_CLIMAT, "in French"),
            ],
            "faq": [
                question(
                    "Is a menu with eggs vegetarian?",
                    "<p>Yes. It excludes meat, fish and seafood but may include eggs and dairy products.</p>",
                ),
            ],
        },
    },
    "plastic": {
        "fr": {
            "title": "Substitution des plastiques",
            "summary": (
                "Fin des bouteilles d'eau plate en plastique, de la vaisselle et des couverts en plastique à "
                "usage unique, et des contenants de cuisson, de réchauffe et de service en plastique dans la "
                "restauration scolaire, universitaire et des tout-petits."
            ),
            "requirements": (
                "<p>En restauration scolaire, les <b>bouteilles d'eau plate en plastique</b> ne sont plus "
                "utilisées : l'eau est servie en carafe ou à la fontaine.</p>"
                "<p>Les <b>ustensiles à usage unique en plastique</b> (gobelets, verres, assiettes, couverts, "
                "pailles, bâtonnets mélangeurs, couvercles de gobelets...) sont interdits.</p>"
                "<p>Les <b>contenants alimentaires de cuisson, de réchauffe et de service en plastique</b> sont "
                "interdits dans les services de restauration collective des établissements scolaires et "
                "universitaires et des établissements d'accueil des enfants de moins de six ans. Les "
                "alternatives : inox, verre, céramique.</p>"
            ),
            "concerned": (
                "<p>Restauration scolaire et universitaire, crèches et établissements d'accueil des enfants de "
                "moins de six ans. Les ustensiles à usage unique sont interdits pour tous.</p>"
            ),
            "since": (
                "1er janvier 2020 pour les bouteilles et la vaisselle jetable ; 1er janvier 2025 pour les "
                "contenants (2028 dans les communes de moins de 2 000 habitants)"
            ),
            "thresholds": [
                table(
                    "Calendrier des interdictions",
                    [
                        ("Bouteilles d'eau plate en plastique", "Restauration scolaire", "Interdites", "2020"),
                        ("Vaisselle et couverts en plastique à usage unique", "Tous", "Interdits", "2020"),
                        (
                            "Contenants de cuisson, réchauffe et service en plastique",
                            "Scolaire, universitaire, petite enfance",
                            "Interdits",
                            "2025",
                        ),
                        (
                            "Contenants de cuisson, réchauffe et service en plastique",
                            "Communes de moins de 2 000 habitants",
                            "Interdits",
                            "2028",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Loi n° 2018-938 du 30 octobre 2018 (loi EGAlim)", LOI_EGALIM),
                source("Loi n° 2020-105 du 10 février 2020 (AGEC)", LOI_AGEC),
            ],
            "faq": [
                question(
                    "Les bacs gastronormes en inox sont-ils compatibles avec la liaison froide ?",
                    "<p>Oui : de nombreuses cuisines centrales livrent en bacs inox avec couvercles et "
                    "étiquetage. Prévoyez le nombre de bacs nécessaires pour la rotation, le lavage et le "
                    "transport (chariots, caissons isothermes).</p>",
                ),
            ],
        },
        "en": {
            "title": "Replacing plastics",
            "summary": (
                "No more plastic water bottles, single-use plastic tableware and cutlery, nor plastic containers "
                "for cooking, reheating and serving in school, university and early-childhood catering."
            ),
            "requirements": (
                "<p>In school catering, <b>plastic still-water bottles</b> are no longer used: water is served in "
                "jugs or from fountains.</p>"
                "<p><b>Single-use plastic utensils</b> (cups, plates, cutlery, straws...) are banned.</p>"
                "<p><b>Plastic containers for cooking, reheating and serving</b> are banned in school, university "
                "and early-childhood catering. Alternatives: stainless steel, glass, ceramics.</p>"
            ),
            "concerned": (
                "<p>School and university catering, nurseries and childcare for children under six. Single-use "
                "utensils are banned for everyone.</p>"
            ),
            "since": (
                "1 January 2020 for bottles and disposable tableware; 1 January 2025 for containers (2028 in "
                "towns under 2,000 inhabitants)"
            ),
            "thresholds": [
                table(
                    "Timeline of the bans",
                    [
                        ("Plastic still-water bottles", "School catering", "Banned", "2020"),
                        ("Single-use plastic tableware and cutlery", "All", "Banned", "2020"),
                        (
                            "Plastic cooking, reheating and serving containers",
                            "Schools, universities, childcare",
                            "Banned",
                            "2025",
                        ),
                        (
                            "Plastic cooking, reheating and serving containers",
                            "Towns under 2,000 inhabitants",
                            "Banned",
                            "2028",
                        ),
                    ],
                ),
            ],
            "sources": [
                source("Law 2018-938 of 30 October 2018 (EGAlim law)", LOI_EGALIM, "in French"),
                source("Law 2020-105 of 10 February 2020 (AGEC)", LOI_AGEC, "in French"),
            ],
            "faq": [],
        },
    },
    "information": {
        "fr": {
            "title": "Information des convives",
            "summary": (
                "Au moins une fois par an, chaque restaurant collectif informe ses convives de la part de "
                "produits durables et de qualité et de produits bio dans ses repas, par affichage et par "
                "communication électronique."
            ),
            "requirements": (
                "<p>Les convives (et, pour les enfants, leurs familles) sont informés <b>au moins une fois par "
                "an</b> de la <b>part des produits durables et de qualité</b> et de la <b>part des produits "
                "bio</b> entrant dans la composition des repas servis.</p>"
                "<p>L'information se fait <b>par affichage</b> dans le restaurant et <b>par communication "
                "électronique</b> (site de la commune ou de l'établissement, ENT, lettre d'information). Les "
                "convives sont aussi informés des démarches engagées pour développer l'acquisition de produits "
                "issus du commerce équitable et du plan alimentaire.</p>"
                "<p>ma cantine génère une affiche à partir de vos données déclarées.</p>"
            ),
            "concerned": "<p>Tous les restaurants collectifs, publics et privés.</p>",
            "since": "1er janvier 2020",
            "thresholds": [
                table(
                    "Ce qu'il faut afficher",
                    [
                        (
                            "Part de produits durables et de qualité",
                            "Tous les restaurants",
                            "Au moins 1 fois par an",
                            "2020",
                        ),
                        ("Part de produits bio", "Tous les restaurants", "Au moins 1 fois par an", "2020"),
                    ],
                ),
            ],
            "sources": [source("Loi n° 2018-938 du 30 octobre 2018 (loi EGAlim)", LOI_EGALIM)],
            "faq": [
                question(
                    "Quels chiffres afficher si l'année n'est pas terminée ?",
                    "<p>Affichez les taux de la dernière année complète que vous avez déclarée, en précisant "
                    "l'année. Vous pouvez y ajouter vos objectifs et vos actions en cours.</p>",
                ),
            ],
        },
        "en": {
            "title": "Informing diners",
            "summary": (
                "At least once a year, every collective restaurant tells its diners the share of sustainable and "
                "quality products and of organic products in its meals, by a poster and electronically."
            ),
            "requirements": (
                "<p>Diners (and, for children, their families) are informed <b>at least once a year</b> of the "
                "<b>share of sustainable and quality products</b> and the <b>share of organic products</b> in the "
                "meals served, <b>by a poster</b> in the restaurant and <b>electronically</b>.</p>"
                "<p>ma cantine generates a poster from your declared data.</p>"
            ),
            "concerned": "<p>All collective restaurants, public and private.</p>",
            "since": "1 January 2020",
            "thresholds": [
                table(
                    "What to display",
                    [
                        (
                            "Share of sustainable and quality products",
                            "All restaurants",
                            "At least once a year",
                            "2020",
                        ),
                        ("Share of organic products", "All restaurants", "At least once a year", "2020"),
                    ],
                ),
            ],
            "sources": [source("Law 2018-938 of 30 October 2018 (EGAlim law)", LOI_EGALIM, "in French")],
            "faq": [],
        },
    },
}

# --- mail templates --------------------------------------------------------------------------------------

MAIL_TEMPLATES = [
    {
        "code": "cantine-inscrite",
        "name": "cantine inscrite",
        "audience": "gestionnaire",
        "measures": ["quality", "information"],
        "placeholders": "nom_gestionnaire, nom_cantine, commune, annee_donnees, date_limite, nom_signataire, "
        "fonction_signataire",
        "subject": "{{ nom_cantine }} : votre télédéclaration EGAlim {{ annee_donnees }} sur ma cantine",
        "body": (
            "Bonjour {{ nom_gestionnaire }},\n\n"
            "Merci d'avoir inscrit la cantine {{ nom_cantine }} ({{ commune }}) sur ma cantine, le service public "
            "qui accompagne la restauration collective dans l'application de la loi EGAlim.\n\n"
            "La campagne de télédéclaration des données {{ annee_donnees }} est ouverte jusqu'au "
            "{{ date_limite }}. En quelques étapes, vous pouvez :\n"
            "- saisir vos achats alimentaires de l'année, au total ou par famille de produits ;\n"
            "- vérifier vos taux de produits durables et de qualité et de produits bio ;\n"
            "- renseigner vos actions contre le gaspillage, pour la diversification des protéines, la "
            "substitution des plastiques et l'information des convives.\n\n"
            "Une fois votre déclaration faite, pensez à télécharger l'affiche de votre cantine : elle vous "
            "permet d'informer vos convives, comme le prévoit la loi.\n\n"
            "Je reste à votre disposition pour vous aider, notamment si vous gérez plusieurs sites ou si votre "
            "cantine est livrée par une cuisine centrale.\n\n"
            "Bien cordialement,\n\n"
            "{{ nom_signataire }}\n"
            "{{ fonction_signataire }}"
        ),
    },
    {
        "code": "cantine-non-inscrite",
        "name": "cantine non inscrite",
        "audience": "elu",
        "measures": ["quality", "waste", "diversification", "plastic", "information"],
        "placeholders": "nom_destinataire, nom_cantine, commune, nom_signataire, fonction_signataire",
        "subject": "{{ commune }} : inscrivez la cantine {{ nom_cantine }} sur ma cantine",
        "body": (
            "Madame, Monsieur {{ nom_destinataire }},\n\n"
            "Depuis 2022, la loi EGAlim fixe à tous les restaurants collectifs des objectifs de qualité des "
            "repas : au moins 50 % de produits durables et de qualité, dont 20 % de produits bio, la lutte contre "
            "le gaspillage alimentaire, un menu végétarien hebdomadaire en restauration scolaire, la fin des "
            "plastiques et l'information des convives. Chaque année, les restaurants déclarent leurs achats sur "
            "la plateforme publique ma cantine.\n\n"
            "À ce jour, la cantine {{ nom_cantine }} de {{ commune }} n'y est pas encore inscrite. "
            "L'inscription est gratuite et prend une dizaine de minutes : il suffit du numéro SIRET de "
            "l'établissement (ou du SIREN de la commune pour un site qui n'a pas de SIRET propre). Si la "
            "restauration est confiée à une société, celle-ci peut effectuer la déclaration pour votre compte.\n\n"
            "Une fois inscrite, votre cantine bénéficie d'un autodiagnostic, d'un calculateur de taux d'achats, "
            "d'une affiche pour informer les familles et de nombreuses ressources pratiques.\n\n"
            "Je vous propose un échange de quelques minutes pour vous présenter la démarche ou accompagner la "
            "personne en charge de la restauration. Vous trouverez ci-joint une plaquette de présentation.\n\n"
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.\n\n"
            "{{ nom_signataire }}\n"
            "{{ fonction_signataire }}"
        ),
    },
    {
        "code": "relance-teledeclaration",
        "name": "relance télédéclaration",
        "audience": "gestionnaire",
        "measures": ["quality"],
        # The placeholders that `manage.py send_campaign_reminders` fills (canteens/reminders.py).
        "placeholders": "nom_cantine, commune, annee, date_limite, lien",
        "subject": "Plus que quelques jours pour télédéclarer les données {{ annee }} de {{ nom_cantine }}",
        "body": (
            "Bonjour,\n\n"
            "La campagne de télédéclaration des données {{ annee }} se termine le {{ date_limite }}. "
            "La déclaration de {{ nom_cantine }} ({{ commune }}) n'est pas encore transmise.\n\n"
            "Si vous ne connaissez pas le détail de vos achats par label, vous pouvez déclarer les totaux : "
            "montant total des achats, montant des achats bio et montant des autres produits durables et de "
            "qualité. Votre comptabilité ou votre fournisseur principal peuvent vous fournir ces montants.\n\n"
            "Pour compléter et télédéclarer : {{ lien }}\n\n"
            "Besoin d'aide ? Répondez simplement à ce message.\n\n"
            "L'équipe ma cantine"
        ),
    },
]

MAIL_TEMPLATES_EN = {
    "cantine-inscrite": {
        "name": "registered canteen",
        "subject": "{{ nom_cantine }}: your {{ annee_donnees }} EGAlim declaration on ma cantine",
        "body": (
            "Hello {{ nom_gestionnaire }},\n\n"
            "Thank you for registering {{ nom_cantine }} ({{ commune }}) on ma cantine.\n\n"
            "The declaration of the {{ annee_donnees }} data is open until {{ date_limite }}: enter your food "
            "purchases for the year, check your rates of sustainable and organic products, and describe your "
            "actions on waste, protein diversification, plastics and diner information.\n\n"
            "Once done, download your canteen's poster to inform your diners.\n\n"
            "Kind regards,\n\n"
            "{{ nom_signataire }}\n"
            "{{ fonction_signataire }}"
        ),
    },
    "cantine-non-inscrite": {
        "name": "unregistered canteen",
        "subject": "{{ commune }}: register the {{ nom_cantine }} canteen on ma cantine",
        "body": (
            "Dear {{ nom_destinataire }},\n\n"
            "Since 2022 the EGAlim law sets quality targets for every collective restaurant, which declare their "
            "purchases every year on the public platform ma cantine. The {{ nom_cantine }} canteen in "
            "{{ commune }} is not registered yet: registration is free and takes about ten minutes with the "
            "SIRET number of the establishment.\n\n"
            "I would be glad to present the service to you or to the person in charge of catering.\n\n"
            "Yours faithfully,\n\n"
            "{{ nom_signataire }}\n"
            "{{ fonction_signataire }}"
        ),
    },
    "relance-teledeclaration": {
        "name": "teledeclaration reminder",
        "subject": "Only a few days left to declare the {{ annee }} data of {{ nom_cantine }}",
        "body": (
            "Hello,\n\n"
            "The declaration campaign for the {{ annee }} data ends on {{ date_limite }}. The declaration of "
            "{{ nom_cantine }} ({{ commune }}) has not been sent yet.\n\n"
            "If you do not know your purchases by label, you can declare the totals: total purchases, organic "
            "purchases and other sustainable and quality products. Your accounts or your main supplier can give "
            "you these amounts.\n\n"
            "To complete and send your declaration: {{ lien }}\n\n"
            "Need help? Just reply to this message.\n\n"
            "The ma cantine team"
        ),
    },
}

# --- resources -------------------------------------------------------------------------------------------

ALL_MEASURES = ["quality", "waste", "diversification", "plastic", "information"]
PUBLIC_SECTORS = ["enseignement", "sante", "social", "administration"]
ALL_SECTORS = ["enseignement", "sante", "social", "administration", "entreprise", "loisirs", "autres"]


def resource(slug, title, kind, measures, audiences, sectors, gaps, summary, sections, files, **extra):
    return {
        "slug": slug,
        "title": title,
        "type": kind,
        "measures": measures,
        "audiences": audiences,
        "sectors": sectors,
        "gaps": gaps,
        "summary": summary,
        "sections": sections,
        "files": files,
        **extra,
    }


FICHE = ("fiche",)

RESOURCES = [
    # Qualité et durabilité ------------------------------------------------------------------------------
    resource(
        "calculer-ses-taux-egalim",
        "Calculer ses taux d'achats EGAlim et bio",
        "fiche-pratique",
        ["quality"],
        ["gestionnaire", "societe-de-restauration"],
        PUBLIC_SECTORS + ["entreprise"],
        ["quality.egalim_below_threshold", "quality.bio_below_threshold"],
        "La méthode pour calculer, à partir de vos factures, la part de produits durables et de qualité et la "
        "part de produits bio dans vos achats de l'année, et les erreurs fréquentes à éviter.",
        [
            (
                "Ce qu'il faut rassembler",
                "<ul><li>Toutes les factures alimentaires de l'année civile (denrées et boissons), hors taxes ;</li>"
                "<li>pour chaque ligne, le label ou la mention du produit (bio, Label Rouge, AOP, IGP, HVE...) ;</li>"
                "<li>si possible, la famille de produits (viandes, poissons, fruits et légumes...).</li></ul>",
            ),
            (
                "Le calcul",
                "<p><b>Taux EGAlim</b> = achats durables et de qualité (bio compris) ÷ total des achats "
                "alimentaires. <b>Taux bio</b> = achats bio ÷ total des achats alimentaires. Les deux taux se "
                "calculent en valeur hors taxes, sur l'année entière.</p>"
                "<p>Exemple : 120 000 € d'achats dont 30 000 € de bio et 33 000 € d'autres produits labellisés : "
                "taux bio 25 %, taux EGAlim (30 000 + 33 000) ÷ 120 000 = 52,5 %.</p>",
            ),
            (
                "Les erreurs fréquentes",
                "<ul><li>Compter deux fois un produit bio et Label Rouge : il ne compte qu'une fois, en bio.</li>"
                "<li>Compter le « local » ou l'« origine France » : ce ne sont pas des critères EGAlim.</li>"
                "<li>Oublier les boissons, le pain ou les achats en épicerie.</li>"
                "<li>Calculer sur quelques mois : l'objectif porte sur l'année civile.</li></ul>",
            ),
        ],
        [FICHE, ("doc", "tableur-achats")],
        related=["tableur-suivi-achats", "labels-egalim", "teledeclaration-pas-a-pas"],
        reviewed_days_ago=40,
    ),
    resource(
        "tableur-suivi-achats",
        "Tableur de suivi des achats par famille et par label",
        "outil",
        ["quality"],
        ["gestionnaire", "societe-de-restauration"],
        ALL_SECTORS,
        ["quality.egalim_below_threshold", "quality.bio_below_threshold", "quality.meat_fish_below_threshold"],
        "Un tableur prêt à remplir au fil des factures : il calcule vos taux EGAlim, bio et viandes-poissons et "
        "prépare les montants à saisir lors de la télédéclaration.",
        [
            (
                "Mode d'emploi",
                "<p>Saisissez une ligne par facture ou par produit : date, fournisseur, famille, label et montant "
                "HT. L'onglet « Synthèse » additionne automatiquement les montants par famille et par catégorie de "
                "labels, et calcule vos taux.</p>",
            ),
            (
                "Pour aller plus vite",
                "<p>Demandez à vos fournisseurs un export annuel de vos achats avec les labels : beaucoup peuvent le "
                "fournir. Vous pouvez alors coller les lignes dans l'onglet « Achats ».</p>",
            ),
        ],
        [("doc", "tableur-achats")],
        related=["calculer-ses-taux-egalim"],
        reviewed_days_ago=60,
    ),
    resource(
        "labels-egalim",
        "Quels labels et mentions comptent dans les 50 % ?",
        "fiche-pratique",
        ["quality"],
        ["gestionnaire", "societe-de-restauration", "elu"],
        ALL_SECTORS,
        ["quality.egalim_below_threshold"],
        "La liste des signes de qualité, labels et mentions reconnus par la loi EGAlim, regroupés comme dans la "
        "télédéclaration, et ce qui ne compte pas.",
        [
            (
                "Les catégories reconnues",
                "<ul><li><b>Bio</b> : agriculture biologique (logo AB, Eurofeuille), y compris en conversion.</li>"
                "<li><b>Signes officiels de qualité</b> : Label Rouge, AOC/AOP, IGP, STG.</li>"
                "<li><b>Autres mentions EGAlim</b> : HVE (certification environnementale de niveau 2 acceptée "
                "jusqu'au 31 décembre 2026), écolabel pêche durable, logo RUP, commerce équitable, mention "
                "« fermier » ou « produit de la ferme ».</li>"
                "<li><b>Critères environnementaux</b> : produits acquis sur la base de leurs performances en matière "
                "d'environnement ou du coût de leurs externalités environnementales.</li></ul>",
            ),
            (
                "Ce qui ne compte pas",
                "<p>« Local », « circuit court », « origine France », « fait maison » : utiles et suivis à part, ces "
                "critères ne comptent pas dans les 50 %.</p>",
            ),
            (
                "Un produit, une catégorie",
                "<p>Un produit qui porte plusieurs labels est compté une seule fois, dans cet ordre de priorité : "
                "bio, puis signes officiels de qualité, puis autres mentions, puis critères environnementaux.</p>",
            ),
        ],
        [FICHE],
        related=["calculer-ses-taux-egalim"],
        reviewed_days_ago=420,
    ),
    resource(
        "viandes-poissons-60",
        "Viandes et poissons : atteindre 60 % de produits durables et de qualité",
        "fiche-pratique",
        ["quality"],
        ["gestionnaire", "societe-de-restauration"],
        PUBLIC_SECTORS + ["entreprise"],
        ["quality.meat_fish_below_threshold"],
        "Depuis les données 2024, les achats de viandes et de poissons doivent être à 60 % durables et de "
        "qualité (100 % dans les restaurants de l'État). Des pistes concrètes pour y arriver sans exploser le "
        "budget.",
        [
            (
                "Moins mais mieux",
                "<p>Réduire légèrement les grammages (dans le respect des recommandations nutritionnelles) et "
                "proposer plus de plats végétariens libère du budget pour acheter des viandes Label Rouge, bio ou "
                "issues d'exploitations HVE.</p>",
            ),
            (
                "Acheter les bons morceaux",
                "<p>Travaillez avec vos fournisseurs sur l'équilibre carcasse : les morceaux moins demandés (paleron, "
                "joue, collier) sous signe de qualité coûtent souvent moins cher que des morceaux nobles "
                "standard.</p>",
            ),
            (
                "Les poissons",
                "<p>L'écolabel pêche durable et le bio (aquaculture) comptent. Variez les espèces et privilégiez les "
                "poissons de saison.</p>",
            ),
        ],
        [FICHE],
        related=["calculer-ses-taux-egalim", "plan-diversification"],
        reviewed_days_ago=30,
    ),
    resource(
        "marches-publics-egalim",
        "Rédiger un marché public qui favorise les produits durables",
        "fiche-pratique",
        ["quality"],
        ["gestionnaire", "elu"],
        ["enseignement", "administration", "sante", "social"],
        ["quality.egalim_below_threshold", "quality.bio_below_threshold"],
        "Allotissement, spécifications techniques, critères d'attribution : les leviers de la commande publique "
        "pour atteindre les objectifs EGAlim, avec des clauses types à adapter.",
        [
            (
                "Allotir finement",
                "<p>Des lots par famille de produits (et parfois par label) permettent aux producteurs et aux "
                "petites entreprises de répondre. Un lot « bio » ou « Label Rouge » garantit un volume minimal.</p>",
            ),
            (
                "Exiger des labels dans les spécifications",
                "<p>Vous pouvez exiger un label ou une certification équivalente dans les spécifications techniques "
                "du produit. Exiger une origine géographique est en revanche interdit.</p>",
            ),
            (
                "Suivre l'exécution",
                "<p>Demandez au titulaire un relevé annuel des achats par label : il facilite votre télédéclaration "
                "et le suivi de vos taux.</p>",
            ),
        ],
        [FICHE, ("doc", "clauses-marche")],
        related=["labels-egalim"],
        reviewed_days_ago=200,
    ),
    resource(
        "outre-mer-seuils",
        "Outre-mer : les seuils adaptés territoire par territoire",
        "fiche-pratique",
        ["quality"],
        ["gestionnaire", "elu", "charge-de-mission"],
        ALL_SECTORS,
        [],
        "En Guadeloupe, Martinique, Guyane, à La Réunion, Saint-Martin, Mayotte et Saint-Pierre-et-Miquelon, "
        "des seuils progressifs s'appliquent (décret n° 2021-1235). Le tableau complet, année par année.",
        [
            (
                "Guadeloupe, Martinique, Guyane, La Réunion, Saint-Martin",
                "<p>20 % de produits durables et de qualité dont 5 % de bio de 2022 à 2025 ; 35 % dont 10 % de 2026 "
                "à 2029 ; 50 % dont 20 % à partir de 2030.</p>",
            ),
            (
                "Mayotte",
                "<p>5 % dont 2 % de bio de 2022 à 2025 ; 15 % dont 5 % de 2026 à 2029 ; 30 % dont 10 % de 2030 à "
                "2034 ; 50 % dont 20 % à partir de 2035.</p>",
            ),
            (
                "Saint-Pierre-et-Miquelon",
                "<p>30 % dont 10 % de bio de 2022 à 2029 ; 50 % dont 20 % à partir de 2030. Saint-Barthélemy "
                "applique les seuils nationaux.</p>",
            ),
        ],
        [FICHE],
        reviewed_days_ago=90,
    ),
    resource(
        "rex-cuisine-centrale-52",
        "Cas type : une cuisine centrale passe de 18 % à 52 % de produits durables en trois ans",
        "retour-d-experience",
        ["quality", "diversification"],
        ["gestionnaire", "elu"],
        ["enseignement"],
        ["quality.egalim_below_threshold", "quality.bio_below_threshold"],
        "Une cuisine centrale intercommunale de 1 500 repas par jour : le diagnostic de départ, les choix faits "
        "chaque année et ce qu'ils ont coûté. Cas type construit à partir de situations fréquentes ; les "
        "chiffres sont indicatifs.",
        [
            (
                "Le point de départ",
                "<p>18 % de produits durables et de qualité, 6 % de bio, un coût matière de 2,10 € par repas et un "
                "gaspillage estimé à 110 g par convive.</p>",
            ),
            (
                "Année 1 : mesurer et économiser",
                "<p>Pesées des restes, ajustement des grammages, deuxième menu végétarien certaines semaines : "
                "environ 0,12 € économisés par repas, réinvestis dans le bio pour les produits laitiers et le "
                "pain.</p>",
            ),
            (
                "Années 2 et 3 : changer les marchés",
                "<p>Allotissement par famille, lots bio et Label Rouge pour la volaille, légumerie pour travailler "
                "des légumes bruts. Résultat : 52 % de produits durables dont 23 % de bio, pour un coût matière de "
                "2,18 € par repas.</p>",
            ),
        ],
        [FICHE],
        related=["marches-publics-egalim", "plan-action-gaspillage"],
        reviewed_days_ago=150,
    ),
    # Gaspillage -----------------------------------------------------------------------------------------
    resource(
        "diagnostic-gaspillage",
        "Réaliser un diagnostic du gaspillage alimentaire en cinq étapes",
        "fiche-pratique",
        ["waste"],
        ["gestionnaire", "societe-de-restauration"],
        ALL_SECTORS,
        ["waste.no_diagnostic"],
        "Le diagnostic est la première obligation de la mesure « gaspillage » : une méthode simple, en une "
        "semaine de pesées, pour savoir combien vous jetez et pourquoi.",
        [
            (
                "1. Choisir une semaine représentative",
                "<p>Évitez les semaines de sorties scolaires ou de menus exceptionnels. Prévenez les équipes et les "
                "convives.</p>",
            ),
            (
                "2. Peser séparément",
                "<p>Les restes de préparation (épluchures, parures), les excédents non servis (restés en cuisine "
                "ou en bacs) et les restes d'assiette. Notez le nombre de repas servis chaque jour.</p>",
            ),
            (
                "3. Calculer le gaspillage par convive",
                "<p>Total des excédents et restes d'assiette ÷ nombre de repas. Une valeur autour de 100 g par "
                "repas est fréquente en restauration scolaire.</p>",
            ),
            (
                "4. Chercher les causes",
                "<p>Plats les plus jetés, grammages trop élevés, temps de repas trop court, pain servi en excès, "
                "commandes mal ajustées aux effectifs.</p>",
            ),
            (
                "5. En tirer un plan d'actions",
                "<p>Trois à cinq actions prioritaires, une personne responsable pour chacune, et une nouvelle pesée "
                "dans l'année.</p>",
            ),
        ],
        [FICHE, ("doc", "grille-pesee")],
        related=["grille-pesee", "plan-action-gaspillage"],
        reviewed_days_ago=20,
    ),
    resource(
        "grille-pesee",
        "Grille de pesée des restes (tableur)",
        "outil",
        ["waste"],
        ["gestionnaire", "societe-de-restauration"],
        ALL_SECTORS,
        ["waste.no_diagnostic", "waste.no_action"],
        "Un tableur pour saisir chaque jour les pesées par type de reste et par plat, et obtenir le gaspillage "
        "par convive et le coût des denrées jetées.",
        [
            (
                "Contenu",
                "<p>Un onglet de saisie quotidienne (date, repas servis, restes de préparation, excédents, restes "
                "d'assiette, par composante du menu) et un onglet de synthèse.</p>",
            ),
        ],
        [("doc", "grille-pesee")],
        related=["diagnostic-gaspillage"],
        reviewed_days_ago=20,
    ),
    resource(
        "plan-action-gaspillage",
        "Dix actions qui réduisent vraiment le gaspillage",
        "fiche-pratique",
        ["waste"],
        ["gestionnaire", "societe-de-restauration", "elu"],
        ALL_SECTORS,
        ["waste.no_action", "waste.no_donation_agreement"],
        "Les actions les plus efficaces observées dans les restaurants collectifs, classées de la plus simple à "
        "la plus structurante, et une trame de plan d'actions à compléter.",
        [
            (
                "Les actions simples",
                "<ol><li>Couper le pain et le placer en fin de ligne de self.</li>"
                "<li>Servir en deux temps : une portion, puis du rab pour qui le souhaite.</li>"
                "<li>Ajuster les commandes aux effectifs réels, avec une inscription fiable.</li>"
                "<li>Proposer des fruits découpés aux plus jeunes.</li></ol>",
            ),
            (
                "Les actions structurantes",
                '<ol start="5"><li>Revoir les grammages avec la diététicienne.</li>'
                "<li>Allonger le temps de repas à au moins 30 minutes assis.</li>"
                "<li>Faire goûter les nouveaux plats (commission menus, ateliers).</li>"
                "<li>Former les équipes de service.</li>"
                "<li>Donner les excédents à une association.</li>"
                "<li>Composter ou méthaniser les biodéchets restants.</li></ol>",
            ),
        ],
        [FICHE, ("doc", "plan-gaspillage")],
        related=["diagnostic-gaspillage", "convention-dons"],
        reviewed_days_ago=100,
    ),
    resource(
        "convention-dons",
        "Modèle de convention de dons alimentaires avec une association",
        "outil",
        ["waste"],
        ["gestionnaire", "societe-de-restauration"],
        ["sante", "administration", "enseignement", "entreprise"],
        ["waste.no_donation_agreement"],
        "Obligatoire au-delà de 3 000 repas préparés par jour : un modèle de convention à adapter, avec les "
        "règles d'hygiène, de transport et de traçabilité à prévoir.",
        [
            (
                "Ce que la convention précise",
                "<ul><li>Les denrées concernées et celles exclues ;</li><li>les modalités de collecte (jours, "
                "horaires, contenants) et le respect de la chaîne du froid ;</li><li>la traçabilité et la "
                "responsabilité de chaque partie ;</li><li>la durée et les conditions de résiliation.</li></ul>",
            ),
            (
                "Trouver une association",
                "<p>Rapprochez-vous des banques alimentaires, des épiceries solidaires ou des associations "
                "habilitées de votre département ; la DDETS peut vous orienter.</p>",
            ),
        ],
        [("doc", "convention-dons")],
        related=["plan-action-gaspillage"],
        reviewed_days_ago=380,
    ),
    resource(
        "loi-agec",
        "Loi AGEC du 10 février 2020 (anti-gaspillage et économie circulaire)",
        "texte-reglementaire",
        ["waste", "plastic"],
        ["gestionnaire", "elu", "charge-de-mission"],
        ALL_SECTORS,
        ["waste.no_donation_agreement", "plastic.tableware"],
        "Le texte de la loi n° 2020-105 qui renforce la lutte contre le gaspillage alimentaire et encadre la "
        "sortie du plastique à usage unique.",
        [
            (
                "À retenir",
                "<p>La loi AGEC complète la loi EGAlim sur les dons alimentaires et la fin des produits en plastique à "
                "usage unique.</p>",
            )
        ],
        [("link", "Loi n° 2020-105 sur Légifrance", LOI_AGEC)],
        reviewed_days_ago=10,
        publication_date="2020-02-11",
    ),
    resource(
        "video-gaspillage",
        "Vidéos : lutter contre le gaspillage en restauration collective",
        "video",
        ["waste"],
        ["gestionnaire", "convive"],
        ["enseignement", "loisirs"],
        ["waste.no_action"],
        "Une sélection de vidéos pour sensibiliser les équipes et les convives au gaspillage alimentaire, à "
        "projeter en réunion d'équipe ou en classe.",
        [
            (
                "Conseil",
                "<p>Projetez une vidéo courte avant une semaine de pesée, puis partagez les résultats avec les "
                "convives.</p>",
            )
        ],
        [
            (
                "link",
                "Rechercher « gaspillage alimentaire cantine » sur YouTube",
                "https://www.youtube.com/results?search_query=gaspillage+alimentaire+cantine",
            )
        ],
        reviewed_days_ago=45,
    ),
    resource(
        "rex-ehpad-portions",
        "Cas type : un EHPAD réduit ses restes de 30 % en adaptant les portions",
        "retour-d-experience",
        ["waste"],
        ["gestionnaire"],
        ["social", "sante"],
        ["waste.no_action", "waste.no_diagnostic"],
        "Dans un EHPAD de 80 résidents, l'équipe a mesuré les restes, écouté les résidents et revu les "
        "portions et les textures. Cas type construit à partir de situations fréquentes ; les chiffres sont "
        "indicatifs.",
        [
            (
                "Ce qui a été fait",
                "<p>Deux semaines de pesées, un questionnaire aux résidents, des portions « petit appétit » et "
                "« grand appétit », et des plats en textures modifiées plus appétissants.</p>",
            ),
            (
                "Les résultats",
                "<p>30 % de restes en moins en six mois, et une meilleure prise alimentaire des résidents les plus "
                "fragiles.</p>",
            ),
        ],
        [FICHE],
        related=["diagnostic-gaspillage"],
        reviewed_days_ago=75,
    ),
    # Diversification ------------------------------------------------------------------------------------
    resource(
        "menu-vegetarien-hebdo",
        "Mettre en place le menu végétarien hebdomadaire",
        "fiche-pratique",
        ["diversification"],
        ["gestionnaire", "elu", "societe-de-restauration"],
        ["enseignement"],
        ["diversification.vegetarian_not_weekly"],
        "Ce qu'est un menu végétarien au sens de la loi, comment l'équilibrer, le faire accepter par les "
        "convives et le présenter aux familles.",
        [
            (
                "Définition",
                "<p>Un menu sans viande, poisson, crustacés ni fruits de mer. Il peut comporter des œufs et des "
                "produits laitiers. Les protéines viennent des légumineuses (lentilles, pois chiches, haricots), des "
                "céréales, des œufs et des produits laitiers.</p>",
            ),
            (
                "L'équilibrer",
                "<p>Associez légumineuses et céréales (semoule et pois chiches, riz et lentilles), variez les "
                "recettes sur le cycle de menus et évitez les plats ultra-transformés.</p>",
            ),
            (
                "Le faire accepter",
                "<p>Commencez par des recettes connues (lasagnes aux légumes, chili sin carne), faites goûter, "
                "nommez les plats de façon appétissante et informez les familles.</p>",
            ),
        ],
        [FICHE, ("doc", "recettes-vegetariennes")],
        related=["recettes-vegetariennes", "rex-college-vegetarien"],
        reviewed_days_ago=15,
    ),
    resource(
        "plan-diversification",
        "Construire son plan pluriannuel de diversification des protéines",
        "outil",
        ["diversification"],
        ["gestionnaire", "elu", "societe-de-restauration"],
        PUBLIC_SECTORS + ["entreprise"],
        ["diversification.no_plan"],
        "Obligatoire au-delà de 200 repas par jour : une trame de plan sur trois ans, avec objectifs, actions, "
        "indicateurs et calendrier.",
        [
            (
                "La trame",
                "<ol><li>État des lieux : fréquence actuelle des plats végétariens, grammages, coûts.</li>"
                "<li>Objectifs chiffrés par année.</li><li>Actions : recettes, formation des cuisiniers, achats, "
                "communication.</li><li>Suivi : indicateurs et bilan annuel présenté aux instances.</li></ol>",
            ),
        ],
        [("doc", "plan-diversification")],
        related=["menu-vegetarien-hebdo"],
        reviewed_days_ago=120,
    ),
    resource(
        "option-vegetarienne-etat",
        "Restaurants de l'État : proposer une option végétarienne chaque jour",
        "fiche-pratique",
        ["diversification"],
        ["gestionnaire", "societe-de-restauration"],
        ["administration"],
        ["diversification.no_daily_option"],
        "Les restaurants de l'État qui proposent un choix de menus doivent offrir une option végétarienne "
        "quotidienne : organisation de la ligne de self, recettes et communication.",
        [
            (
                "Organiser l'offre",
                "<p>Un plat végétarien identifié chaque jour sur la ligne, à un prix équivalent, avec une "
                "signalétique claire. Prévoyez des quantités suffisantes jusqu'à la fin du service.</p>",
            ),
            (
                "Suivre la demande",
                "<p>Comptez les plats végétariens servis pour ajuster les quantités et limiter le gaspillage.</p>",
            ),
        ],
        [FICHE],
        reviewed_days_ago=50,
    ),
    resource(
        "recettes-vegetariennes",
        "Vingt recettes végétariennes testées en restauration collective",
        "outil",
        ["diversification"],
        ["gestionnaire", "societe-de-restauration"],
        ["enseignement", "social", "sante", "administration", "entreprise", "loisirs"],
        ["diversification.vegetarian_not_weekly", "diversification.no_daily_option"],
        "Un fichier de vingt recettes végétariennes adaptées aux grands volumes, avec la source de protéines et "
        "un ordre de grandeur du coût matière par portion.",
        [
            (
                "Utilisation",
                "<p>Ouvrez le fichier CSV dans un tableur pour filtrer par source de protéines ou par coût. Les coûts "
                "sont des ordres de grandeur à ajuster selon vos marchés.</p>",
            )
        ],
        [("doc", "recettes-vegetariennes")],
        related=["menu-vegetarien-hebdo"],
        reviewed_days_ago=65,
    ),
    resource(
        "rex-college-vegetarien",
        "Cas type : faire aimer le menu végétarien au collège",
        "retour-d-experience",
        ["diversification", "waste"],
        ["gestionnaire", "convive"],
        ["enseignement"],
        ["diversification.vegetarian_not_weekly", "waste.no_action"],
        "Un collège de 600 élèves a divisé par deux les restes les jours végétariens en associant les élèves au "
        "choix des recettes. Cas type construit à partir de situations fréquentes.",
        [
            (
                "La démarche",
                "<p>Une commission menus avec des délégués, des dégustations à l'aveugle, des noms de plats "
                "attrayants, et un affichage des résultats des pesées.</p>",
            ),
            (
                "Ce qui a marché",
                "<p>Les plats complets et gourmands (gratins, currys doux, galettes) plutôt que les assiettes de "
                "légumes seuls.</p>",
            ),
        ],
        [FICHE],
        related=["menu-vegetarien-hebdo"],
        reviewed_days_ago=110,
    ),
    resource(
        "support-diversification",
        "Diversifier les protéines : support pour une réunion d'équipe",
        "support-de-presentation",
        ["diversification"],
        ["gestionnaire", "charge-de-mission"],
        ["enseignement", "social", "sante", "administration"],
        ["diversification.no_plan", "diversification.vegetarian_not_weekly"],
        "Un support court pour présenter aux équipes de cuisine et de service les obligations, les enjeux "
        "nutritionnels et les premières actions de diversification.",
        [
            (
                "Les obligations",
                "<p>Menu végétarien hebdomadaire en restauration scolaire, plan pluriannuel au-delà "
                "de 200 repas par jour, option quotidienne dans les restaurants de l'État.</p>",
            ),
            (
                "Les enjeux",
                "<p>Santé, climat, budget : diversifier les protéines permet d'acheter des viandes de "
                "meilleure qualité.</p>",
            ),
            (
                "Premières actions",
                "<p>Trois nouvelles recettes testées ce trimestre, une formation sur les "
                "légumineuses, une dégustation avec les convives.</p>",
            ),
        ],
        [FICHE],
        reviewed_days_ago=55,
    ),
    resource(
        "video-menu-vegetarien",
        "Vidéos : cuisiner les légumineuses en grande quantité",
        "video",
        ["diversification"],
        ["gestionnaire", "societe-de-restauration"],
        ["enseignement", "sante", "social"],
        ["diversification.vegetarian_not_weekly"],
        "Des démonstrations en vidéo pour les cuisiniers : trempage, cuisson et recettes de légumineuses "
        "adaptées à la restauration collective.",
        [("Conseil", "<p>Visionnez-les en équipe puis testez une recette lors d'un service à faible effectif.</p>")],
        [
            (
                "link",
                "Rechercher « légumineuses restauration collective » sur YouTube",
                "https://www.youtube.com/results?search_query=l%C3%A9gumineuses+restauration+collective",
            )
        ],
        reviewed_days_ago=35,
    ),
    # Plastiques -----------------------------------------------------------------------------------------
    resource(
        "plastiques-calendrier",
        "Substitution des plastiques : ce qui est interdit, et depuis quand",
        "fiche-pratique",
        ["plastic"],
        ["gestionnaire", "elu", "societe-de-restauration"],
        ["enseignement", "social", "loisirs"],
        ["plastic.containers", "plastic.bottles", "plastic.tableware"],
        "Bouteilles d'eau, vaisselle jetable, barquettes de cuisson et de service : le calendrier des "
        "interdictions et les établissements concernés.",
        [
            (
                "Depuis 2020",
                "<p>Plus de bouteilles d'eau plate en plastique en restauration scolaire ; plus de gobelets, "
                "assiettes, couverts et pailles en plastique à usage unique.</p>",
            ),
            (
                "Depuis 2025",
                "<p>Plus de contenants de cuisson, de réchauffe et de service en plastique dans la restauration "
                "scolaire, universitaire et des tout-petits (2028 pour les communes de moins de 2 000 "
                "habitants).</p>",
            ),
        ],
        [FICHE],
        related=["alternatives-contenants", "inventaire-plastiques"],
        reviewed_days_ago=25,
    ),
    resource(
        "alternatives-contenants",
        "Remplacer les barquettes en plastique : inox, verre, céramique",
        "fiche-pratique",
        ["plastic"],
        ["gestionnaire", "elu", "societe-de-restauration"],
        ["enseignement", "social"],
        ["plastic.containers"],
        "Comparer les alternatives aux contenants en plastique pour la liaison chaude et froide : poids, "
        "durabilité, lavage, coût, et les étapes d'un projet de changement.",
        [
            (
                "Les alternatives",
                "<ul><li><b>Inox</b> : robuste, léger, adapté à la liaison froide et chaude ; investissement initial "
                "élevé mais durée de vie longue.</li><li><b>Verre</b> : inerte, transparent, plus lourd et "
                "fragile.</li><li><b>Céramique / porcelaine</b> : pour le service à l'assiette.</li></ul>",
            ),
            (
                "Mener le projet",
                "<p>Inventaire du matériel, essais avec les équipes, adaptation de la plonge et du transport, plan "
                "de financement, puis déploiement progressif.</p>",
            ),
        ],
        [FICHE, ("doc", "inventaire-plastiques")],
        related=["plastiques-calendrier"],
        reviewed_days_ago=95,
    ),
    resource(
        "carafes-eau",
        "Servir l'eau en carafe : mode d'emploi",
        "fiche-pratique",
        ["plastic"],
        ["gestionnaire"],
        ["enseignement", "loisirs", "social"],
        ["plastic.bottles"],
        "Fontaine, carafes, gobelets réutilisables : organiser le service de l'eau du robinet sans bouteilles "
        "en plastique, en toute sécurité sanitaire.",
        [
            (
                "Bonnes pratiques",
                "<p>Carafes lavées en machine après chaque service, remplies juste avant le repas ; une carafe "
                "pour six convives environ ; une fontaine réfrigérée pour les grands selfs.</p>",
            )
        ],
        [FICHE],
        reviewed_days_ago=160,
    ),
    resource(
        "inventaire-plastiques",
        "Inventaire des contenants et ustensiles en plastique (tableur)",
        "outil",
        ["plastic"],
        ["gestionnaire", "societe-de-restauration"],
        ["enseignement", "social", "sante", "loisirs"],
        ["plastic.containers", "plastic.bottles", "plastic.tableware"],
        "Un tableur pour recenser le matériel en plastique par usage (cuisson, réchauffe, service, transport), "
        "estimer les quantités à remplacer et planifier les achats.",
        [("Contenu", "<p>Un onglet d'inventaire et un onglet de plan de remplacement avec coûts estimés.</p>")],
        [("doc", "inventaire-plastiques")],
        related=["alternatives-contenants"],
        reviewed_days_ago=95,
    ),
    # Information des convives ---------------------------------------------------------------------------
    resource(
        "affichage-convives",
        "Informer les convives : l'affichage obligatoire",
        "fiche-pratique",
        ["information"],
        ["gestionnaire", "elu", "convive"],
        ALL_SECTORS,
        ["information.not_informed"],
        "Ce qu'il faut afficher chaque année, où et comment, et comment obtenir l'affiche de votre cantine "
        "générée par ma cantine à partir de vos données.",
        [
            (
                "Les informations obligatoires",
                "<p>La part de produits durables et de qualité et la part de produits bio dans les repas servis, "
                "sur la dernière année.</p>",
            ),
            (
                "Où afficher",
                "<p>À l'entrée du restaurant ou près de la ligne de service, et en ligne (site de la commune, ENT, "
                "lettre aux familles).</p>",
            ),
            (
                "L'affiche ma cantine",
                "<p>Après votre télédéclaration, téléchargez l'affiche de votre cantine : elle reprend vos taux et "
                "peut être complétée par vos actions.</p>",
            ),
        ],
        [FICHE],
        related=["modele-lettre-familles", "depliant-parents"],
        reviewed_days_ago=12,
    ),
    resource(
        "modele-lettre-familles",
        "Modèle de lettre aux familles sur la qualité des repas",
        "modele-de-mail",
        ["information"],
        ["gestionnaire", "elu", "convive"],
        ["enseignement", "social"],
        ["information.not_informed"],
        "Un modèle de courrier ou de message aux familles présentant la part de produits durables et de qualité "
        "et de bio servis à la cantine, et les projets de l'année.",
        [
            (
                "À personnaliser",
                "<p>Remplacez les éléments entre crochets par vos chiffres et vos actions. Joignez l'affiche de votre "
                "cantine.</p>",
            )
        ],
        [("doc", "lettre-familles")],
        related=["affichage-convives"],
        reviewed_days_ago=70,
    ),
    resource(
        "depliant-parents",
        "Dépliant pour les parents : ce que mange votre enfant à la cantine",
        "plaquette",
        ["information", "quality", "diversification"],
        ["convive", "elu", "gestionnaire"],
        ["enseignement"],
        ["information.not_informed"],
        "Un dépliant à distribuer aux familles : les objectifs de la loi EGAlim, ce qu'est un menu végétarien, "
        "et où trouver les chiffres de la cantine.",
        [
            ("Des repas de qualité", "<p>Au moins 50 % de produits durables et de qualité, dont 20 % de bio.</p>"),
            (
                "Un menu végétarien par semaine",
                "<p>Équilibré, avec des protéines végétales, des œufs ou des produits laitiers.</p>",
            ),
            ("Où trouver les chiffres", "<p>Sur l'affiche de la cantine et sur ma cantine.</p>"),
        ],
        [FICHE],
        related=["affichage-convives"],
        reviewed_days_ago=85,
    ),
    # Transversal ----------------------------------------------------------------------------------------
    resource(
        "texte-loi-egalim",
        "Loi EGAlim du 30 octobre 2018",
        "texte-reglementaire",
        ALL_MEASURES,
        ["gestionnaire", "elu", "charge-de-mission"],
        ALL_SECTORS,
        [
            "quality.egalim_below_threshold",
            "waste.no_diagnostic",
            "diversification.vegetarian_not_weekly",
            "plastic.tableware",
            "information.not_informed",
        ],
        "La loi n° 2018-938 pour l'équilibre des relations commerciales dans le secteur agricole et alimentaire "
        "et une alimentation saine, durable et accessible à tous, dont l'article 24 fixe les objectifs de la "
        "restauration collective.",
        [
            (
                "À retenir",
                "<p>Les dispositions sur la restauration collective figurent aux articles L230-5-1 et suivants du code "
                "rural et de la pêche maritime.</p>",
            )
        ],
        [
            ("link", "Loi n° 2018-938 sur Légifrance", LOI_EGALIM),
            ("link", "Code rural et de la pêche maritime sur Légifrance", CODE_RURAL),
        ],
        reviewed_days_ago=10,
        publication_date="2018-11-01",
    ),
    resource(
        "loi-climat-resilience",
        "Loi Climat et résilience du 22 août 2021",
        "texte-reglementaire",
        ["quality", "diversification"],
        ["gestionnaire", "elu", "charge-de-mission", "societe-de-restauration"],
        ALL_SECTORS,
        ["quality.meat_fish_below_threshold", "diversification.no_daily_option"],
        "La loi n° 2021-1104 étend les objectifs EGAlim à la restauration collective privée, fixe l'objectif "
        "viandes et poissons et pérennise le menu végétarien hebdomadaire.",
        [
            (
                "À retenir",
                "<p>Restauration privée concernée depuis 2024 ; 60 % de viandes et poissons durables et de qualité ; "
                "option végétarienne quotidienne dans les restaurants de l'État.</p>",
            )
        ],
        [("link", "Loi n° 2021-1104 sur Légifrance", LOI_CLIMAT)],
        reviewed_days_ago=10,
        publication_date="2021-08-24",
    ),
    resource(
        "teledeclaration-pas-a-pas",
        "Télédéclarer ses achats et ses actions : pas à pas",
        "fiche-pratique",
        ["quality", "waste", "diversification", "plastic", "information"],
        ["gestionnaire", "societe-de-restauration"],
        ALL_SECTORS,
        [],
        "La campagne de télédéclaration, étape par étape : quand, quelles données préparer, cas des cuisines "
        "centrales et des sociétés de restauration.",
        [
            (
                "Quand ?",
                "<p>Les données d'une année se déclarent au début de l'année suivante. Pour les données 2025 : du "
                "12 janvier au 15 avril 2026, puis corrections du 16 au 29 avril 2026.</p>",
            ),
            (
                "Quelles données ?",
                "<p>Le total des achats alimentaires HT, les achats bio et les autres achats durables et de "
                "qualité (au minimum), le nombre de repas, et vos actions sur les quatre autres mesures.</p>",
            ),
            (
                "Cuisines centrales",
                "<p>Une cuisine centrale peut déclarer les achats pour ses restaurants satellites : vérifiez que "
                "chaque satellite est bien rattaché.</p>",
            ),
        ],
        [FICHE, ("link", "Se connecter à ma cantine", MA_CANTINE)],
        related=["calculer-ses-taux-egalim"],
        reviewed_days_ago=5,
    ),
    resource(
        "plaquette-ma-cantine",
        "Plaquette ma cantine : le service en bref",
        "plaquette",
        ALL_MEASURES,
        ["elu", "charge-de-mission", "ambassadeur", "gestionnaire"],
        ALL_SECTORS,
        [],
        "Deux pages pour présenter ma cantine à une commune, un établissement ou un réseau : les cinq mesures, "
        "ce que propose le service et comment démarrer.",
        [
            (
                "Utilisation",
                "<p>À joindre au modèle de mail « cantine non inscrite » ou à distribuer lors d'une réunion.</p>",
            )
        ],
        [("doc", "plaquette")],
        related=["support-presentation-ma-cantine", "modele-mail-cantine-non-inscrite"],
        reviewed_days_ago=8,
    ),
    resource(
        "support-presentation-ma-cantine",
        "Présenter ma cantine en atelier : le support de présentation",
        "support-de-presentation",
        ALL_MEASURES,
        ["charge-de-mission", "ambassadeur"],
        ALL_SECTORS,
        [],
        "Huit diapositives pour présenter la loi EGAlim et ma cantine lors d'un atelier, d'un comité de PAT ou "
        "d'une réunion de réseau, avec les chiffres clés et le calendrier de télédéclaration.",
        [
            (
                "Déroulé conseillé",
                "<p>20 minutes de présentation, puis une démonstration de l'inscription et de l'autodiagnostic, et un "
                "temps de questions.</p>",
            )
        ],
        [("doc", "support")],
        related=["plaquette-ma-cantine"],
        reviewed_days_ago=8,
    ),
    resource(
        "donnees-ouvertes-ma-cantine",
        "Les données ouvertes de ma cantine : registre et résultats des campagnes",
        "outil",
        ["quality", "information"],
        ["charge-de-mission", "ambassadeur", "elu"],
        ALL_SECTORS,
        [],
        "Où trouver les jeux de données publiés par ma cantine, ce que contient chaque colonne et comment les "
        "filtrer pour votre territoire. Avec un extrait d'exemple.",
        [
            (
                "Les jeux de données",
                "<p>Le registre des cantines et les résultats des campagnes de télédéclaration sont publiés en CSV "
                "(UTF-8, séparateur virgule) et en XLSX, avec un schéma (Table Schema) qui décrit chaque colonne.</p>",
            ),
            (
                "Bon à savoir",
                "<p>Les jeux portent des taux, jamais des montants en euros. Les territoires sont identifiés par "
                "leurs codes INSEE (région, département, commune), les établissements par leur SIRET ou SIREN. Les "
                "résultats d'une campagne sont publiés après le rapport annuel du Gouvernement au Parlement.</p>",
            ),
        ],
        [
            ("link", "Rechercher les jeux de données ma cantine sur data.gouv.fr", DATA_GOUV_SEARCH),
            ("doc", "extrait-registre"),
        ],
        related=["modele-mail-cantine-non-inscrite"],
        reviewed_days_ago=18,
    ),
    resource(
        "modele-mail-cantine-inscrite",
        "Modèle de mail : cantine inscrite",
        "modele-de-mail",
        ["quality", "information"],
        ["charge-de-mission", "ambassadeur"],
        ALL_SECTORS,
        [],
        "Le mail à envoyer aux gestionnaires de cantines déjà inscrites pour les accompagner dans la "
        "télédéclaration et l'information des convives.",
        [],
        [],
        extra_body=[mail("cantine-inscrite", "Copiez le texte dans votre messagerie et remplacez les variables.")],
        related=["modele-mail-cantine-non-inscrite", "teledeclaration-pas-a-pas"],
        reviewed_days_ago=8,
    ),
    resource(
        "modele-mail-cantine-non-inscrite",
        "Modèle de mail : cantine non inscrite",
        "modele-de-mail",
        ALL_MEASURES,
        ["charge-de-mission", "ambassadeur", "elu"],
        ALL_SECTORS,
        [],
        "Le mail à envoyer à une commune ou à un établissement dont la cantine n'est pas encore inscrite sur ma "
        "cantine, à accompagner de la plaquette.",
        [],
        [("doc", "plaquette")],
        extra_body=[mail("cantine-non-inscrite", "Joignez la plaquette ma cantine à votre envoi.")],
        related=["modele-mail-cantine-inscrite", "plaquette-ma-cantine"],
        reviewed_days_ago=8,
    ),
    resource(
        "egalim-private-catering-en",
        "EGAlim for company restaurants: a summary in English",
        "fiche-pratique",
        ["quality", "diversification"],
        ["societe-de-restauration"],
        ["entreprise"],
        ["quality.egalim_below_threshold"],
        "Since 2024 the EGAlim purchase targets also apply to private company restaurants. A short English "
        "summary for international catering groups and their head offices.",
        [
            (
                "The targets",
                "<p>At least 50 % sustainable and quality products, of which 20 % organic, over the calendar year, "
                "and 60 % for meat and fish. A vegetarian menu is recommended weekly.</p>",
            ),
            (
                "Declaring",
                "<p>Purchases are declared every year on ma cantine, at the beginning of the following year.</p>",
            ),
        ],
        [FICHE],
        language="en",
        reviewed_days_ago=30,
    ),
]

RESOURCES.append(
    resource(
        "guide-elu-egalim",
        "La loi EGAlim dans ma commune : le guide de l'élu·e",
        "guide",
        ALL_MEASURES,
        ["elu"],
        ["enseignement", "social", "loisirs", "administration"],
        [
            "quality.egalim_below_threshold",
            "waste.no_diagnostic",
            "diversification.vegetarian_not_weekly",
            "plastic.containers",
            "information.not_informed",
        ],
        "Un guide en PDF pour les maires et adjoint·es chargé·es de la restauration scolaire : les obligations, "
        "les questions à poser à vos équipes ou à votre prestataire, et les leviers budgétaires.",
        [
            (
                "Vos responsabilités",
                "<p>La commune (ou l'intercommunalité) qui organise la restauration scolaire est responsable du "
                "respect des objectifs EGAlim, même quand le service est confié à une société de restauration.</p>",
            ),
            (
                "Cinq questions à poser",
                "<ol><li>Quelle est notre part de produits durables et de qualité et de bio l'an dernier ?</li>"
                "<li>Avons-nous mesuré notre gaspillage ?</li><li>Servons-nous un menu végétarien chaque semaine ?"
                "</li><li>Reste-t-il des contenants en plastique ?</li><li>Comment informons-nous les familles ?</li>"
                "</ol>",
            ),
            (
                "Les leviers",
                "<p>Le marché public (allotissement, labels exigés), la réduction du gaspillage qui finance la "
                "qualité, la formation des équipes, et les aides des projets alimentaires territoriaux.</p>",
            ),
        ],
        [FICHE],
        related=["marches-publics-egalim", "plaquette-ma-cantine"],
        reviewed_days_ago=45,
    )
)

# --- guides ----------------------------------------------------------------------------------------------

GUIDES = [
    {
        "slug": "guide-charges-de-mission",
        "title": "Guide de ressources pour les chargé·es de mission",
        "introduction": (
            "DRAAF, projets alimentaires territoriaux, réseaux et fédérations : ce guide rassemble les ressources "
            "pour suivre les cantines de votre territoire avec les données ouvertes, repérer celles qui ne sont "
            "pas encore inscrites et embarquer les communes sur ma cantine."
        ),
        "measures": ALL_MEASURES,
        "audiences": ["charge-de-mission", "ambassadeur"],
        "sectors": ALL_SECTORS,
        "reviewed_days_ago": 6,
        "body": [
            h("À qui s'adresse ce guide ?"),
            p(
                "<p>Aux chargé·es de mission des DRAAF et des projets alimentaires territoriaux (PAT), aux "
                "animateurs et animatrices de réseaux (restauration collective, collectivités, agriculture "
                "biologique) et aux ambassadeurs de ma cantine. Vous y trouverez une méthode en quatre temps et "
                "les outils prêts à l'emploi : plaquette, support de présentation, modèles de mail et kit.</p>"
            ),
            h("1. Trouver et filtrer les données ouvertes"),
            p(
                "<p>ma cantine publie deux familles de jeux de données, en CSV (UTF-8, séparateur virgule) et en "
                "XLSX, chacun décrit par un schéma (Table Schema) qui donne le nom, le type et la définition de "
                "chaque colonne :</p>"
                "<ul><li>le <b>registre des cantines</b> : les restaurants inscrits, leur SIRET ou SIREN, leur "
                "commune, leur mode de gestion et de production, leurs secteurs ;</li>"
                "<li>les <b>résultats des campagnes de télédéclaration</b> : pour chaque cantine déclarante, les "
                "taux de produits durables et de qualité et de produits bio, et les réponses sur les autres "
                "mesures.</li></ul>"
            ),
            callout(
                "Des taux, pas des montants",
                "<p>Les jeux de données publient des <b>taux</b>, jamais les montants d'achats en euros. Les "
                "résultats d'une campagne ne sont publiés qu'après la remise du rapport annuel du Gouvernement au "
                "Parlement : en attendant, les chiffres de votre territoire restent confidentiels.</p>",
            ),
            h("Filtrer pour votre territoire", "h3"),
            p(
                "<ol><li>Ouvrez le fichier XLSX (ou importez le CSV en précisant l'encodage UTF-8 et la "
                "virgule comme séparateur).</li>"
                "<li>Filtrez la colonne du <b>code INSEE du département</b> (par exemple 19 pour la Corrèze, 974 "
                "pour La Réunion) ou de la <b>région</b> ; pour un PAT, filtrez sur la liste des <b>codes INSEE "
                "des communes</b> de son périmètre.</li>"
                "<li>Filtrez ensuite par secteur (écoles, collèges, EHPAD...) ou par mode de gestion (directe ou "
                "concédée) selon votre action.</li>"
                "<li>Pour suivre les progrès, comparez les taux d'une campagne à l'autre en rapprochant les "
                "lignes par SIRET.</li></ol>"
            ),
            doc("extrait-registre", "Extrait d'exemple du registre (CSV, données fictives)"),
            h("2. Repérer les cantines non inscrites"),
            p(
                "<p>Croisez le registre avec votre propre liste d'établissements (communes de votre territoire, "
                "collèges du département, EHPAD...). Le plus fiable est de rapprocher les lignes par "
                "<b>SIRET</b> ; à défaut, par code INSEE de la commune puis par nom.</p>"
                "<p>Attention aux faux négatifs : une cantine satellite peut être déclarée par sa cuisine "
                "centrale, et certains sites sans SIRET propre sont inscrits avec le SIREN de leur commune. "
                "Vérifiez avant de relancer.</p>"
            ),
            h("3. Embarquer les communes sur la plateforme"),
            p(
                "<p>Un premier contact écrit, suivi d'un appel, fonctionne bien. Adressez-vous à l'élu·e en "
                "charge de la restauration scolaire et, si vous le connaissez, au gestionnaire de la cantine. "
                "Joignez la plaquette et proposez un rendez-vous court.</p>"
            ),
            mail("cantine-non-inscrite", "Pour une commune dont la cantine n'est pas encore inscrite :"),
            mail("cantine-inscrite", "Pour accompagner une cantine déjà inscrite dans sa télédéclaration :"),
            callout(
                "Astuce",
                "<p>Les communes connaissent rarement le SIRET de leur cantine. Il figure sur les factures de la "
                "restauration ou sur l'annuaire des entreprises ; à défaut, la cantine peut être inscrite avec "
                "le SIREN de la commune.</p>",
                "tip",
            ),
            h("4. Animer un atelier"),
            p(
                "<p>Le support de présentation (huit diapositives) et la plaquette sont conçus pour un atelier "
                "d'une heure : 20 minutes de présentation, une démonstration de l'inscription et de "
                "l'autodiagnostic, puis des questions. Faites venir les participant·es avec le SIRET de leur "
                "cantine et leurs factures de l'année : ils repartent inscrits.</p>"
            ),
            doc("support", "Support de présentation ma cantine (PDF)"),
            doc("plaquette", "Plaquette ma cantine (PDF)"),
            faq_block(
                "Questions fréquentes",
                [
                    (
                        "Puis-je modifier les modèles de mail ?",
                        "<p>Oui, ce sont des points de départ : adaptez le ton et ajoutez vos coordonnées. Gardez "
                        "les variables entre doubles accolades pour les remplacer facilement.</p>",
                    ),
                    (
                        "Les données ouvertes contiennent-elles des données personnelles ?",
                        "<p>Non : elles décrivent des établissements (SIRET, commune, taux), sans nom ni "
                        "coordonnées de personnes.</p>",
                    ),
                    (
                        "À quelle fréquence les données sont-elles mises à jour ?",
                        "<p>Le registre évolue en continu ; les résultats sont publiés une fois par an, après la "
                        "campagne de télédéclaration et le rapport au Parlement.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "atteindre-50-pourcent",
        "title": "Atteindre 50 % de produits durables et de qualité",
        "introduction": (
            "Un guide pas à pas pour les gestionnaires : faire le point sur ses achats, fixer une trajectoire, "
            "agir sur les marchés et sur les menus, et suivre ses taux tout au long de l'année."
        ),
        "measures": ["quality"],
        "audiences": ["gestionnaire", "societe-de-restauration", "elu"],
        "sectors": PUBLIC_SECTORS + ["entreprise"],
        "reviewed_days_ago": 30,
        "body": [
            h("Faire le point"),
            p(
                "<p>Calculez vos taux de l'année écoulée à partir de vos factures : part de produits durables et "
                "de qualité, part de bio, part de viandes et poissons durables. Repérez les familles de produits "
                "où vous êtes le plus loin de l'objectif.</p>"
            ),
            doc("tableur-achats", "Tableur de suivi des achats"),
            h("Fixer une trajectoire"),
            p(
                "<p>Passer de 20 % à 50 % en une année est rarement réaliste. Fixez des paliers (par exemple "
                "30 %, puis 40 %, puis 50 %) et commencez par les familles où l'offre labellisée est abondante : "
                "produits laitiers, pain, fruits et légumes de saison, volaille Label Rouge.</p>"
            ),
            h("Agir sur les marchés"),
            p(
                "<p>À chaque renouvellement, allotissez plus finement et exigez des labels dans les "
                "spécifications techniques. Entre deux marchés, demandez à vos fournisseurs de vous proposer des "
                "équivalents labellisés.</p>"
            ),
            callout(
                "Ce qui ne compte pas",
                "<p>Le local et l'origine France sont appréciés des convives mais ne comptent pas dans les 50 % "
                "s'ils ne portent pas un label ou une mention reconnus.</p>",
                "warning",
            ),
            h("Financer la qualité"),
            p(
                "<p>La réduction du gaspillage et la diversification des protéines dégagent des marges : chaque "
                "euro économisé sur les restes ou sur les grammages de viande peut être réinvesti dans des "
                "produits de qualité.</p>"
            ),
            h("Suivre toute l'année"),
            p(
                "<p>Saisissez vos achats au fil de l'eau dans ma cantine ou dans le tableur : vous éviterez la "
                "course aux factures au moment de la télédéclaration.</p>"
            ),
            faq_block(
                "",
                [
                    (
                        "Et si mon prestataire ne me donne pas le détail par label ?",
                        "<p>Demandez-le : c'est nécessaire pour la télédéclaration et c'est à prévoir dans le "
                        "contrat. À défaut, déclarez les totaux par catégorie.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "reduire-le-gaspillage",
        "title": "Réduire le gaspillage alimentaire pas à pas",
        "introduction": (
            "Du diagnostic à la convention de dons : un guide pour mettre en place une démarche durable de lutte "
            "contre le gaspillage, avec les équipes et les convives."
        ),
        "measures": ["waste"],
        "audiences": ["gestionnaire", "societe-de-restauration", "elu"],
        "sectors": ALL_SECTORS,
        "reviewed_days_ago": 400,
        "body": [
            h("Mesurer"),
            p(
                "<p>Une semaine de pesées, en distinguant restes de préparation, excédents et restes d'assiette. "
                "Rapportez le total au nombre de repas pour obtenir un gaspillage par convive.</p>"
            ),
            doc("grille-pesee", "Grille de pesée (XLSX)"),
            h("Comprendre"),
            p(
                "<p>Identifiez les plats les plus jetés et les moments où le gaspillage se produit. Interrogez "
                "les équipes de service et les convives : les causes sont souvent simples (pain servi trop tôt, "
                "portions uniformes, temps de repas trop court).</p>"
            ),
            h("Agir"),
            p(
                "<p>Choisissez trois à cinq actions, nommez une personne responsable pour chacune et fixez une "
                "date de nouvelle pesée.</p>"
            ),
            h("Donner", "h3"),
            p(
                "<p>Au-delà de 3 000 repas préparés par jour, proposez une convention de dons à une association "
                "d'aide alimentaire. En dessous, c'est aussi une bonne pratique pour les excédents non "
                "servis.</p>"
            ),
            doc("convention-dons", "Modèle de convention de dons (ODT)"),
            h("Valoriser"),
            p(
                "<p>Affichez les résultats des pesées, félicitez les équipes, et racontez la démarche aux "
                "familles : la réduction du gaspillage est un argument fort pour financer des produits de "
                "meilleure qualité.</p>"
            ),
        ],
    },
    {
        "slug": "guide-elu-restauration-scolaire",
        "title": "Élu·es : piloter la restauration scolaire avec la loi EGAlim",
        "introduction": (
            "Ce que la loi demande à la commune, les questions à poser à votre prestataire ou à vos équipes, et "
            "comment informer les familles."
        ),
        "measures": ALL_MEASURES,
        "audiences": ["elu"],
        "sectors": ["enseignement"],
        "reviewed_days_ago": 60,
        "body": [
            h("La commune reste responsable"),
            p(
                "<p>En gestion directe comme en gestion concédée, la collectivité qui organise la restauration "
                "scolaire est responsable du respect des objectifs. Le contrat de concession ou le marché doit "
                "prévoir la transmission des données d'achats par label.</p>"
            ),
            h("Inscrire la cantine sur ma cantine"),
            p(
                "<p>L'inscription se fait avec le SIRET de l'établissement ou, à défaut, le SIREN de la commune. "
                "Si une cuisine centrale livre plusieurs écoles, elle peut déclarer pour ses satellites.</p>"
            ),
            h("Informer les familles"),
            p(
                "<p>Une fois par an au moins, affichez la part de produits durables et de qualité et de bio et "
                "publiez-la sur le site de la commune. L'affiche générée par ma cantine vous fait gagner du "
                "temps.</p>"
            ),
            mail("cantine-inscrite", "Exemple de message de suivi envoyé par un·e chargé·e de mission :"),
        ],
    },
]

# --- kit -------------------------------------------------------------------------------------------------

KIT = {
    "slug": "kit-ambassadeur",
    "title": "Kit ambassadeur : embarquer les communes",
    "introduction": (
        "Tout ce qu'il faut pour présenter ma cantine aux communes de votre territoire et les accompagner "
        "jusqu'à leur première télédéclaration : la plaquette, le support de présentation, les modèles de mail "
        "et le guide des données ouvertes."
    ),
    "audience": "ambassadeur",
    "items": [
        ("resource", "plaquette-ma-cantine"),
        ("resource", "support-presentation-ma-cantine"),
        ("mail", "cantine-non-inscrite"),
        ("mail", "cantine-inscrite"),
        ("resource", "donnees-ouvertes-ma-cantine"),
        ("resource", "teledeclaration-pas-a-pas"),
    ],
}
