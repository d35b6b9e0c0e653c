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
