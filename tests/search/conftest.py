"""Fixtures of the search tests: a small French corpus, published through Wagtail (so indexed by the signals)."""

import pytest
from django.core.cache import cache
from django.db import connection

from resources.models import Measure, ResourceType
from search.health import breaker
from tests.factories import (
    GuideIndexPageFactory,
    GuidePageFactory,
    MeasureIndexPageFactory,
    MeasurePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    taxonomy_term,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full text (run with DATABASE_URL=postgres://...)"
)


@pytest.fixture(autouse=True)
def clean_search_state(request, settings):
    """Cached synonyms and query plans, and the Elasticsearch breaker, must not leak between tests.

    Tests run on the database backend, even when ELASTICSEARCH_URL is set in the environment, except the
    ones marked `elasticsearch` (live cluster) which keep it.
    """
    if not request.node.get_closest_marker("elasticsearch"):
        settings.ELASTICSEARCH_URL = None
    cache.clear()
    breaker.reset()
    yield
    cache.clear()
    breaker.reset()


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def resource_index(home_page):
    return ResourceIndexPageFactory(parent=home_page)


@pytest.fixture
def corpus(home_page, resource_index):
    """{name: page} — resources, a guide and a measure page, all published."""
    return build_corpus(home_page, resource_index)


def build_corpus(home_page, resource_index):
    guides = GuideIndexPageFactory(parent=home_page)
    measures = MeasureIndexPageFactory(parent=home_page)
    pages = {
        "pain": ResourcePageFactory(
            parent=resource_index,
            title="Réduire le gaspillage du pain à la cantine",
            summary="Des astuces concrètes pour limiter les restes de pain au restaurant scolaire.",
            measures=["waste"],
            audiences=["gestionnaire"],
            resource_type=taxonomy_term(ResourceType, "fiche-pratique"),
        ),
        "vege": ResourcePageFactory(
            parent=resource_index,
            title="Menus végétariens : vingt recettes pour la restauration scolaire",
            summary="Des recettes végétariennes équilibrées, testées par des cuisiniers de collèges.",
            measures=["diversification"],
            audiences=["gestionnaire"],
        ),
        "labels": ResourcePageFactory(
            parent=resource_index,
            title="Comprendre les labels des produits durables",
            summary="Agriculture biologique, Label rouge, haute valeur environnementale : ce qui compte dans les 50 %.",
            measures=["quality"],
            audiences=["elu"],
        ),
        "pat": ResourcePageFactory(
            parent=resource_index,
            title="Travailler avec son projet alimentaire territorial",
            summary="Comment le territoire aide les cantines à acheter local et durable.",
            measures=["quality"],
            audiences=["charge-de-mission"],
        ),
        "script": ResourcePageFactory(
            parent=resource_index,
            title='<script>alert("x")</script> Plastiques & contenants',
            summary="Remplacer les contenants en plastique pour cuire, réchauffer et servir.",
            measures=["plastic"],
        ),
        "outremer": GuidePageFactory(
            parent=guides,
            title="Guide des achats durables en outre-mer",
            introduction="Les seuils de la loi EGAlim en Guadeloupe, Martinique, Guyane, à La Réunion et à Mayotte.",
            measures=["quality"],
        ),
        "measure": MeasurePageFactory(
            parent=measures,
            title="Lutte contre le gaspillage alimentaire et dons",
            slug="waste",
            measure=Measure.objects.get(code="waste", locale__language_code="fr"),
            summary="Diagnostic du gaspillage, plan d'actions et convention de dons.",
        ),
    }
    for page in pages.values():
        publish(page)
    return pages
