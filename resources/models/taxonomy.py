"""Taxonomy of the editorial content: EGAlim measures, audiences, resource types, sector categories.

Rows are translatable snippets (wagtail-localize). Convention: pages and snippets always reference the
rows of the *source* locale (French), identified by their `code`; templates show the name in the
current language with `obj.localized.name`. The French rows are created by data migrations.

The five measures are the law's: their codes and names come from `egalim` (names translated by gettext), and
`sync_measures` makes the rows of every locale follow them. No list of measures is kept here. The other
taxonomies' French names are listed below (created by a data migration) and named in another language by
gettext when `sync_taxonomy` creates their translations (an editor's later change to a name is kept).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from egalim.rules import MEASURES, measure_label

MEASURE_CODES = list(MEASURES)

# Editorial taxonomies: code and French name; the English names come from gettext (sync_taxonomy).
AUDIENCES = [
    ("gestionnaire", gettext_noop("Gestionnaire de cantine")),
    ("elu", gettext_noop("Élu·e / collectivité")),
    ("charge-de-mission", gettext_noop("Chargé·e de mission (DRAAF, PAT, réseaux)")),
    ("ambassadeur", gettext_noop("Ambassadeur")),
    ("convive", gettext_noop("Convive / parent")),
    ("societe-de-restauration", gettext_noop("Société de restauration")),
]

RESOURCE_TYPES = [
    ("guide", gettext_noop("Guide")),
    ("fiche-pratique", gettext_noop("Fiche pratique")),
    ("modele-de-mail", gettext_noop("Modèle de mail")),
    ("plaquette", gettext_noop("Plaquette")),
    ("support-de-presentation", gettext_noop("Support de présentation")),
    ("texte-reglementaire", gettext_noop("Texte réglementaire")),
    ("outil", gettext_noop("Outil / tableur")),
    ("video", gettext_noop("Vidéo")),
    ("retour-d-experience", gettext_noop("Retour d'expérience")),
]

SECTOR_CATEGORIES = [
    ("enseignement", gettext_noop("Enseignement")),
    ("sante", gettext_noop("Santé")),
    ("social", gettext_noop("Social et médico-social")),
    ("administration", gettext_noop("Administration")),
    ("entreprise", gettext_noop("Entreprise")),
    ("loisirs", gettext_noop("Loisirs")),
    ("autres", gettext_noop("Autres")),
]


def source_locale_only():
    """`limit_choices_to` of every taxonomy relation: only the rows of the source (French) locale."""
    return Q(locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))


class TaxonomyTerm(TranslatableMixin, index.Indexed, models.Model):
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Identifiant stable utilisé dans les adresses et les filtres.")
    )
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    # The code identifies the term in every language: it is copied, never translated.
    override_translatable_fields = [SynchronizedField("code"), SynchronizedField("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("code", "locale")]

    def __str__(self):
        return self.name


class Measure(TaxonomyTerm):
    """One of the five EGAlim measures. The codes are fixed: no measure can be added or deleted in the admin."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("mesure EGAlim")
        verbose_name_plural = _("mesures EGAlim")


def sync_measures(locales):
    """Make the Measure rows follow the rules: one row per measure of `egalim` in the source locale and in each
    of `locales`, named as the rules name it in that language (gettext), in the law's order. Idempotent."""
    source = Locale.objects.get(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    for position, code in enumerate(MEASURE_CODES, start=1):
        term, _created = Measure.objects.get_or_create(
            code=code, locale=source, defaults={"name": measure_label(code, source.language_code)}
        )
        _follow_rules(term, code, source.language_code, position)
        for locale in locales:
            if locale.pk == source.pk:
                continue
            translated = term.get_translation_or_none(locale) or term.copy_for_translation(locale)
            _follow_rules(translated, code, locale.language_code, position)


def _follow_rules(term, code, language, position):
    name = measure_label(code, language)
    if term.pk is None or (term.name, term.sort_order) != (name, position):
        term.name, term.sort_order = name, position
        term.save()


class Audience(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")


class ResourceType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("type de ressource")
        verbose_name_plural = _("types de ressource")


class SectorCategory(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("catégorie de secteur")
        verbose_name_plural = _("catégories de secteur")


def sync_taxonomy(locales):
    """Measures as the rules say (`sync_measures`); the other taxonomies' missing translations in `locales`,
    named by gettext from their French name."""
    sync_measures(locales)
    for model, terms in ((Audience, AUDIENCES), (ResourceType, RESOURCE_TYPES), (SectorCategory, SECTOR_CATEGORIES)):
        names = dict(terms)
        source_terms = model.objects.filter(
            locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE), code__in=names
        )
        for term in source_terms:
            for locale in locales:
                if locale.pk == term.locale_id or term.has_translation(locale):
                    continue
                translated = term.copy_for_translation(locale)
                with override(locale.language_code):
                    translated.name = gettext(names[term.code])
                translated.save()
