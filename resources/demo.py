"""Demo content of the resource centre (run by `python manage.py load_demo` after home/demo.py).

Idempotent: pages are looked up by slug under their parent, documents by title in the « Centre de
ressources » collection, mail templates by code; nothing is created twice and existing content is left
as editors changed it. English: taxonomy, mail templates, index pages and the five measure pages.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from egalim.models import Gap
from home.models import HomePage

from . import demo_content as content
from .demo_files import make_csv, make_docx, make_odt, make_pdf, make_xlsx
from .models import (
    Audience,
    GuideIndexPage,
    GuidePage,
    KitItem,
    KitPage,
    MailTemplate,
    Measure,
    MeasureIndexPage,
    MeasurePage,
    ResourceFile,
    ResourceIndexPage,
    ResourcePage,
    ResourceType,
    SectorCategory,
)
from .models.taxonomy import MEASURE_CODES, RESOURCE_TYPES, sync_taxonomy

COLLECTION_NAME = "Centre de ressources"
TYPE_LABELS = dict(RESOURCE_TYPES)


def terms(model, codes, locale):
    return list(model.objects.filter(locale=locale, code__in=codes))


# --- documents -------------------------------------------------------------------------------------------


class DocumentStore:
    """Generated documents, created once (looked up by title) in the « Centre de ressources » collection."""

    def __init__(self, command, collection):
        self.command = command
        self.collection = collection
        self.cache = {}
        self.today = timezone.localdate()
        self.site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/ressources/"

    def get(self, key, resource=None):
        """The document `key` (see spec); key "fiche" is the PDF sheet generated from `resource`."""
        cache_key = f"fiche:{resource['slug']}" if key == "fiche" else key
        if cache_key in self.cache:
            return self.cache[cache_key]
        title, filename, builder = self.spec(key, resource)
        Document = get_document_model()
        document = Document.objects.filter(title=title, collection=self.collection).first()
        if document is None:
            document = Document(title=title, collection=self.collection)
            document.file.save(filename, ContentFile(builder()), save=False)
            document._set_document_file_metadata()
            document.save()
            self.command.log(f"Document « {title} » généré.")
        self.cache[cache_key] = document
        return document

    def pdf_context(self, **extra):
        return {
            "date": self.today.strftime("%d/%m/%Y"),
            "url": self.site_url,
            "contact": "contact@ma-cantine.example",
            **extra,
        }

    def spec(self, key, resource):
        if key == "fiche":
            kind = TYPE_LABELS.get(resource["type"], "Fiche pratique")
            return (
                resource["title"],
                f"{slugify(resource['title'].replace(chr(39), ' '))[:80]}.pdf",
                lambda: make_pdf(
                    "resources/demo/fiche.html",
                    self.pdf_context(
                        title=resource["title"], summary=resource["summary"], sections=resource["sections"], kind=kind
                    ),
                ),
            )
        specs = {
            "plaquette": (
                "Plaquette ma cantine",
                "plaquette-ma-cantine.pdf",
                lambda: make_pdf("resources/demo/brochure.html", self.pdf_context(title="ma cantine")),
            ),
            "support": (
                "Support de présentation ma cantine",
                "support-presentation-ma-cantine.pdf",
                lambda: make_pdf("resources/demo/deck.html", self.pdf_context(title="ma cantine")),
            ),
            "tableur-achats": ("Tableur de suivi des achats EGAlim", "suivi-achats-egalim.xlsx", purchases_xlsx),
            "grille-pesee": ("Grille de pesée des restes", "grille-pesee-gaspillage.xlsx", weighing_xlsx),
            "inventaire-plastiques": (
                "Inventaire des contenants en plastique",
                "inventaire-plastiques.xlsx",
                plastics_xlsx,
            ),
            "recettes-vegetariennes": ("Vingt recettes végétariennes", "recettes-vegetariennes.csv", recipes_csv),
            "extrait-registre": (
                "Extrait d'exemple du registre des cantines",
                "extrait-registre-exemple.csv",
                registry_csv,
            ),
            "clauses-marche": (
                "Clauses types pour un marché de denrées alimentaires",
                "clauses-types-marche.docx",
                market_docx,
            ),
            "plan-diversification": (
                "Trame de plan pluriannuel de diversification des protéines",
                "trame-plan-diversification.docx",
                diversification_docx,
            ),
            "lettre-familles": ("Modèle de lettre aux familles", "lettre-aux-familles.docx", families_docx),
            "convention-dons": ("Modèle de convention de dons alimentaires", "convention-dons.odt", donation_odt),
            "plan-gaspillage": (
                "Trame de plan d'actions contre le gaspillage",
                "plan-actions-gaspillage.odt",
                waste_plan_odt,
            ),
        }
        return specs[key]


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


def resolve(value, docs, mails):
    """Replace "@doc:key" and "@mail:code" references in block values by primary keys."""
    if isinstance(value, dict):
        return {key: resolve(item, docs, mails) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, docs, mails) for item in value]
    if isinstance(value, str) and value.startswith("@doc:"):
        return docs.get(value[5:]).pk
    if isinstance(value, str) and value.startswith("@mail:"):
        return mails[value[6:]].pk
    return value


def child(parent, slug):
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page else None


def publish_new(parent, page, command, published_days_ago=None):
    parent.add_child(instance=page)
    if published_days_ago is not None:
        page.first_published_at = timezone.now() - datetime.timedelta(days=published_days_ago)
    page.save_revision().publish()
    command.log(f"Page « {page.title} » créée.")
    return page


def ensure_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def ensure_mail_templates(command, fr, en):
    templates = {}
    for data in content.MAIL_TEMPLATES:
        template = MailTemplate.objects.filter(code=data["code"], locale=fr).first()
        if template is None:
            template = MailTemplate(
                code=data["code"],
                name=data["name"],
                subject=data["subject"],
                body=data["body"],
                placeholders=data["placeholders"],
                audience=Audience.objects.get(code=data["audience"], locale=fr),
                locale=fr,
            )
            template.full_clean()
            template.measures = terms(Measure, data["measures"], fr)
            template.save()
            template.save_revision()
            command.log(f"Modèle de mail « {template.name} » créé.")
        english = content.MAIL_TEMPLATES_EN.get(data["code"])
        if english and not template.has_translation(en):
            translated = template.copy_for_translation(en)
            for field, value in english.items():
                setattr(translated, field, value)
            translated.full_clean()
            translated.save()
            translated.save_revision()
        templates[data["code"]] = template
    return templates


def ensure_index(command, home, cls, data):
    page = child(home, data["slug"])
    if page is None:
        page = publish_new(home, cls(show_in_menus=True, **data), command)
    return page


def ensure_measure_pages(command, index, fr):
    pages = {}
    for code in MEASURE_CODES:
        data = content.MEASURE_PAGES[code]["fr"]
        page = child(index, code)
        if page is None:
            page = MeasurePage(slug=code, measure=Measure.objects.get(code=code, locale=fr), **data)
            page = publish_new(index, page, command)
        pages[code] = page
    return pages


def ensure_resources(command, index, fr, docs, mails):
    pages = {}
    today = timezone.localdate()
    created = []
    for data in content.RESOURCES:
        page = child(index, data["slug"])
        if page is None:
            body = []
            for heading, html in data["sections"]:
                body += [content.h(heading), content.p(html)]
            body += data.get("extra_body", [])
            reviewed_days_ago = data.get("reviewed_days_ago", 30)
            page = ResourcePage(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                body=resolve(body, docs, mails),
                resource_type=ResourceType.objects.get(code=data["type"], locale=fr),
                language=data.get("language", "fr"),
                last_reviewed=today - datetime.timedelta(days=reviewed_days_ago),
                publication_date=data.get("publication_date"),
            )
            page.measures = terms(Measure, data["measures"], fr)
            page.audiences = terms(Audience, data["audiences"], fr)
            page.sectors = terms(SectorCategory, data["sectors"], fr)
            page.gaps = list(Gap.objects.filter(code__in=data["gaps"]))
            files = []
            for spec in data["files"]:
                if spec[0] == "link":
                    files.append(ResourceFile(title=spec[1], url=spec[2]))
                elif spec[0] == "fiche":
                    files.append(ResourceFile(document=docs.get("fiche", data)))
                else:
                    files.append(ResourceFile(document=docs.get(spec[1])))
            page.files = files
            page = publish_new(index, page, command, published_days_ago=reviewed_days_ago + 20)
            created.append((page, data))
        pages[data["slug"]] = page
    for page, data in created:
        related = [pages[slug] for slug in data.get("related", []) if slug in pages]
        if related:
            page.related_resources = related
            page.save_revision().publish()
    return pages


def ensure_guides(command, index, fr, docs, mails):
    today = timezone.localdate()
    for data in content.GUIDES:
        if child(index, data["slug"]) is not None:
            continue
        page = GuidePage(
            slug=data["slug"],
            title=data["title"],
            introduction=data["introduction"],
            body=resolve(data["body"], docs, mails),
            last_reviewed=today - datetime.timedelta(days=data["reviewed_days_ago"]),
        )
        page.measures = terms(Measure, data["measures"], fr)
        page.audiences = terms(Audience, data["audiences"], fr)
        page.sectors = terms(SectorCategory, data["sectors"], fr)
        publish_new(index, page, command, published_days_ago=data["reviewed_days_ago"] + 10)


def ensure_kit(command, index, fr, resources, mails):
    data = content.KIT
    if child(index, data["slug"]) is not None:
        return
    page = KitPage(
        slug=data["slug"],
        title=data["title"],
        introduction=data["introduction"],
        audience=Audience.objects.get(code=data["audience"], locale=fr),
    )
    items = []
    for kind, key in data["items"]:
        if kind == "resource":
            items.append(KitItem(resource=resources[key]))
        else:
            items.append(KitItem(mail_template=mails[key]))
    page.items = items
    publish_new(index, page, command)


# --- English ---------------------------------------------------------------------------------------------


def ensure_translation(command, page, en, fields):
    """A real (non-alias) English translation of `page`, with the given English field values."""
    existing = page.get_translation_or_none(en)
    if existing is not None and not existing.alias_of_id:
        return existing.specific
    if existing is not None:
        existing.delete()  # an alias created by the tree synchronisation: replaced by a translation
    translated = page.copy_for_translation(en).specific
    for field, value in fields.items():
        setattr(translated, field, value)
    translated.save_revision().publish()
    command.log(f"Traduction anglaise « {translated.title} » créée.")
    return translated


def ensure_english(command, en, measure_index, measure_pages, guide_index, resource_index):
    ensure_translation(command, measure_index, en, content.MEASURE_INDEX["en"])
    for code, page in measure_pages.items():
        ensure_translation(command, page, en, {**content.MEASURE_PAGES[code]["en"], "slug": code})
    ensure_translation(command, resource_index, en, content.RESOURCE_INDEX["en"])
    ensure_translation(command, guide_index, en, content.GUIDE_INDEX["en"])


def load(command):
    fr = Locale.objects.get(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=fr, depth=2).first()
    if home is None:
        command.log("Pas de page d'accueil : contenu du centre de ressources ignoré.")
        return
    home = Page.objects.get(pk=home.pk)
    docs = DocumentStore(command, ensure_collection())
    sync_taxonomy([en])  # English names: the rules' for measures, gettext for the other terms
    mails = ensure_mail_templates(command, fr, en)

    measure_index = ensure_index(command, home, MeasureIndexPage, content.MEASURE_INDEX["fr"])
    measure_pages = ensure_measure_pages(command, measure_index, fr)
    guide_index = ensure_index(command, home, GuideIndexPage, content.GUIDE_INDEX["fr"])
    resource_index = ensure_index(command, home, ResourceIndexPage, content.RESOURCE_INDEX["fr"])
    resources = ensure_resources(command, resource_index, fr, docs, mails)
    ensure_guides(command, guide_index, fr, docs, mails)
    ensure_kit(command, resource_index, fr, resources, mails)
    ensure_english(command, en, measure_index, measure_pages, guide_index, resource_index)
