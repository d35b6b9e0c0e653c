"""Fixtures of the API tests: no rate limit unless a test sets one, and a small published site with the
content that must never be served (a draft, a private page, an unpublished change, a private document).

The site is built once per test module (`module_transaction` in tests/conftest.py, like Django's
`TestCase.setUpTestData`): each test runs in a savepoint of the module's transaction, so what it writes is rolled
back, and gets a deep copy of the site's objects, so what it changes in memory is not seen by the next test.
"""

import copy
import json

import pytest
from django.core.cache import cache
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail_localize.synctree import synchronize_tree

from tests.conftest import make_home_page, make_locales
from tests.factories import (
    CanteenFactory,
    DocumentFactory,
    GuideIndexPageFactory,
    GuidePageFactory,
    KitPageFactory,
    MailTemplateFactory,
    MeasureIndexPageFactory,
    MeasurePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    UserFactory,
    YearlyDiagnosticFactory,
    taxonomy_term,
)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    cache.clear()
    settings.API_READ_RATE_LIMIT = None
    settings.API_WRITE_RATE_LIMIT = None
    settings.EGALIM_API_RATE_LIMIT = None
    yield
    cache.clear()


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def post_json(client, url, data, status, **extra):
    response = client.post(url, json.dumps(data), content_type="application/json", **extra)
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


@pytest.fixture(scope="module")
def shared_site(module_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        return build_site()


@pytest.fixture
def site(shared_site, db):
    """A published site; `site["hidden"]` holds what must never be served (built once per module)."""
    return copy.deepcopy(shared_site)


def build_site():
    from resources.models import Measure

    locales = make_locales()
    home_page = make_home_page(locales)

    pdf = DocumentFactory(title="Guide PDF", file__filename="guide.pdf")
    private_collection = Collection.get_first_root_node().add_child(name="Privé")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    secret_document = DocumentFactory(title="Document secret", collection=private_collection)

    measure_index = MeasureIndexPageFactory(parent=home_page)
    quality = MeasurePageFactory(parent=measure_index)
    guide_index = GuideIndexPageFactory(parent=home_page)
    guide = GuidePageFactory(
        parent=guide_index,
        title="Guide du gaspillage",
        measures=["waste"],
        audiences=["gestionnaire"],
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": "Peser les restes", "level": "h2"}},
                {"type": "paragraph", "value": f'<p>Voir <a linktype="page" id="{quality.pk}">la mesure</a>.</p>'},
                {"type": "document_link", "value": {"document": pdf.pk, "title": "Le guide"}},
                {"type": "document_link", "value": {"document": secret_document.pk, "title": "Secret"}},
            ]
        ),
    )
    resource_index = ResourceIndexPageFactory(parent=home_page)
    waste = ResourcePageFactory(
        parent=resource_index,
        title="Réduire le gaspillage",
        summary="Peser les restes et agir.",
        measures=["waste"],
        audiences=["gestionnaire"],
        sectors=["enseignement"],
        files=[{"document": pdf}, {"url": "https://www.youtube.com/watch?v=x"}],
    )
    waste.gaps.set(["waste.no_action"])
    waste.save_revision().publish()
    bio = ResourcePageFactory(parent=resource_index, title="Acheter bio", measures=["quality"], audiences=["elu"])
    waste.related_resources.set([bio])
    waste.save_revision().publish()

    # never served: a draft, a private page, a page under a private page, an unpublished change
    draft = ResourcePageFactory(parent=resource_index, title="Brouillon secret", measures=["waste"], live=False)
    private = ResourcePageFactory(parent=resource_index, title="Ressource privée", measures=["waste"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    private_guide_index = GuideIndexPageFactory(parent=home_page, title="Espace privé", slug="prive")
    PageViewRestriction.objects.create(page=private_guide_index, restriction_type=PageViewRestriction.LOGIN)
    under_private = GuidePageFactory(parent=private_guide_index, title="Guide sous une page privée")
    bio.title = "Titre pas encore publié"
    bio.save_revision()  # a draft revision of a live page

    template = MailTemplateFactory(name="Cantine non inscrite", code="cantine-non-inscrite")
    template.measures.set([taxonomy_term(Measure, "quality")])
    template.save()
    kit = KitPageFactory(
        parent=resource_index, items=[{"resource": waste}, {"document": pdf}, {"mail_template": template}]
    )

    # English: the resource index and the waste resource are translated; the rest are aliases
    resource_index_en = resource_index.copy_for_translation(locales["en"])
    resource_index_en.title, resource_index_en.slug = "Resources", "resources"
    resource_index_en.save_revision().publish()
    waste_en = waste.copy_for_translation(locales["en"])
    waste_en.title = "Reducing food waste"
    waste_en.save_revision().publish()
    synchronize_tree(locales["fr"], locales["en"])
    return {
        "pdf": pdf,
        "quality": quality,
        "guide": guide,
        "resource_index": resource_index,
        "waste": waste,
        "bio": bio,
        "waste_en": waste_en,
        "template": template,
        "kit": kit,
        "hidden": {"draft": draft, "private": private, "under_private": under_private},
        "secret_document": secret_document,
    }


@pytest.fixture
def manager(db):
    return UserFactory(email="gestion@example.org")


@pytest.fixture
def canteens(manager):
    """Two published canteens (Rennes, Fort-de-France), one unpublished, one without any diagnostic."""
    rennes = CanteenFactory(name="École des Lilas", managers=[manager], sectors=["school_primary"])
    YearlyDiagnosticFactory(canteen=rennes, year=2024, is_published=True)
    YearlyDiagnosticFactory(canteen=rennes, year=2023, is_published=False)
    martinique = CanteenFactory(
        name="Cuisine centrale du Lamentin",
        city_insee_code="97213",
        city="Le Lamentin",
        sectors=["hospital", "ehpad"],
        management_type="conceded",
        production_type="central",
    )
    YearlyDiagnosticFactory(canteen=martinique, year=2024, is_published=True)
    unpublished = CanteenFactory(name="Cantine non publiée", managers=[manager])
    YearlyDiagnosticFactory(canteen=unpublished, year=2024, is_published=False)
    empty = CanteenFactory(name="Cantine sans diagnostic")
    return {"rennes": rennes, "martinique": martinique, "unpublished": unpublished, "empty": empty}
