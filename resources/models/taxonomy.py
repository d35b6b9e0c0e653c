"""Taxonomy of the editorial content: EGAlim measures, audiences, resource types, sector categories.

Rows are translatable snippets (wagtail-localize). Convention: pages and snippets always reference the
rows of the *source* locale (French), identified by their `code`; templates show the name in the
current language with `obj.localized.name`. The French rows are created by data migrations.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

MEASURES = [
    ("quality", "Qualité et durabilité des produits"),
    ("waste", "Lutte contre le gaspillage alimentaire et dons"),
    ("diversification", "Diversification des protéines et menus végétariens"),
    ("plastic", "Substitution des plastiques"),
    ("information", "Information des convives"),
]
MEASURE_CODES = [code for code, _name in MEASURES]

AUDIENCES = [
    ("gestionnaire", "Gestionnaire de cantine"),
    ("elu", "Élu·e / collectivité"),
    ("charge-de-mission", "Chargé·e de mission (DRAAF, PAT, réseaux)"),
    ("ambassadeur", "Ambassadeur"),
    ("convive", "Convive / parent"),
    ("societe-de-restauration", "Société de restauration"),
]

RESOURCE_TYPES = [
    ("guide", "Guide"),
    ("fiche-pratique", "Fiche pratique"),
    ("modele-de-mail", "Modèle de mail"),
    ("plaquette", "Plaquette"),
    ("support-de-presentation", "Support de présentation"),
    ("texte-reglementaire", "Texte réglementaire"),
    ("outil", "Outil / tableur"),
    ("video", "Vidéo"),
    ("retour-d-experience", "Retour d'expérience"),
]

SECTOR_CATEGORIES = [
    ("enseignement", "Enseignement"),
    ("sante", "Santé"),
    ("social", "Social et médico-social"),
    ("administration", "Administration"),
    ("entreprise", "Entreprise"),
    ("loisirs", "Loisirs"),
    ("autres", "Autres"),
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
