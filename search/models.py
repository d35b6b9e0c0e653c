"""Search index tables and the synonyms snippet.

`SearchEntry` is a denormalised copy of every live, public page (one row per page, so per locale), filled
by `search.indexing`. On PostgreSQL its `vector` column holds the weighted French (or English) tsvector
computed in SQL at index time (title A, summary B, body C, attached text D), with a GIN index; `title_norm`
has a trigram GIN index (suggestions, typo tolerance). These indexes, the `unaccent` and `pg_trgm`
extensions and the `french_unaccent` / `english_unaccent` text search configurations are created by
migration 0002, on PostgreSQL only; `title_vector` (the title alone) makes title matches cheap to test.
On SQLite (development) the `plain` column (normalised text, empty on PostgreSQL) is searched instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import normalize, tokens


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_entry", verbose_name=_("page")
    )
    locale = models.CharField(_("langue"), max_length=16, db_index=True)
    kind = models.CharField(_("type"), max_length=32, db_index=True)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    body = models.TextField(_("contenu"), blank=True)
    attached = models.TextField(_("texte associé"), blank=True, help_text=_("Fichiers, classement, modèles de mail."))
    # " measure:quality type:guide audience:elu " (leading and trailing spaces: match with " code ").
    tags = models.TextField(_("étiquettes"), blank=True)
    title_norm = models.CharField(_("titre normalisé"), max_length=255)
    plain = models.TextField(_("texte normalisé"), blank=True)
    published_at = models.DateTimeField(_("date de publication"), null=True, blank=True)
    vector = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)  # the title alone: cheap title matches
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("entrées de l'index de recherche")

    def __str__(self):
        return f"{self.title} ({self.locale})"


class SearchWord(models.Model):
    """Vocabulary of the indexed text (normalised words), for typo correction (« gaspilage » → « gaspillage »)."""

    word = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("mot indexé")
        verbose_name_plural = _("mots indexés")

    def __str__(self):
        return self.word


class SynonymGroup(models.Model):
    """Equivalent terms, used by both search backends (query expansion, Elasticsearch synonym filter)."""

    terms = models.CharField(
        _("termes équivalents"),
        max_length=500,
        help_text=_(
            "Séparés par des virgules, par exemple : bio, biologique, AB, agriculture biologique. "
            "Chercher l'un trouve les autres. Les accents et les majuscules ne comptent pas."
        ),
    )
    comment = models.CharField(_("remarque"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("synonymes")
        verbose_name_plural = _("synonymes")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        """Distinct terms, as typed (stripped), in order."""
        seen, terms = set(), []
        for term in self.terms.split(","):
            term = " ".join(term.split())
            key = normalize(term)
            if tokens(term) and key not in seen:
                seen.add(key)
                terms.append(term)
        return terms

    def clean(self):
        from django.core.exceptions import ValidationError

        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Indiquez au moins deux termes différents, séparés par des virgules.")})
        self.terms = ", ".join(self.term_list())


class SearchStat(models.Model):
    """What people search for, one row per day, place, language and normalised query (no personal data).

    No IP address, no user, no session, no time of day: only the normalised words of the query (lowercase,
    no accents, no punctuation, e-mail addresses and long numbers removed, see `search.analytics`) and
    counters. Written by `search.analytics.record_search` / `record_click` (one upsert each).
    """

    SOURCES = [("site", _("Recherche du site")), ("hub", _("Centre de ressources"))]

    day = models.DateField(_("jour"))
    source = models.CharField(_("moteur"), max_length=8, choices=SOURCES)
    language = models.CharField(_("langue"), max_length=8)
    query = models.CharField(_("recherche"), max_length=100)
    searches = models.PositiveIntegerField(_("recherches"), default=0)
    no_result = models.PositiveIntegerField(_("recherches sans résultat"), default=0)
    results = models.PositiveIntegerField(_("résultats (dernière recherche)"), default=0)
    clicks = models.PositiveIntegerField(_("clics sur un résultat"), default=0)

    class Meta:
        verbose_name = _("recherche du jour")
        verbose_name_plural = _("recherches par jour")
        constraints = [
            models.UniqueConstraint(fields=["day", "source", "language", "query"], name="search_stat_day_query_unique")
        ]
        indexes = [models.Index(fields=["day"], name="search_stat_day")]

    def __str__(self):
        return f"{self.day} {self.source} {self.language} « {self.query} »: {self.searches}"
