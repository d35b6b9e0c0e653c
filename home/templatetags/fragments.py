"""`{% shared_fragment "name" key… %}…{% endshared_fragment %}`: a piece of a page rendered once and kept in the
shared chrome cache (home/request_cache.py: emptied whenever a page, a snippet, a document, an image, a view
restriction, a site, a locale or a setting changes), so a page's own content costs no template rendering on
the next visit (issue 21). The key holds the name, the keys given (the page's id), the active language and the
request's site (page links are relative to it). Never put per-visitor content inside: the CSRF token, the user,
messages, the query string. A preview (and a page not saved yet) is always rendered afresh.
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Site

from home.request_cache import shared

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist, self.name, self.keys = nodelist, name, keys

    def render(self, context):
        request = context.get("request")
        keys = [key.resolve(context) for key in self.keys]
        if request is None or getattr(request, "is_preview", False) or any(key is None for key in keys):
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        parts = [self.name.resolve(context), *keys, translation.get_language(), getattr(site, "pk", None)]
        return mark_safe(shared("fragment:" + ":".join(map(str, parts)), lambda: str(self.nodelist.render(context))))


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
