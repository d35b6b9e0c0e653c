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
from .demo_documents import (
    diversification_docx,
    donation_odt,
    families_docx,
    market_docx,
    plastics_xlsx,
    purchases_xlsx,
    recipes_csv,
    registry_csv,
    waste_plan_odt,
    weighing_xlsx,
)
from .demo_files import make_pdf
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
