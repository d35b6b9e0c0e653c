from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import accessibility
from .blocks import BodyStreamBlock


class TranslationFallbackMixin:
    """For page types shown in several languages: an untranslated page is an alias of the French page (the
    English tree is synchronised by wagtail-localize); its template shows a notice linking to the source page
    (home/templates/includes/untranslated_notice.html) and marks the content with the source's language."""

    @cached_property
    def untranslated_source(self):
        """The source page when this page is an alias showing another language's content, else None."""
        if not self.alias_of_id:
            return None
        source = Page.objects.filter(pk=self.alias_of_id).select_related("locale").first()
        if source is None or source.locale_id == self.locale_id:
            return None
        return source

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["untranslated_source"] = self.untranslated_source
        return context


class HomePage(TranslationFallbackMixin, Page):
    """The site's home page: one per locale, child of the tree root."""

    hero_title = models.CharField(_("titre d'accroche"), max_length=200, blank=True)
    hero_text = models.TextField(_("texte d'accroche"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("Accroche")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.AccessibilityStatementPage",
        "resources.MeasureIndexPage",
        "resources.GuideIndexPage",
        "resources.ResourceIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def route(self, request, path_components):
        """Wagtail's routing, but a child is found in the map of this page's children (slug → type and id, from
        the shared cache: one query when cold, emptied whenever a page changes, home/request_cache.py) and read
        in one query of its own type, where Wagtail runs two (the page, then its specific row); an unknown slug
        is a 404 without a query."""
        from django.contrib.contenttypes.models import ContentType
        from django.http import Http404

        from .request_cache import shared, sharing

        if not path_components or self.pk is None or not sharing():
            return super().route(request, path_components)

        def children():
            rows = self.get_children().values_list("slug", "content_type_id", "pk")
            return {slug: (content_type_id, pk) for slug, content_type_id, pk in rows}

        found = shared(f"home-children:{self.pk}", children).get(path_components[0])
        if found is None:
            raise Http404
        model = ContentType.objects.get_for_id(found[0]).model_class()
        child = model._default_manager.filter(pk=found[1]).first() if model else None
        if child is None:  # changed since the map was read: Wagtail's way
            return super().route(request, path_components)
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])


class StandardPage(TranslationFallbackMixin, Page):
    """A simple editorial page (à propos, mentions légales, accessibilité...)."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")


class AccessibilityStatementPage(StandardPage):
    """The accessibility statement (/accessibilite/, linked from the footer): the RGAA audit grid, from which the
    page shows the conformity rate and level and the list of non-conformities (home/accessibility.py); the
    introduction and the content (derogations, exempt content, contact, recourse) stay free text."""

    audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    auditor = models.CharField(_("réalisé par"), max_length=200, blank=True)
    audited_pages = models.TextField(
        _("pages auditées"), blank=True, help_text=_("Une page par ligne : son titre ou son adresse.")
    )
    technologies = models.CharField(_("technologies utilisées"), max_length=300, blank=True)
    test_environment = models.TextField(_("environnement de test et outils"), blank=True)
    derogations = RichTextField(
        _("dérogations pour charge disproportionnée"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    exempt_content = RichTextField(
        _("contenus non soumis à l'obligation d'accessibilité"), blank=True, features=["bold", "italic", "link", "ul"]
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("audit_date"),
                FieldPanel("auditor"),
                FieldPanel("audited_pages"),
                FieldPanel("technologies"),
                FieldPanel("test_environment"),
            ],
            heading=_("Audit RGAA"),
        ),
        InlinePanel("audit_criteria", heading=_("Grille d'audit RGAA 4.1"), label=_("critère")),
        FieldPanel("derogations"),
        FieldPanel("exempt_content"),
        FieldPanel("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("déclaration d'accessibilité")
        verbose_name_plural = _("déclarations d'accessibilité")

    @cached_property
    def criteria(self):
        """The grid's rows by criterion number (a number entered twice counts once: its first row)."""
        rows = {}
        for row in self.audit_criteria.all():
            rows.setdefault(row.number, row)
        return sorted(rows.values(), key=lambda row: accessibility.criterion_key(row.number))

    @cached_property
    def audit(self):
        return accessibility.summarise_rows((row.number, row.result) for row in self.criteria)

    @property
    def non_conformities(self):
        return [row for row in self.criteria if row.result == accessibility.NON_CONFORM]

    @property
    def audited_page_list(self):
        return [line.strip() for line in self.audited_pages.splitlines() if line.strip()]


class AuditCriterion(Orderable):
    """One row of the RGAA grid: the criterion's number (its topic follows), its result and a note."""

    page = ParentalKey(AccessibilityStatementPage, on_delete=models.CASCADE, related_name="audit_criteria")
    number = models.CharField(
        _("critère"),
        max_length=5,
        choices=[(number, number) for number in accessibility.CRITERIA],
    )
    result = models.CharField(
        _("résultat"), max_length=2, choices=accessibility.RESULTS, default=accessibility.NOT_TESTED
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Pour une non-conformité : ce qui ne va pas, où."))

    panels = [FieldRowPanel([FieldPanel("number"), FieldPanel("result")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("critère RGAA")
        verbose_name_plural = _("critères RGAA")

    def __str__(self):
        return f"{self.number} {self.get_result_display()}"

    @property
    def topic(self):
        return accessibility.topic_label(self.number)


@register_setting(icon="cog")
class SiteSettings(BaseGenericSetting):
    """Site-wide settings editable in the admin (Paramètres > Réglages du site)."""

    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    footer_text = models.TextField(
        _("texte du pied de page"),
        blank=True,
        default=_(
            "ma cantine accompagne les acteurs de la restauration collective dans l'application de la loi EGAlim."
        ),
    )
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    bluesky_url = models.URLField(_("Bluesky"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("linkedin_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("bluesky_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
    ]

    class Meta:
        verbose_name = _("réglages du site")

    @property
    def social_links(self):
        links = [
            ("linkedin", "LinkedIn", self.linkedin_url),
            ("mastodon", "Mastodon", self.mastodon_url),
            ("bluesky", "Bluesky", self.bluesky_url),
            ("youtube", "YouTube", self.youtube_url),
        ]
        return [(key, label, url) for key, label, url in links if url]
