"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Niveau"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2")

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        help_text=_("Laisser vide si l'image est purement décorative."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("ou adresse web"), required=False)
    description = blocks.TextBlock(label=_("Accroche"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": blocks.BlockValidationError(_("Choisissez une page ou une adresse web."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Appel à l'action")
        template = "blocks/call_to_action.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Intitulé"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Lien vers un document")
        template = "blocks/document_link.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur·rice"), required=False)
    role = blocks.CharBlock(label=_("Fonction"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote.html"


RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html"
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    document_link = DocumentLinkBlock()
    quote = QuoteBlock()
