from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

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
        "resources.MeasureIndexPage",
        "resources.GuideIndexPage",
        "resources.ResourceIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")


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
