"""Kits: a named bundle of resources, documents and mail templates for one audience, downloadable as a ZIP."""

import datetime
import logging
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable, Page
from wagtail_localize.fields import SynchronizedField

from ..zipstream import ZipEntry, iter_zip
from .base import EditorialPageMixin, TaxonomyPageForm
from .pages import ResourcePage, document_size
from .taxonomy import source_locale_only

logger = logging.getLogger(__name__)


class UniqueNames:
    """Sane, unique archive member names: ASCII slugs, no directories from user input, no duplicates."""

    def __init__(self):
        self.used = set()

    @staticmethod
    def slug(text: str, length: int = 80) -> str:
        return slugify(re.sub(r"[/\\.'’]+", " ", text or ""))[:length].strip("-")

    def __call__(self, folder: str, title: str, extension: str = "") -> str:
        stem = self.slug(title) or "document"
        extension = self.slug(extension, 10)
        folder = self.slug(folder)
        prefix = f"{folder}/" if folder else ""
        suffix = f".{extension}" if extension else ""
        name, number = f"{prefix}{stem}{suffix}", 2
        while name.lower() in self.used:
            name, number = f"{prefix}{stem}-{number}{suffix}", number + 1
        self.used.add(name.lower())
        return name


def document_is_public(document, request) -> bool:
    restrictions = document.collection.get_view_restrictions()
    return all(restriction.accept_request(request) for restriction in restrictions)


class KitPage(RoutablePageMixin, EditorialPageMixin, Page):
    """E.g. « Kit ambassadeur : embarquer les communes ». The ZIP is at <page url>zip/."""

    introduction = models.TextField(_("introduction"), blank=True)
    audience = models.ForeignKey(
        "resources.Audience",
        verbose_name=_("public"),
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="+",
        limit_choices_to=source_locale_only,
    )

    base_form_class = TaxonomyPageForm
    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("audience"),
        InlinePanel("items", heading=_("Contenu du kit"), label=_("Élément"), min_num=1),
        FieldPanel("last_reviewed"),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    override_translatable_fields = [SynchronizedField("audience"), SynchronizedField("last_reviewed")]

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    @property
    def zip_url(self) -> str:
        return self.url + self.reverse_subpage("zip")

    @property
    def zip_filename(self) -> str:
        return f"{slugify(self.title)[:80] or 'kit'}.zip"

    def visible_items(self):
        """Items to show and archive: live, public resources; documents and mail templates."""
        items = []
        for item in self.items.select_related("document", "mail_template").all():
            if item.resource_id:
                resource = item.resource.specific
                if not isinstance(resource, ResourcePage):
                    continue
                resource = resource.localized
                if not resource.live or resource.get_view_restrictions().exists():
                    continue
                items.append((item, resource))
            elif item.document_id or (item.mail_template_id and item.mail_template.live):
                items.append((item, None))
        return items

    def zip_entries(self, request) -> list[ZipEntry]:
        """The archive's members; database queries happen here, before streaming starts."""
        names = UniqueNames()
        entries = []
        readme = [self.title, "=" * len(self.title), ""]
        if self.introduction:
            readme += [self.introduction, ""]
        readme += [f"Source : {request.build_absolute_uri(self.url)}", f"Date : {datetime.date.today():%d/%m/%Y}", ""]

        def add_document(folder, title, document):
            if not document_is_public(document, request):
                return None
            if not document.file or not document.file.storage.exists(document.file.name):
                # A file missing from the storage would break the archive in the middle of the download.
                logger.error("Kit %s: the file of document %s is missing, left out of the ZIP.", self.pk, document.pk)
                return None
            name = names(folder, title, document.file_extension)
            entries.append(
                ZipEntry(name=name, open=lambda doc=document: doc.file.open("rb"), size=document_size(document))
            )
            return name

        for position, (item, resource) in enumerate(self.visible_items(), start=1):
            if resource is not None:
                folder = f"{position:02d}-{resource.slug}"
                readme += [f"{position:02d}. {resource.title}", f"    {request.build_absolute_uri(resource.url)}"]
                for file in resource.available_files():
                    if file.document_id:
                        name = add_document(folder, file.display_title, file.document)
                        if name:
                            readme.append(f"    - {name}")
                    else:
                        readme.append(f"    - {file.display_title} : {file.url}")
            elif item.document_id:
                name = add_document("", f"{position:02d}-{item.label}", item.document)
                if name:
                    readme.append(f"{position:02d}. {item.label} : {name}")
            elif item.mail_template_id:
                template = item.mail_template.localized
                name = names("modeles-de-mail", f"{position:02d}-{template.name}", "txt")
                entries.append(ZipEntry(name=name, data=template.as_text().encode("utf-8")))
                readme.append(f"{position:02d}. Modèle de mail « {template.name} » : {name}")
            readme.append("")
        entries.insert(0, ZipEntry(name="LISEZMOI.txt", data="\n".join(readme).encode("utf-8")))
        return entries

    @path("zip/", name="zip")
    def download_zip(self, request):
        entries = self.zip_entries(request)
        response = StreamingHttpResponse(iter_zip(entries), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{self.zip_filename}"'
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kit_items"] = self.visible_items()
        return context


class KitItem(Orderable):
    """One element of a kit: a resource page (all its files), a document or a mail template."""

    page = ParentalKey(KitPage, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("ressource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("ou document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    mail_template = models.ForeignKey(
        "resources.MailTemplate",
        verbose_name=_("ou modèle de mail"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("intitulé"), max_length=255, blank=True)

    panels = [
        PageChooserPanel("resource", page_type="resources.ResourcePage"),
        FieldPanel("document"),
        FieldPanel("mail_template"),
        FieldPanel("title"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("élément de kit")
        verbose_name_plural = _("éléments de kit")

    def clean(self):
        super().clean()
        chosen = [bool(self.resource_id), bool(self.document_id), bool(self.mail_template_id)]
        if sum(chosen) != 1:
            raise ValidationError(_("Choisissez une ressource, un document ou un modèle de mail (un seul)."))

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.resource_id:
            return self.resource.title
        if self.document_id:
            return self.document.title
        if self.mail_template_id:
            return self.mail_template.name
        return ""
