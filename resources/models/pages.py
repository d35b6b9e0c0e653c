"""Page types of the editorial content.

Tree (enforced by parent_page_types / subpage_types):

    HomePage
    ├── MeasureIndexPage « Les mesures EGAlim » (mesures-egalim)
    │   └── MeasurePage × 5 (one per Measure)
    ├── GuideIndexPage « Guides » (guides)
    │   └── GuidePage
    └── ResourceIndexPage « Ressources » (ressources)
        ├── ResourcePage
        └── KitPage
"""

import datetime
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.blocks import RICH_TEXT_FEATURES

from ..blocks import FaqStreamBlock, GuideStreamBlock, SourceStreamBlock, ThresholdStreamBlock
from .base import (
    RESOURCES_PER_PAGE,
    EditorialPageMixin,
    TaxonomyPageForm,
    paginate,
)
from .taxonomy import source_locale_only

# Synchronised (not translated) by wagtail-localize: taxonomy references point to the source-locale rows.
TAXONOMY_SYNCHRONIZED = [
    SynchronizedField("measures"),
    SynchronizedField("audiences"),
    SynchronizedField("sectors"),
    SynchronizedField("last_reviewed"),
]


def document_size(document) -> int | None:
    """The size in bytes: Wagtail's stored one, else the file's. Not `Document.get_file_size()`, which saves the
    document when its size is not stored yet (documents created by code), and so reindexes every page that uses
    it: a read never writes."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


def taxonomy_panels():
    return [
        FieldPanel("measures", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
    ]


# --- Measures -------------------------------------------------------------------------------------------


class IndexPage(EditorialPageMixin, Page):
    """What the three index pages share (measures, guides, resources): an introduction above their children,
    one of each kind under the home page. Abstract: each keeps its own table."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    override_translatable_fields = [SynchronizedField("last_reviewed")]

    class Meta:
        abstract = True


class MeasureIndexPage(IndexPage):
    """« Les mesures EGAlim »: lists the five measure pages."""

    subpage_types = ["resources.MeasurePage"]

    class Meta:
        verbose_name = _("index des mesures EGAlim")
        verbose_name_plural = _("index des mesures EGAlim")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["measure_pages"] = (
            MeasurePage.objects.child_of(self).live().public().select_related("measure").order_by("measure__sort_order")
        )
        return context


class MeasurePage(EditorialPageMixin, Page):
    """The legal explainer of one EGAlim measure."""

    measure = models.ForeignKey(
        "resources.Measure",
        verbose_name=_("mesure"),
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="pages",
        limit_choices_to=source_locale_only,
    )
    summary = models.TextField(_("en bref"), blank=True, help_text=_("Deux ou trois phrases en tête de page."))
    requirements = RichTextField(_("ce que demande la loi"), features=RICH_TEXT_FEATURES, blank=True)
    concerned = RichTextField(_("qui est concerné"), features=RICH_TEXT_FEATURES, blank=True)
    since = models.CharField(_("depuis quand"), max_length=200, blank=True, help_text=_("Ex. : 1er janvier 2022"))
    thresholds = StreamField(ThresholdStreamBlock(), verbose_name=_("seuils"), blank=True)
    body = StreamField(GuideStreamBlock(), verbose_name=_("pour aller plus loin"), blank=True)
    sources = StreamField(SourceStreamBlock(), verbose_name=_("textes de référence"), blank=True)
    faq = StreamField(FaqStreamBlock(), verbose_name=_("questions fréquentes"), blank=True)

    base_form_class = TaxonomyPageForm
    content_panels = Page.content_panels + [
        FieldPanel("measure"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("requirements"), FieldPanel("concerned"), FieldPanel("since")], heading=_("Obligations")
        ),
        FieldPanel("thresholds"),
        FieldPanel("body"),
        FieldPanel("sources"),
        FieldPanel("faq"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("requirements"),
        index.SearchField("body"),
        index.SearchField("faq"),
        index.FilterField("measure"),
    ]
    parent_page_types = ["resources.MeasureIndexPage"]
    subpage_types = []
    override_translatable_fields = [SynchronizedField("measure"), SynchronizedField("last_reviewed")]

    class Meta:
        verbose_name = _("page mesure EGAlim")
        verbose_name_plural = _("pages mesure EGAlim")

    def clean(self):
        super().clean()
        if self.measure_id and self.locale_id:
            duplicate = MeasurePage.objects.filter(locale_id=self.locale_id, measure_id=self.measure_id).exclude(
                pk=self.pk
            )
            if duplicate.exists():
                raise ValidationError({"measure": _("Une page existe déjà pour cette mesure dans cette langue.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.measure_id:
            code = self.measure.code
            context["resources"] = (
                ResourcePage.objects.live()
                .public()
                .filter(locale_id=self.locale_id, measures__code=code)
                .select_related("resource_type")
                .distinct()
                .order_by("-first_published_at", "title")[:RESOURCES_PER_PAGE]
            )
            context["guides"] = (
                GuidePage.objects.live()
                .public()
                .filter(locale_id=self.locale_id, measures__code=code)
                .distinct()
                .order_by("title")
            )
            index_page = ResourceIndexPage.objects.live().filter(locale_id=self.locale_id).first()
            context["all_resources_url"] = f"{index_page.url}?measure={code}" if index_page else None
        return context


# --- Guides ---------------------------------------------------------------------------------------------


class GuideIndexPage(IndexPage):
    """« Guides »: lists the guides."""

    subpage_types = ["resources.GuidePage"]

    class Meta:
        verbose_name = _("index des guides")
        verbose_name_plural = _("index des guides")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = paginate(
            request,
            GuidePage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("measures", "audiences")
            .order_by("title"),
        )
        return context


class GuidePage(EditorialPageMixin, Page):
    """A long-form guide; its headings build the table of contents."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(GuideStreamBlock(), verbose_name=_("contenu"), blank=True)
    measures = ParentalManyToManyField(
        "resources.Measure", verbose_name=_("mesures EGAlim"), blank=True, limit_choices_to=source_locale_only
    )
    audiences = ParentalManyToManyField(
        "resources.Audience", verbose_name=_("publics"), blank=True, limit_choices_to=source_locale_only
    )
    sectors = ParentalManyToManyField(
        "resources.SectorCategory", verbose_name=_("secteurs"), blank=True, limit_choices_to=source_locale_only
    )

    base_form_class = TaxonomyPageForm
    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
        MultiFieldPanel(taxonomy_panels(), heading=_("Classement")),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["resources.GuideIndexPage"]
    subpage_types = []
    override_translatable_fields = TAXONOMY_SYNCHRONIZED

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    @cached_property
    def sections(self):
        """[(block, anchor)] for the body: headings get a unique anchor (None for the other blocks)."""
        seen = set()
        sections = []
        for block in self.body:
            anchor = None
            if block.block_type == "heading":
                base = slugify(block.value["text"]) or "section"
                anchor, number = base, 2
                while anchor in seen:
                    anchor, number = f"{base}-{number}", number + 1
                seen.add(anchor)
            sections.append((block, anchor))
        return sections

    @property
    def toc(self):
        return [
            {"anchor": anchor, "text": block.value["text"], "level": block.value["level"]}
            for block, anchor in self.sections
            if anchor and block.value["level"] in ("h2", "h3")
        ]


# --- Resources ------------------------------------------------------------------------------------------


class ResourceIndexPage(IndexPage):
    """« Ressources » (slug ressources, resources in English): the hub of resources and kits."""

    subpage_types = ["resources.ResourcePage", "resources.KitPage"]

    class Meta:
        verbose_name = _("index des ressources")
        verbose_name_plural = _("index des ressources")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..hub_pages import hub_context  # filters, facets, sorting, pagination, kits: resources/hub.py

        context.update(hub_context(self, request))
        return context

    def route(self, request, path_components):
        """A resource is read in one query (its specific row), not Wagtail's two (the page, then its type);
        kits and unknown slugs go through Wagtail's routing."""
        if path_components:
            try:
                resource = ResourcePage.objects.child_of(self).get(slug=path_components[0])
            except ResourcePage.DoesNotExist:
                pass
            else:
                resource._cached_parent_obj = self
                return resource.route(request, path_components[1:])
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        stat = (getattr(response, "context_data", None) or {}).get("search_stat")
        if stat:
            from search.analytics import HEADER

            response[HEADER] = stat  # counted by search.analytics.SearchStatsMiddleware (page cache included)
        return response


LANGUAGE_CHOICES = [("fr", _("Français")), ("en", _("Anglais"))]


class ResourcePage(EditorialPageMixin, Page):
    """One resource of the hub: a document, a tool, a video, a regulatory text..."""

    summary = models.TextField(_("résumé"), help_text=_("Deux ou trois phrases affichées dans les listes."))
    body = StreamField(GuideStreamBlock(), verbose_name=_("contenu"), blank=True)
    resource_type = models.ForeignKey(
        "resources.ResourceType",
        verbose_name=_("type de ressource"),
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="+",
        limit_choices_to=source_locale_only,
    )
    measures = ParentalManyToManyField(
        "resources.Measure", verbose_name=_("mesures EGAlim"), blank=True, limit_choices_to=source_locale_only
    )
    audiences = ParentalManyToManyField(
        "resources.Audience", verbose_name=_("publics"), blank=True, limit_choices_to=source_locale_only
    )
    sectors = ParentalManyToManyField(
        "resources.SectorCategory", verbose_name=_("secteurs"), blank=True, limit_choices_to=source_locale_only
    )
    gaps = ParentalManyToManyField(
        "egalim.Gap",
        verbose_name=_("Écarts traités"),
        blank=True,
        help_text=_("Écarts du diagnostic EGAlim pour lesquels cette ressource est utile."),
    )
    language = models.CharField(_("langue de la ressource"), max_length=2, choices=LANGUAGE_CHOICES, default="fr")
    publication_date = models.DateField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Date de publication du document lui-même. Par défaut, celle de la page."),
    )
    related_resources = ParentalManyToManyField(
        "self", verbose_name=_("ressources liées"), blank=True, symmetrical=False
    )

    base_form_class = TaxonomyPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("resource_type"),
        InlinePanel("files", heading=_("Fichiers et liens"), label=_("Fichier ou lien"), min_num=0),
        FieldPanel("body"),
        MultiFieldPanel(
            [*taxonomy_panels(), FieldPanel("gaps", widget=forms.CheckboxSelectMultiple)], heading=_("Classement")
        ),
        FieldRowPanel([FieldPanel("language"), FieldPanel("publication_date"), FieldPanel("last_reviewed")]),
        FieldPanel("related_resources", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("resource_type"),
        index.FilterField("language"),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    override_translatable_fields = [
        *TAXONOMY_SYNCHRONIZED,
        SynchronizedField("resource_type"),
        SynchronizedField("gaps"),
        SynchronizedField("publication_date"),
    ]

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    @property
    def published_on(self) -> datetime.date | None:
        if self.publication_date:
            return self.publication_date
        if self.first_published_at:
            return timezone.localtime(self.first_published_at).date()
        return None

    def available_files(self):
        files = [f for f in self.files.select_related("document") if f.document_id or f.url]  # no query per file
        for file in files:
            if not file.format:  # not saved yet: a preview of the edit form, a revision
                file.format = file.compute_format()
        return files

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..forms import FeedbackForm
        from ..hub_pages import resource_extras  # files, labels, related resources (cached): resources/hub_pages.py

        extras = {}

        def part(name):  # read only when the page's fragments are rendered, not when they come from the cache
            def read():
                if not extras:
                    extras.update(resource_extras(self, request))
                return extras[name]

            return read

        context.update({name: part(name) for name in ("files", "related", "taxonomy")})
        context["feedback_form"] = FeedbackForm()
        return context


DOCUMENT_FORMATS = ["pdf", "docx", "odt", "pptx", "xlsx", "csv"]
FORMAT_CHOICES = [
    ("pdf", "PDF"),
    ("docx", "DOCX"),
    ("odt", "ODT"),
    ("pptx", "PPTX"),
    ("xlsx", "XLSX"),
    ("csv", "CSV"),
    ("link", _("Lien")),
    ("video", _("Vidéo")),
]
VIDEO_HOSTS = ("youtube.com", "youtu.be", "dailymotion.com", "dai.ly", "vimeo.com", "tube.numerique.gouv.fr")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv")


def url_format(url: str) -> str:
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS) or parts.path.lower().endswith(VIDEO_EXTENSIONS):
        return "video"
    return "link"


class ResourceFile(Orderable):
    """A file (Wagtail document) or an external link attached to a resource."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(
        _("intitulé"), max_length=255, blank=True, help_text=_("Par défaut, le titre du document.")
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("PDF, DOCX, ODT, PPTX, XLSX ou CSV."),
    )
    url = models.URLField(_("ou lien externe"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=FORMAT_CHOICES, editable=False, blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("fichier ou lien")
        verbose_name_plural = _("fichiers et liens")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.document_id:
            return self.document.title
        return self.url

    def compute_format(self) -> str:
        if self.document_id:
            extension = self.document.file_extension.lower()
            return extension if extension in DOCUMENT_FORMATS else "link"
        return url_format(self.url)

    @property
    def size(self) -> int | None:
        """Size of the document in bytes (None for links)."""
        return document_size(self.document) if self.document_id else None

    @property
    def href(self) -> str:
        return self.document.url if self.document_id else self.url

    @property
    def download_url(self) -> str:
        """Through the counting view; a file not saved yet (a preview) links to the document or the URL."""
        if self.pk is None:
            return self.href
        from django.urls import reverse

        return reverse("resources:download", args=[self.pk])

    def clean(self):
        super().clean()
        if bool(self.document_id) == bool(self.url):
            raise ValidationError(_("Choisissez un document ou saisissez un lien externe (l'un ou l'autre)."))
        if self.document_id:
            extension = self.document.file_extension.lower()
            if extension not in DOCUMENT_FORMATS:
                raise ValidationError(
                    {
                        "document": _("Format non accepté (%(ext)s) : PDF, DOCX, ODT, PPTX, XLSX ou CSV.")
                        % {"ext": extension}
                    }
                )

    def save(self, *args, **kwargs):
        self.format = self.compute_format()
        return super().save(*args, **kwargs)
