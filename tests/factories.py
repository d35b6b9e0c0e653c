"""Factories shared by the test suite (factory-boy and wagtail-factories)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import HomePage, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-42")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"
    hero_title = "ma cantine — centre de ressources"
    hero_text = "Des ressources pour appliquer la loi EGAlim."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page standard {n}")
    introduction = "Une page d'information."

    class Meta:
        model = StandardPage


# --- resources (editorial content) ----------------------------------------------------------------------

from wagtail.documents import get_document_model  # noqa: E402
from wagtail.models import Collection, Locale  # noqa: E402

from resources.models import (  # noqa: E402
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


def taxonomy_term(model, code):
    """The source-locale (French) row of a taxonomy model, created by the data migrations."""
    return model.objects.get(code=code, locale__language_code="fr")


def _set_terms(model, field):
    """post_generation hook: `measures=["quality", "waste"]` (codes or instances) sets the relation."""

    def hook(obj, create, extracted, **kwargs):
        if extracted is None:
            return
        terms = [taxonomy_term(model, term) if isinstance(term, str) else term for term in extracted]
        getattr(obj, field).set(terms)
        if create:
            obj.save()

    hook.__name__ = field
    return factory.PostGeneration(hook)


class DocumentFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4 test document")
    collection = factory.LazyFunction(Collection.get_first_root_node)

    class Meta:
        model = get_document_model()


class MeasureIndexPageFactory(wagtail_factories.PageFactory):
    title = "Les mesures EGAlim"
    slug = "mesures-egalim"
    introduction = "Les cinq mesures de la loi EGAlim pour la restauration collective."

    class Meta:
        model = MeasureIndexPage


class MeasurePageFactory(wagtail_factories.PageFactory):
    title = "Qualité et durabilité des produits"
    slug = factory.LazyAttribute(lambda o: o.measure.code)
    measure = factory.LazyFunction(lambda: taxonomy_term(Measure, "quality"))
    summary = "Au moins 50 % de produits durables et de qualité, dont 20 % de produits biologiques."
    requirements = "<p>La loi demande au moins 50 % de produits durables et de qualité.</p>"
    since = "1er janvier 2022"

    class Meta:
        model = MeasurePage


class GuideIndexPageFactory(wagtail_factories.PageFactory):
    title = "Guides"
    slug = "guides"

    class Meta:
        model = GuideIndexPage


class GuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide {n}")
    introduction = "Un guide pas à pas."
    measures = _set_terms(Measure, "measures")
    audiences = _set_terms(Audience, "audiences")
    sectors = _set_terms(SectorCategory, "sectors")

    class Meta:
        model = GuidePage
        skip_postgeneration_save = True


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ressources"
    slug = "ressources"

    class Meta:
        model = ResourceIndexPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ressource {n}")
    summary = "Une ressource utile aux gestionnaires de cantine."
    resource_type = factory.LazyFunction(lambda: taxonomy_term(ResourceType, "fiche-pratique"))
    measures = _set_terms(Measure, "measures")
    audiences = _set_terms(Audience, "audiences")
    sectors = _set_terms(SectorCategory, "sectors")

    class Meta:
        model = ResourcePage
        skip_postgeneration_save = True

    @factory.post_generation
    def files(obj, create, extracted, **kwargs):
        """`files=[{"document": doc}, {"url": "https://..."}]`"""
        for position, data in enumerate(extracted or []):
            ResourceFile.objects.create(page=obj, sort_order=position, **data)


class MailTemplateFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Modèle {n}")
    code = factory.Sequence(lambda n: f"modele-{n}")
    subject = "Votre cantine {{ nom_cantine }} sur ma cantine"
    body = "Bonjour,\n\nLa cantine {{ nom_cantine }} de {{ commune }}...\n\n{{ nom_signataire }}"
    placeholders = "nom_cantine, commune, nom_signataire"
    audience = factory.LazyFunction(lambda: taxonomy_term(Audience, "elu"))
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))

    class Meta:
        model = MailTemplate


class KitPageFactory(wagtail_factories.PageFactory):
    title = "Kit ambassadeur : embarquer les communes"
    slug = "kit-ambassadeur"
    introduction = "Tout pour présenter ma cantine aux communes."
    audience = factory.LazyFunction(lambda: taxonomy_term(Audience, "ambassadeur"))

    class Meta:
        model = KitPage
        skip_postgeneration_save = True

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        """`items=[{"resource": page}, {"document": doc}, {"mail_template": template}]`"""
        for position, data in enumerate(extracted or []):
            KitItem.objects.create(page=obj, sort_order=position, **data)


# --- canteens (accounts and canteens apps) ---------------------------------------------------------------------
import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the digit that makes the whole number pass the Luhn check."""
    from canteens.validators import luhn_valid

    return next(prefix + str(digit) for digit in range(10) if luhn_valid(prefix + str(digit)))


class CanteenFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Cantine {n}")
    siret = factory.Sequence(lambda n: luhn_complete(f"2{n:012d}"))
    city_insee_code = "35238"
    city = "Rennes"
    sectors = factory.LazyFunction(lambda: ["school_primary"])
    management_type = "direct"
    production_type = "on_site"
    economic_model = "public"
    daily_meal_count = 200
    yearly_meal_count = 30000

    class Meta:
        model = "canteens.Canteen"
        skip_postgeneration_save = True

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.managers.add(*extracted)


class YearlyDiagnosticFactory(factory.django.DjangoModelFactory):
    canteen = factory.SubFactory(CanteenFactory)
    year = 2024
    total = Decimal("100000")
    bio = Decimal("25000")
    siqo = Decimal("15000")
    environmental = Decimal("5000")
    other_egalim = Decimal("10000")
    meat_fish_total = Decimal("30000")
    meat_fish_egalim = Decimal("20000")

    class Meta:
        model = "canteens.YearlyDiagnostic"


class CampaignFactory(factory.django.DjangoModelFactory):
    year = 2024
    declaration_start = datetime.date(2025, 1, 12)
    declaration_end = datetime.date(2025, 4, 15)
    correction_start = datetime.date(2025, 4, 16)
    correction_end = datetime.date(2025, 4, 29)

    class Meta:
        model = "canteens.Campaign"


# --- resource hub: many resources at once (query-count tests and bench/hub.py) ---------------------------


def bulk_create_resources(parent, count, *, documents=(), start=0, title="Ressource générée"):
    """Create `count` live ResourcePages under `parent` (a ResourceIndexPage) with a few queries per 500.

    Wagtail's `add_child` costs ~15 queries a page; this writes the tree rows directly (treebeard paths
    after the parent's last child), then the ResourcePage rows, the taxonomy links and the files in bulk.
    Terms and files vary with the index so every filter and facet has matches. `documents` (Wagtail
    documents) are attached in turn; without documents, resources get links and videos only.
    """
    import uuid
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    from egalim.rules import GAPS

    measures = list(Measure.objects.filter(locale__language_code="fr").order_by("sort_order"))
    audiences = list(Audience.objects.filter(locale__language_code="fr").order_by("sort_order", "pk"))
    types = list(ResourceType.objects.filter(locale__language_code="fr").order_by("sort_order", "pk"))
    sectors = list(SectorCategory.objects.filter(locale__language_code="fr").order_by("sort_order", "pk"))
    gaps = list(GAPS)
    documents = list(documents)
    content_type = ContentType.objects.get_for_model(ResourcePage)
    parent = Page.objects.get(pk=parent.pk)
    last_child = parent.get_last_child()
    first_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    now = timezone.now()
    created = []
    with transaction.atomic():
        for batch_start in range(0, count, 500):
            numbers = range(batch_start, min(count, batch_start + 500))
            pages = []
            for n in numbers:
                slug = f"ressource-generee-{start + n}"
                published = now - timedelta(hours=start + n)
                pages.append(
                    Page(
                        title=f"{title} {start + n}",
                        draft_title=f"{title} {start + n}",
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, first_step + n),
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        latest_revision_created_at=published,
                        locale_id=parent.locale_id,
                        translation_key=uuid.uuid4(),
                    )
                )
            pages = Page.objects.bulk_create(pages)
            if any(page.pk is None for page in pages):  # backends without RETURNING
                paths = [page.path for page in pages]
                pages = list(Page.objects.filter(path__in=paths).order_by("path"))
            resources = []
            for n, page in zip(numbers, pages, strict=True):
                resource = ResourcePage(page_ptr_id=page.pk)
                resource.summary = f"Résumé de la ressource générée numéro {start + n} pour la restauration collective."
                resource.resource_type_id = types[n % len(types)].pk
                resource.language = "en" if n % 10 == 9 else "fr"
                resource.last_reviewed = now.date()
                resources.append(resource)
            fields = [f for f in ResourcePage._meta.local_concrete_fields]
            ResourcePage._base_manager._insert(resources, fields=fields, using=ResourcePage._base_manager.db)
            measure_links, audience_links, sector_links, gap_links, files = [], [], [], [], []
            for n, resource in zip(numbers, resources, strict=True):
                pk = resource.pk
                measure_links.append(ResourcePage.measures.through(resourcepage_id=pk, measure_id=measures[n % 5].pk))
                if n % 4 == 0:
                    second = measures[(n + 2) % 5].pk
                    measure_links.append(ResourcePage.measures.through(resourcepage_id=pk, measure_id=second))
                audience_links.append(
                    ResourcePage.audiences.through(resourcepage_id=pk, audience_id=audiences[n % len(audiences)].pk)
                )
                sector_links.append(
                    ResourcePage.sectors.through(resourcepage_id=pk, sectorcategory_id=sectors[n % len(sectors)].pk)
                )
                if n % 3 == 0:
                    gap_links.append(ResourcePage.gaps.through(resourcepage_id=pk, gap_id=gaps[n % len(gaps)]))
                if documents:
                    document = documents[n % len(documents)]
                    extension = document.file_extension.lower()
                    files.append(ResourceFile(page_id=pk, sort_order=0, document_id=document.pk, format=extension))
                if n % 2 == 1 or not documents:
                    url, kind = (
                        ("https://www.youtube.com/watch?v=demo", "video")
                        if n % 6 == 1
                        else ("https://ma-cantine.agriculture.gouv.fr/", "link")
                    )
                    files.append(ResourceFile(page_id=pk, sort_order=1, url=url, format=kind))
            ResourcePage.measures.through.objects.bulk_create(measure_links)
            ResourcePage.audiences.through.objects.bulk_create(audience_links)
            ResourcePage.sectors.through.objects.bulk_create(sector_links)
            ResourcePage.gaps.through.objects.bulk_create(gap_links)
            ResourceFile.objects.bulk_create(files)
            created += [resource.pk for resource in resources]
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    from home.request_cache import purge

    purge()  # bulk writes send no signal: empty the shared cache (hub facets and cards) as a publication does
    return created


# --- territories ----------------------------------------------------------------------------------------------


class TerritoryOfficerFactory(factory.django.DjangoModelFactory):
    """`regions=["53"]`, `departments=["972"]`: INSEE codes (rows of the territories data migration)."""

    user = factory.SubFactory(UserFactory)
    organisation = "DRAAF"

    class Meta:
        model = "territories.TerritoryOfficer"
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.regions.add(*extracted)

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departments.add(*extracted)


class CampaignPublicationFactory(factory.django.DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    published_on = datetime.date(2025, 12, 1)

    class Meta:
        model = "territories.CampaignPublication"


class WidgetFactory(factory.django.DjangoModelFactory):
    owner = factory.SubFactory(UserFactory)
    region_id = "53"
    title = "Les cantines de Bretagne"
    primary_colour = "#000091"
    secondary_colour = "#3558a2"

    class Meta:
        model = "territories.Widget"
