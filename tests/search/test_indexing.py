"""Indexing: publish, unpublish, delete, privacy, snippets, translations, the reindex command (any database)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page, PageViewRestriction

from search import service
from search.indexing import extract
from search.models import SearchEntry, SearchWord
from tests.factories import MailTemplateFactory, ResourcePageFactory

from . import module_corpus
from .conftest import publish

pytestmark = pytest.mark.django_db

# The corpus, built once for the module (tests/search/module_corpus.py).
shared_corpus_site, corpus_site = module_corpus.shared_corpus_site, module_corpus.corpus_site
locales, home_page, resource_index, corpus = (
    module_corpus.locales,
    module_corpus.home_page,
    module_corpus.resource_index,
    module_corpus.corpus,
)


def found(query, **kwargs):
    return [hit.page_id for hit in service.search(query, **kwargs).hits]


def test_published_pages_are_indexed(corpus):
    entry = SearchEntry.objects.get(page=corpus["pain"])
    assert entry.locale == "fr" and entry.kind == "resource"
    assert entry.title == "Réduire le gaspillage du pain à la cantine"
    assert entry.tags == " type:fiche-pratique measure:waste audience:gestionnaire "
    assert "Lutte contre le gaspillage alimentaire et dons" in entry.attached  # measure name
    assert "Fiche pratique" in entry.attached
    assert SearchWord.objects.filter(word="gaspillage").exists()
    assert found("gaspillage pain") == [corpus["pain"].pk]


def test_unpublishing_removes_the_page_from_results_immediately(corpus):
    assert found("gaspillage pain") == [corpus["pain"].pk]
    corpus["pain"].unpublish()
    assert corpus["pain"].pk not in found("gaspillage pain")
    assert corpus["pain"].pk not in found("gaspillage")
    assert not SearchEntry.objects.filter(page=corpus["pain"]).exists()
    publish(corpus["pain"])
    assert found("gaspillage pain") == [corpus["pain"].pk]


def test_unpublishing_removes_the_page_from_every_search_at_once(client, corpus):
    """The hub's q, the search page and the header's suggestions, through HTTP."""
    title = corpus["pain"].title
    assert title in client.get("/ressources/", {"q": "gaspillage pain"}).content.decode()
    assert title in [s["title"] for s in client.get("/recherche/suggestions/", {"q": "gasp"}).json()]
    corpus["pain"].unpublish()
    assert title not in client.get("/ressources/", {"q": "gaspillage pain"}).content.decode()
    assert title not in client.get("/recherche/", {"q": "gaspillage pain"}).content.decode()
    assert title not in [s["title"] for s in client.get("/recherche/suggestions/", {"q": "gasp"}).json()]


def test_a_new_revision_is_searchable_once_published_only(corpus):
    page = corpus["pain"]
    page.title = "Réduire les restes de baguette"
    page.save_revision()  # a draft: the live content does not change
    assert found("baguette") == []
    page.get_latest_revision().publish()
    assert found("baguette") == [page.pk]
    assert SearchEntry.objects.get(page=page).title == "Réduire les restes de baguette"


def test_deleted_pages_leave_the_index(corpus):
    page_id = corpus["vege"].pk
    Page.objects.get(pk=page_id).delete()
    assert not SearchEntry.objects.filter(page_id=page_id).exists()
    assert found("végétariens") == []


def test_private_pages_are_not_indexed(corpus, resource_index):
    restriction = PageViewRestriction.objects.create(page=resource_index, restriction_type="login")
    assert found("gaspillage") == [corpus["measure"].pk]  # the resources below the private index are gone
    assert not SearchEntry.objects.filter(page__in=[corpus["pain"], corpus["vege"]]).exists()
    restriction.delete()
    assert found("gaspillage pain") == [corpus["pain"].pk]


def test_snippet_changes_reindex_the_pages_that_use_them(corpus):
    from resources.models import Measure

    waste = Measure.objects.get(code="waste", locale__language_code="fr")
    waste.name = "Anti-gaspi et compostage"
    waste.save()
    assert "compostage" in SearchEntry.objects.get(page=corpus["pain"]).attached
    assert corpus["pain"].pk in found("compostage")


def test_mail_templates_in_the_body_are_attached_text(resource_index):
    template = MailTemplateFactory(name="Invitation à la commission menus", subject="Commission menus de {{ commune }}")
    page = ResourcePageFactory(
        parent=resource_index,
        title="Associer les parents",
        body=[{"type": "mail_template", "value": {"mail_template": template.pk, "introduction": ""}}],
    )
    publish(page)
    entry = SearchEntry.objects.get(page=page)
    assert "Invitation à la commission menus" in entry.attached
    assert found("commission") == [page.pk]


def test_draft_pages_are_not_indexed(resource_index):
    page = ResourcePageFactory.build(title="Brouillon sur le compost", live=False)
    resource_index.add_child(instance=page)
    page.save_revision()
    assert not SearchEntry.objects.filter(page=page).exists()
    assert found("compost") == []


def test_extract_takes_every_text_field(corpus):
    data = extract(corpus["measure"].specific)
    assert data["kind"] == "measure"
    assert data["summary"].startswith("Diagnostic du gaspillage")
    assert "50 % de produits durables" in data["body"]  # requirements (rich text, tags stripped)
    assert "<p>" not in data["body"]
    if connection.vendor == "postgresql":
        assert data["plain"] == ""  # only the SQLite fallback searches the normalised text
    else:
        assert data["plain"].startswith(" lutte contre le gaspillage")


def test_english_aliases_are_indexed_in_english(corpus, locales):
    from wagtail_localize.synctree import synchronize_tree

    synchronize_tree(locales["fr"], locales["en"])
    alias = corpus["pain"].get_translation(locales["en"])
    entry = SearchEntry.objects.get(page=alias)
    assert entry.locale == "en"
    assert [hit.page_id for hit in service.search("gaspillage pain", locale="en").hits] == [alias.pk]
    assert found("gaspillage pain", locale="fr") == [corpus["pain"].pk]


def test_search_reindex_rebuilds_everything_and_reports_counts(corpus):
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    assert found("gaspillage") == []
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    output = out.getvalue()
    assert "fr  resource        5" in output
    assert "fr  guide           1" in output
    assert "fr  measure         1" in output
    assert "[##############################]" in output  # the progress bar, complete
    assert "Elasticsearch non configuré" in output
    assert set(found("gaspillage")) == {corpus["pain"].pk, corpus["measure"].pk}
    assert SearchWord.objects.filter(word="gaspillage").exists()


def test_search_reindex_skips_unpublished_and_private_pages(corpus, resource_index):
    corpus["pain"].unpublish()
    PageViewRestriction.objects.create(page=corpus["labels"], restriction_type="login")
    call_command("search_reindex", stdout=io.StringIO())
    assert not SearchEntry.objects.filter(page__in=[corpus["pain"], corpus["labels"]]).exists()
    assert SearchEntry.objects.filter(page=corpus["vege"]).exists()


def test_indexing_errors_never_break_publishing(resource_index, monkeypatch, caplog):
    from search import indexing

    def broken(page):
        raise RuntimeError("extraction failed")

    monkeypatch.setattr(indexing, "extract", broken)
    page = ResourcePageFactory(parent=resource_index, title="Une ressource")
    publish(page)  # no exception
    assert Page.objects.get(pk=page.pk).live


def test_deferred_indexing_indexes_each_page_once_at_the_end(resource_index, monkeypatch):
    """`load_demo` saves and publishes pages several times: inside `deferred()` the index follows once, at the end,
    with the pages' final state (one published then unpublished leaves no entry)."""
    from search import indexing, tasks

    indexed = []
    original = indexing.index_page
    monkeypatch.setattr(indexing, "index_page", lambda page: indexed.append(page.pk) or original(page))
    with tasks.deferred():
        kept = publish(ResourcePageFactory(parent=resource_index, title="Pain bio et local"))
        publish(kept)
        kept.title = "Pain bio, local et de saison"
        publish(kept)
        gone = publish(ResourcePageFactory(parent=resource_index, title="Fiche retirée"))
        gone.unpublish()
        assert not SearchEntry.objects.filter(page__in=[kept, gone]).exists()  # nothing yet
    assert indexed.count(kept.pk) == 1
    assert SearchEntry.objects.get(page=kept).title == "Pain bio, local et de saison"
    assert not SearchEntry.objects.filter(page=gone).exists()
    assert found("saison") == [kept.pk]


def test_deferred_indexing_still_runs_after_an_error(resource_index):
    """Changes committed before an error are indexed; the block's error is raised as it was."""
    from search import tasks

    with pytest.raises(RuntimeError), tasks.deferred():
        page = publish(ResourcePageFactory(parent=resource_index, title="Légumineuses en purée"))
        raise RuntimeError("stop")
    assert SearchEntry.objects.filter(page=page).exists()
