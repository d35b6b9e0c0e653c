"""Elasticsearch backend: the generated index (settings, analyzers, mapping) and queries (`to_dict()`), the
alias swap, the parsing of answers, and the fallback to the database when the cluster is down.

No Elasticsearch server runs in CI: the tests marked `elasticsearch` need a live cluster and only run when
ELASTICSEARCH_URL is set in the environment (e.g. ELASTICSEARCH_URL=http://localhost:9200 pytest -m elasticsearch).
"""

import logging
import os
import re
import socket
import uuid
from types import SimpleNamespace

import pytest

from search import service
from search.backends import elastic
from search.health import breaker, search_status
from search.models import SynonymGroup

from . import module_corpus

pytestmark = pytest.mark.django_db

# The corpus, built once for the module (tests/search/module_corpus.py).
shared_corpus_site, corpus_site = module_corpus.shared_corpus_site, module_corpus.corpus_site
locales, home_page, resource_index, corpus = (
    module_corpus.locales,
    module_corpus.home_page,
    module_corpus.resource_index,
    module_corpus.corpus,
)

RULES = ["bio, biologique, ab, agriculture biologique", "hve, haute valeur environnementale"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is: connections are refused


# --- index definition ------------------------------------------------------------------------------------


def test_index_names_are_versioned_behind_an_alias(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "cantine"
    assert elastic.alias_name("fr") == "cantine-resources-fr"
    index = elastic.build_index("fr", rules=RULES)
    assert re.fullmatch(r"cantine-resources-fr-v\d{20}", index._name)
    assert index._name != elastic.build_index("fr", rules=RULES)._name


def test_french_analyzers():
    analysis = elastic.build_index("fr", "x", rules=RULES).to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["cantine_text"] == {
        "type": "custom",
        "tokenizer": "standard",
        "char_filter": ["cantine_percent"],
        "filter": ["french_elision", "lowercase", "french_stop", "asciifolding", "french_stemmer"],
    }
    # no synonym filter: synonyms are expanded at query time (an edit needs no reindexing)
    assert analysis["analyzer"]["cantine_search"]["filter"] == analysis["analyzer"]["cantine_text"]["filter"]
    assert "cantine_synonyms" not in analysis.get("filter", {})
    mappings = analysis["char_filter"]["cantine_percent"]["mappings"]
    assert mappings[0] == "%=>\\u0020pourcent\\u0020"
    # « La Réunion » (capitals) also gets the glued word, like the PostgreSQL index; not « la réunion »
    assert "La Réunion=>La Réunion\\u0020lareunion" in mappings
    assert not any(mapping.startswith("la réunion") for mapping in mappings)
    filters = analysis["filter"]
    assert filters["french_elision"]["type"] == "elision" and "qu" in filters["french_elision"]["articles"]
    assert filters["french_stop"] == {"type": "stop", "stopwords": "_french_", "ignore_case": True}
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}


def test_english_index_uses_english_analysis():
    analysis = elastic.build_index("en", "x", rules=RULES).to_dict()["settings"]["analysis"]
    assert analysis["filter"]["english_stemmer"] == {"type": "stemmer", "language": "light_english"}
    assert "english_stop" in analysis["analyzer"]["cantine_text"]["filter"]


def search_query(body) -> dict:
    """The bool query of a search body, under the kinds' priors (see elastic.with_kind_priors)."""
    return body["query"]["function_score"]["query"]["bool"]


def text_clauses(body) -> list:
    """The group clauses of a search body (see elastic.text_query)."""
    return search_query(body)["must"][0]["bool"]["must"][0]["bool"]["should"]


def test_synonyms_come_from_the_snippet_at_query_time():
    SynonymGroup.objects.all().delete()
    body = elastic.build_search("zéro perte", "fr").to_dict()
    assert "gaspillage" not in str(body)
    group = SynonymGroup.objects.create(terms="zéro perte, gaspillage")
    body = elastic.build_search("zéro perte", "fr").to_dict()
    (clause,) = text_clauses(body)  # one group: the phrase and its synonym
    queries = clause["dis_max"]["queries"]
    assert {"multi_match": {"query": "zero perte", "type": "phrase", "fields": elastic.TEXT_FIELDS}} in queries
    assert any(query["multi_match"]["query"] == "gaspillage" for query in queries)
    group.delete()  # takes effect at once too, without reindexing
    assert "gaspillage" not in str(elastic.build_search("zéro perte", "fr").to_dict())


def test_mapping():
    mapping = elastic.build_index("fr", "x", rules=RULES).to_dict()["mappings"]["properties"]
    for name in ("title", "summary", "body", "attached"):
        assert mapping[name]["type"] == "text"
        assert mapping[name]["analyzer"] == "cantine_text"
        assert mapping[name]["search_analyzer"] == "cantine_search"
    assert mapping["title"]["fields"]["raw"] == {"type": "keyword"}
    assert mapping["suggest"] == {"type": "search_as_you_type", "analyzer": "cantine_folding"}
    for name in ("kind", "locale", "measure", "audience", "sector", "type"):
        assert mapping[name] == {"type": "keyword"}
    assert mapping["published_at"] == {"type": "date"}


def test_document_from_entry(corpus):
    from search.models import SearchEntry

    document = elastic.SearchDocument.from_entry(SearchEntry.objects.get(page=corpus["pain"]))
    data = document.to_dict(include_meta=True)
    assert data["_id"] == corpus["pain"].pk
    source = data["_source"]
    assert source["title"] == source["suggest"] == "Réduire le gaspillage du pain à la cantine"
    assert source["measure"] == ["waste"] and source["type"] == ["fiche-pratique"]
    assert source["audience"] == ["gestionnaire"] and "sector" not in source  # empty lists are omitted
    assert source["kind"] == "resource" and source["locale"] == "fr"


# --- queries ---------------------------------------------------------------------------------------------


def test_search_query():
    body = elastic.build_search("menu végé", "fr", {"kind": ["resource"], "measure": ["quality", "waste"]}).to_dict()
    query = search_query(body)
    assert query["filter"] == [{"terms": {"measure": ["quality", "waste"]}}]
    text = query["must"][0]["bool"]
    groups = text["must"][0]["bool"]
    assert groups["minimum_should_match"] == "2<75%"  # both words (two groups), 75 % from three groups on
    menu, vege = (clause["dis_max"]["queries"] for clause in groups["should"])
    assert menu[0] == {
        "multi_match": {"query": "menu", "fields": elastic.TEXT_FIELDS, "type": "best_fields", "boost": 1}
    }
    fuzzy = next(q["multi_match"] for q in menu if "fuzziness" in q["multi_match"])
    assert fuzzy["fuzziness"] == "AUTO" and fuzzy["analyzer"] == "cantine_text"  # typos without synonyms
    # « végé »: the word being typed (a prefix) and its synonyms from the admin's list
    typing = next(q["multi_match"] for q in vege if q["multi_match"].get("type") == "bool_prefix")
    assert typing["fields"] == ["suggest", "suggest._2gram", "suggest._3gram"]
    words = {q["multi_match"]["query"] for q in vege}
    assert {"vegetarien", "vegetal", "sans viande"} <= words
    assert text["should"][0]["multi_match"]["type"] == "phrase"
    # the type filter is a post_filter, so the type facet counts every type
    assert body["post_filter"] == {"terms": {"kind": ["resource"]}}
    assert body["aggs"]["kind"] == {"terms": {"field": "kind", "size": 20}}
    in_kinds = body["aggs"]["in_kinds"]
    assert in_kinds["filter"] == {"terms": {"kind": ["resource"]}}
    assert in_kinds["aggs"]["measure"] == {"terms": {"field": "measure", "size": 50}}
    highlight = body["highlight"]
    assert highlight["encoder"] == "html" and highlight["pre_tags"] == ["<mark>"]
    assert set(highlight["fields"]) == {"title", "summary", "body", "attached"}
    assert body["track_total_hits"] is True and body["from"] == 0 and body["size"] == 10


def test_general_pages_rank_after_content_pages_as_on_the_database():
    """The kinds' priors of the database backends (KIND_PRIORS) as a function_score factor; none on the hub's ids."""
    body = elastic.build_search("loi egalim", "fr").to_dict()
    prior = body["query"]["function_score"]
    assert prior["functions"] == [{"filter": {"term": {"kind": "page"}}, "weight": 0.8}]
    assert prior["score_mode"] == "multiply" and prior["boost_mode"] == "multiply"
    assert "function_score" not in elastic.build_ids_search("loi egalim", "fr").to_dict()["query"]


def test_relaxed_query_needs_one_group():
    strict = elastic.build_search("plan protéines pluriannuel", "fr").to_dict()
    relaxed = elastic.build_search("plan protéines pluriannuel", "fr", relaxed=True).to_dict()
    assert search_query(strict)["must"][0]["bool"]["must"][0]["bool"]["minimum_should_match"] == "2<75%"
    assert search_query(relaxed)["must"][0]["bool"]["must"][0]["bool"]["minimum_should_match"] == 1
    assert len(text_clauses(strict)) == 3 == len(text_clauses(relaxed))
    ids = elastic.build_ids_search("plan protéines pluriannuel", "fr", relaxed=True).to_dict()
    assert ids["query"]["bool"]["must"][0]["bool"]["minimum_should_match"] == 1


def test_field_vocabulary_in_the_query():
    # « télé-déclarer »: one group, the phrase or the glued word and its synonyms
    (clause,) = text_clauses(elastic.build_search("télé-déclarer", "fr").to_dict())
    words = {q["multi_match"]["query"] for q in clause["dis_max"]["queries"]}
    assert {"teledeclarer", "tele declarer", "teledeclaration", "declarer"} <= words
    # « pourcent », « pour cent » and « % » are one group whose forms include the indexed « pourcent »
    for text in ("60 pourcent", "60 pour cent", "60 %"):
        clauses = text_clauses(elastic.build_search(text, "fr").to_dict())
        assert len(clauses) == 2
        assert "pourcent" in {q["multi_match"]["query"] for q in clauses[1]["dis_max"]["queries"]}
    # question words are dropped: « comment informer les familles ? » has two groups
    assert len(text_clauses(elastic.build_search("comment informer les familles ?", "fr").to_dict())) == 2


def test_la_reunion_and_field_weights_in_the_query():
    # « La Réunion »: the region's glued word and the overseas synonyms, never the bare « réunion » (a meeting)
    (clause,) = text_clauses(elastic.build_search("La Réunion", "fr").to_dict())
    words = {q["multi_match"]["query"] for q in clause["dis_max"]["queries"]}
    assert {"lareunion", "outre mer", "guadeloupe"} <= words and "reunion" not in words
    # « loi egalim » counts as one group (default synonym, migration 0007)
    assert len(text_clauses(elastic.build_search("loi egalim la réunion", "fr").to_dict())) == 2
    # a word in the title or summary weighs more than one in the body only (PostgreSQL's HEAD_SCORE)
    assert elastic.TEXT_FIELDS == ["title^5", "summary^3", "body", "attached"]


def test_search_query_without_type_filter_sorts_and_pages():
    body = elastic.build_search("pain", "fr", sort="date", page=3, per_page=10).to_dict()
    assert "post_filter" not in body and "in_kinds" not in body["aggs"]
    assert set(body["aggs"]) == {"kind", "measure", "audience", "sector", "type"}
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
    assert body["from"] == 20
    assert elastic.build_search("pain", "fr", sort="title").to_dict()["sort"] == ["title.raw"]
    assert elastic.build_search("pain", "fr", facets=False).to_dict().get("aggs") is None


def test_ids_and_suggestion_queries():
    search = elastic.build_ids_search("pain", "fr")
    assert search._index == ["cantine-resources-fr", "cantine-resources-en"]
    assert search._params == {"ignore_unavailable": True}
    ids = search.to_dict()
    assert ids["_source"] is False and ids["size"] == 1000
    suggest = elastic.build_suggest("gasp", "fr").to_dict()
    assert suggest["query"]["multi_match"]["type"] == "bool_prefix"
    assert suggest["size"] == 8


# --- client calls (fake client) --------------------------------------------------------------------------


class FakeIndices:
    def __init__(self, aliases):
        self.aliases = aliases  # {alias: [index, ...]}
        self.calls = []

    def create(self, index, **body):
        self.calls.append(("create", index))

    def get_alias(self, name):
        from elasticsearch import NotFoundError

        if name not in self.aliases:
            raise NotFoundError("missing", SimpleNamespace(status=404), {})
        return {index: {"aliases": {name: {}}} for index in self.aliases[name]}

    def update_aliases(self, actions):
        self.calls.append(("update_aliases", actions))

    def refresh(self, index):
        self.calls.append(("refresh", index))

    def delete(self, index):
        self.calls.append(("delete", index))

    def exists_alias(self, name):
        return name in self.aliases


class FakeClient:
    def __init__(self, aliases=None, response=None):
        self.indices = FakeIndices(aliases or {})
        self.response = response
        self.searches = []

    def search(self, index, body=None, **params):
        self.searches.append((index, body))
        return SimpleNamespace(body=self.response)


def test_rebuild_swaps_the_alias_atomically_then_deletes_old_indexes(corpus, monkeypatch, settings):
    from search.models import SearchEntry

    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    client = FakeClient(aliases={"cantine-resources-fr": ["cantine-resources-fr-v1"]})
    monkeypatch.setattr(elastic, "get_client", lambda: client)
    loaded = []
    monkeypatch.setattr("elasticsearch.helpers.bulk", lambda client, actions, **kwargs: loaded.extend(actions))
    entries = {"fr": list(SearchEntry.objects.filter(locale="fr"))}
    counts = elastic.rebuild(entries)
    assert counts == {"fr": len(entries["fr"]), "en": 0}
    created = [name for call, name in client.indices.calls if call == "create"]
    new_fr = next(name for name in created if name.startswith("cantine-resources-fr-v"))
    swap = next(actions for call, actions in client.indices.calls if call == "update_aliases")
    assert swap == [
        {"remove": {"index": "cantine-resources-fr-v1", "alias": "cantine-resources-fr"}},
        {"add": {"index": new_fr, "alias": "cantine-resources-fr"}},
    ]
    assert ("delete", "cantine-resources-fr-v1") in client.indices.calls
    calls = [call for call, _ in client.indices.calls]
    assert calls.index("refresh") < calls.index("update_aliases") < calls.index("delete")  # swap once loaded
    assert {action["_index"] for action in loaded} == {new_fr}
    assert {action["_id"] for action in loaded} == {entry.page_id for entry in entries["fr"]}


def test_answers_are_parsed_into_hits_and_facets(corpus, monkeypatch, settings):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    page = corpus["pain"]
    response = {
        "took": 3,
        "timed_out": False,
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "max_score": 4.2,
            "hits": [
                {
                    "_index": "cantine-resources-fr-v1",
                    "_id": str(page.pk),
                    "_score": 4.2,
                    "_source": {"page_id": page.pk, "kind": "resource", "title": page.title},
                    "highlight": {
                        "title": ["Réduire le <mark>gaspillage</mark> du pain"],
                        "summary": ["Des astuces &lt;b&gt; pour le <mark>pain</mark>"],
                        "body": ["sans correspondance"],
                    },
                }
            ],
        },
        "aggregations": {
            "kind": {"buckets": [{"key": "resource", "doc_count": 1}, {"key": "measure", "doc_count": 1}]},
            "measure": {"buckets": [{"key": "waste", "doc_count": 1}]},
            "audience": {"buckets": []},
            "sector": {"buckets": []},
            "type": {"buckets": [{"key": "fiche-pratique", "doc_count": 1}]},
        },
    }
    client = FakeClient(response=response)
    monkeypatch.setattr(elastic, "get_client", lambda: client)
    results = service.search("gaspillage")
    assert results.backend == "elasticsearch"
    assert client.searches[0][0] == ["cantine-resources-fr"]
    assert results.total == 1
    hit = results.hits[0]
    assert hit.page_id == page.pk and hit.url == page.url
    assert hit.title_html == "Réduire le <mark>gaspillage</mark> du pain"
    assert hit.excerpt_html == "Des astuces &lt;b&gt; pour le <mark>pain</mark>"  # only matched fragments
    assert results.facets["kind"] == {"resource": 1, "measure": 1}
    assert results.facets["measure"] == {"waste": 1}


def test_hub_filter_with_elasticsearch_keeps_its_ranking_and_asks_once(corpus, monkeypatch, settings):
    from resources.models import ResourcePage

    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    ranked = [(corpus["pat"].pk, 3.0), (corpus["labels"].pk, 7.5), (corpus["outremer"].pk, 5.0)]  # a guide
    hits = [{"_id": str(pk), "_score": score} for pk, score in ranked]
    client = FakeClient(response={"hits": {"total": {"value": 3, "relation": "eq"}, "hits": hits}})
    monkeypatch.setattr(elastic, "get_client", lambda: client)
    pages = service.filter_pages(ResourcePage.objects.live(), "durable")
    assert [page.pk for page in pages.order_by("-search_rank")] == [corpus["labels"].pk, corpus["pat"].pk]
    service.filter_pages(ResourcePage.objects.live(), "durable")  # the facets ask again: cached
    assert len(client.searches) == 1


def test_elasticsearch_hits_of_unpublished_pages_are_dropped(corpus, monkeypatch, settings):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    page = corpus["pain"]
    hit = {"_id": str(page.pk), "_score": 1.0, "_source": {"page_id": page.pk, "kind": "resource", "title": "x"}}
    response = {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [hit]}}
    monkeypatch.setattr(elastic, "get_client", lambda: FakeClient(response=response))
    page.unpublish()  # suppose the cluster missed it
    results = service.search("pain", facets=False)
    assert results.hits == [] and results.total == 0


def test_publishing_and_unpublishing_write_to_elasticsearch(resource_index, monkeypatch, settings):
    from tests.factories import ResourcePageFactory

    from .conftest import publish

    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    saved, deleted = [], []

    class Client(FakeClient):
        def delete(self, index, id, **params):
            deleted.append((index, id))

    client = Client(aliases={"cantine-resources-fr": ["fr-v1"], "cantine-resources-en": ["en-v1"]})
    monkeypatch.setattr(elastic, "get_client", lambda: client)
    monkeypatch.setattr(
        elastic.SearchDocument, "save", lambda self, using=None, index=None, **kwargs: saved.append((index, self))
    )
    page = publish(ResourcePageFactory(parent=resource_index, title="Compost et biodéchets"))
    assert ("cantine-resources-fr", page.pk) in [(index, document.meta.id) for index, document in saved]
    assert saved[-1][1].title == "Compost et biodéchets"
    page.unpublish()
    assert ("cantine-resources-fr", page.pk) in deleted


def test_synonym_changes_need_no_reindexing(monkeypatch, settings, db):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    rebuilt = []
    monkeypatch.setattr(elastic, "rebuild", lambda entries, progress=None: rebuilt.append(entries) or {})
    group = SynonymGroup.objects.create(terms="compost, biodéchets")
    group.delete()
    assert rebuilt == []  # expanded at query time


def test_elasticsearch_relaxes_when_too_few_documents_match(corpus, monkeypatch, settings):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    page = corpus["pain"]
    hit = {"_id": str(page.pk), "_score": 1.0, "_source": {"page_id": page.pk, "kind": "resource", "title": "x"}}
    responses = [
        {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}},
        {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [hit]}},
    ]

    class TwoAnswers(FakeClient):
        def search(self, index, body=None, **params):
            self.searches.append((index, body))
            return SimpleNamespace(body=responses[len(self.searches) - 1])

    client = TwoAnswers()
    monkeypatch.setattr(elastic, "get_client", lambda: client)
    results = service.search("pain croustillant maison", facets=False)
    assert results.page_ids == [page.pk]
    first, second = (search_query(body)["must"][0]["bool"]["must"][0]["bool"] for _index, body in client.searches)
    assert first["minimum_should_match"] == "2<75%" and second["minimum_should_match"] == 1


# --- faults ----------------------------------------------------------------------------------------------


def test_unreachable_cluster_falls_back_to_the_database(corpus, settings, caplog, client):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    with caplog.at_level(logging.WARNING, logger="search.health"):
        results = service.search("gaspillage pain")
        again = service.search("gaspillage pain")
    assert results.backend in ("postgresql", "database")
    assert [hit.page_id for hit in results.hits] == [corpus["pain"].pk] == again.page_ids
    warnings = [record for record in caplog.records if record.name == "search.health"]
    assert len(warnings) == 1  # once a minute, not once a request
    assert breaker.is_open()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "degraded"}


def test_hub_search_answers_from_the_database_when_the_cluster_is_down(corpus, settings):
    from resources.models import ResourcePage

    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    pages = service.filter_pages(ResourcePage.objects.live(), "gaspillage pain")
    assert [page.pk for page in pages] == [corpus["pain"].pk]


def test_hub_page_search_answers_from_the_database_when_the_cluster_is_down(corpus, settings, client):
    """The hub page itself (/ressources/?q=), not only the service, and /healthz says degraded."""
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    response = client.get("/ressources/", {"q": "gaspillage pain"})
    assert response.status_code == 200
    assert response.context["resources"].paginator.count == 1
    assert corpus["pain"].title in response.content.decode()
    assert client.get("/healthz").json()["search"] == "degraded"


def test_search_page_and_suggestions_answer_when_the_cluster_is_down(corpus, settings, client):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    response = client.get("/recherche/", {"q": "gaspillage pain"})
    assert response.status_code == 200
    assert f"/recherche/clic/{corpus['pain'].pk}/" in response.content.decode()
    response = client.get("/recherche/suggestions/", {"q": "gasp"})
    assert response.status_code == 200 and len(response.json()) == 2


def test_warnings_are_logged_at_most_once_a_minute(settings, caplog):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with caplog.at_level(logging.WARNING, logger="search.health"):
        assert breaker.failure("down", now=1000.0) is True
        assert breaker.failure("down", now=1030.0) is False
        assert breaker.failure("down", now=1061.0) is True
    assert len(caplog.records) == 2


def test_the_circuit_closes_after_the_cooldown(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_COOLDOWN = 30
    breaker.failure("down", now=100.0)
    assert breaker.is_open(now=129.0) and not breaker.is_open(now=131.0)


def test_health_status(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = None
    assert search_status() == "off"
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    monkeypatch.setattr(elastic, "get_client", lambda: SimpleNamespace(ping=lambda: True))
    assert search_status() == "ok"
    breaker.failure("down")
    assert search_status() == "degraded"  # circuit open: no ping


def test_indexing_while_the_cluster_is_down_keeps_the_database_index(resource_index, settings):
    from search.models import SearchEntry
    from tests.factories import ResourcePageFactory

    from .conftest import publish

    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    page = publish(ResourcePageFactory(parent=resource_index, title="Compost et biodéchets"))
    assert SearchEntry.objects.filter(page=page).exists()
    assert [hit.page_id for hit in service.search("compost").hits] == [page.pk]


# --- live cluster (only with ELASTICSEARCH_URL) ----------------------------------------------------------

needs_cluster = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"), reason="needs a live cluster: set ELASTICSEARCH_URL"
)


@pytest.fixture
def live_cluster(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"cantine-test-{uuid.uuid4().hex[:8]}"
    yield elastic.get_client()
    elastic.get_client().indices.delete(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", ignore_unavailable=True)


@pytest.mark.elasticsearch
@needs_cluster
def test_live_full_cycle(corpus, live_cluster):
    from django.core.management import call_command

    call_command("search_reindex")
    assert search_status() == "ok"
    results = service.search("végé")
    assert results.backend == "elasticsearch"
    assert results.hits[0].page_id == corpus["vege"].pk
    assert service.search("gaspilage pain").hits[0].page_id == corpus["pain"].pk  # fuzziness
    assert service.search("HVE").hits[0].page_id == corpus["labels"].pk  # synonyms at query time
    assert corpus["pain"].pk in service.search("gaspillage pain boulangerie").page_ids  # one word absent
    hit = service.search("plastiques").hits[0]
    assert "<script>" not in hit.title_html
    assert service.search("durable", filters={"kind": ["guide"]}).total == 1
    assert {s["title"] for s in service.suggest("gasp")} >= {corpus["pain"].title}
    # a second full reindex swaps the alias and leaves a single index per language
    call_command("search_reindex")
    assert len(elastic.current_indexes(live_cluster, "fr")) == 1
    # unpublishing removes the document
    corpus["pain"].unpublish()
    assert corpus["pain"].pk not in service.search("gaspillage pain").page_ids


@pytest.mark.elasticsearch
@needs_cluster
def test_live_analyzer(live_cluster):
    index = elastic.build_index("fr", rules=RULES)
    index.create(using=live_cluster)
    analyzed = live_cluster.indices.analyze(index=index._name, analyzer="cantine_text", text="L'alimentation des Végé")
    words = [token["token"] for token in analyzed["tokens"]]
    assert len(words) == 2  # « l' » elided, « des » a stop word
    assert words[0].startswith("aliment") and words[1].startswith("veg")  # folded and stemmed
    analyzed = live_cluster.indices.analyze(index=index._name, analyzer="cantine_text", text="50%")
    assert [token["token"] for token in analyzed["tokens"]][:2] == ["50", "pourcent"]  # the char filter
    analyzed = live_cluster.indices.analyze(index=index._name, analyzer="cantine_text", text="à La Réunion")
    assert "lareunion" in [token["token"] for token in analyzed["tokens"]]
