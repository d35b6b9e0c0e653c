"""StreamField blocks of the editorial content (measures, guides, resources)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import (
    RICH_TEXT_FEATURES,
    CallToActionBlock,
    DocumentLinkBlock,
    HeadingBlock,
    ImageBlock,
    QuoteBlock,
)


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_TEXT_FEATURES)
    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("info", _("À savoir")), ("tip", _("Conseil")), ("warning", _("Attention"))],
        default="info",
    )

    class Meta:
        icon = "help"
        label = _("Mise en avant")
        template = "resources/blocks/callout.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre du groupe"), required=False, max_length=200)
    items = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordéon / FAQ")
        template = "resources/blocks/accordion.html"


class MailTemplateBlock(blocks.StructBlock):
    mail_template = SnippetChooserBlock("resources.MailTemplate", label=_("Modèle de mail"))
    introduction = blocks.TextBlock(label=_("Introduction"), required=False)

    class Meta:
        icon = "mail"
        label = _("Modèle de mail")
        template = "resources/blocks/mail_template.html"


class GuideStreamBlock(blocks.StreamBlock):
    """Body of guides and resources. Headings build the guide's table of contents."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html"
    )
    callout = CalloutBlock()
    image = ImageBlock()
    document_link = DocumentLinkBlock()
    accordion = AccordionBlock()
    mail_template = MailTemplateBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class ThresholdRowBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(label=_("Obligation"), max_length=200)
    scope = blocks.CharBlock(label=_("Pour qui / où"), max_length=200, required=False)
    value = blocks.CharBlock(label=_("Seuil"), max_length=100)
    since = blocks.CharBlock(label=_("Depuis"), max_length=100, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Ligne")


class ThresholdTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Titre du tableau"), max_length=200)
    rows = blocks.ListBlock(ThresholdRowBlock(), label=_("Lignes"), min_num=1)
    note = blocks.TextBlock(label=_("Note"), required=False)

    class Meta:
        icon = "table"
        label = _("Tableau de seuils")
        template = "resources/blocks/threshold_table.html"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Intitulé"), max_length=300)
    url = blocks.URLBlock(label=_("Adresse web"))
    description = blocks.CharBlock(label=_("Précision"), required=False, max_length=300)

    class Meta:
        icon = "link-external"
        label = _("Texte de référence")
        template = "resources/blocks/source.html"


class ThresholdStreamBlock(blocks.StreamBlock):
    table = ThresholdTableBlock()


class SourceStreamBlock(blocks.StreamBlock):
    source = SourceBlock()


class FaqStreamBlock(blocks.StreamBlock):
    question = QuestionBlock()
