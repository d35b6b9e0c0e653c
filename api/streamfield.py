"""StreamField as structured JSON: `[{"type", "id", "value"}]`, with chosen objects expanded.

Wagtail's default API representation gives the bare id of a chosen document, image, page or snippet and the
database HTML of rich text. Here a document is `{"id", "title", "url", "size", "format"}`, an image
`{"id", "title", "url", "width", "height"}`, a page `{"id", "title", "url", "locale"}` (null when it is not
live and public), a mail template `{"id", "code", "name", "subject"}`, rich text follows `?rich_text_format=`
(display HTML by default, setting WAGTAILAPI_RICH_TEXT_FORMAT).
"""

from rest_framework import serializers
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import content


def rich_text_format(context):
    found = context.get("_wagtail_rich_text_format")
    if found is None:
        request = context.get("request")
        found = APIRichText.resolve_format(request.GET.get("rich_text_format") if request is not None else None)
        context["_wagtail_rich_text_format"] = found
    return found


def snippet(value):
    data = {"id": value.pk, "name": str(value)}
    for name in ("code", "subject"):
        if hasattr(value, name):
            data[name] = getattr(value, name)
    return data


def block_value(block, value, context):
    request, cache = context.get("request"), context.setdefault("api_cache", {})
    if isinstance(block, blocks.StreamBlock):
        return [
            {"type": child.block_type, "id": child.id, "value": block_value(child.block, child.value, context)}
            for child in value
        ]
    if isinstance(block, blocks.StructBlock):
        return {name: block_value(child, value.get(name), context) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, item, context) for item in value or []]
    if value is None:
        return None
    if isinstance(block, DocumentChooserBlock):
        return content.document(value, request, cache)
    if isinstance(block, ImageChooserBlock):
        return content.image(value, request, cache)
    if isinstance(block, blocks.PageChooserBlock):
        return content.page_link(value, request, cache)
    if isinstance(block, SnippetChooserBlock):
        return snippet(value)
    if isinstance(block, blocks.RichTextBlock):
        return APIRichText.serialize(value.source, format=rich_text_format(context))
    return block.get_api_representation(value, context)


class StreamFieldSerializer(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return block_value(value.stream_block, value, self.context)
