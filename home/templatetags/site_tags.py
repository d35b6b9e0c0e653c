"""Navigation, breadcrumb and language switcher for the base template."""

from django import forms, template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from home.request_cache import fragment, memoised, shared

register = template.Library()


class ChromeNode(template.Node):
    def __init__(self, name, vary, nodelist):
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context):
        values = [str(variable.resolve(context)) for variable in self.vary]
        key = "|".join([self.name, translation.get_language() or "", *values])
        return fragment(key, lambda: self.nodelist.render(context))


@register.tag
def chrome(parser, token):
    """`{% chrome "header" var… %}…{% endchrome %}`: the block rendered once per process for the current language,
    the given values and the chrome cache's generation stamp (home/request_cache.py `fragment`). Only for what
    reads nothing else than those values, the site's content and settings: never the user, a form or a token."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% chrome %} needs a name")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.simple_tag(takes_context=True)
def chrome_state(context):
    """What the header shows differently from one page to another, language aside, as one key: the visitor's
    state (anonymous, signed in, territory officer) and the menu entry marked `aria-current`."""
    request = context.get("request")
    page = context.get("page")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    officer = bool(signed_in and request is not None and request.session.get("territory_officer"))
    section = f"{page.path[:12]}:{page.depth}" if isinstance(page, Page) and page.path else ""
    path = request.path if request is not None else ""
    # the three links after the menu's pages, as header.html marks them
    registry, territories, open_data = (reverse(name) for name in NAV_URL_NAMES)
    current = f"{int(path == registry)}{int(path[:13] == territories[:13])}{int(path[:9] == open_data[:9])}"
    site = Site.find_for_request(request) if request is not None else None  # the menu's links are relative to it
    return f"{site.pk if site else 0}:{int(signed_in)}{int(officer)}:{section}:{current}"


NAV_URL_NAMES = ("territories:registry", "territories:index", "territories:open_data")

# What a link to a page needs: its URL, its title and whether it is an alias (then lang="fr" on English pages).
LINK_FIELDS = ("id", "title", "url_path", "path", "depth", "alias_of_id")


def _localized_home(request):
    def compute():
        site = Site.find_for_request(request)
        if site is None:
            return None
        root = site.root_page
        localized = root.localized
        return localized.specific if localized.live else root.specific

    return memoised(("localized-home", translation.get_language()), compute)


def _site_key(request) -> str:
    site = Site.find_for_request(request)
    return f"{site.pk if site else 0}:{translation.get_language()}"


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Pages ticked "Afficher dans les menus" under the home page of the current language."""
    request = context.get("request")
    if request is None:
        return []

    def compute():
        home = _localized_home(request)
        if home is None:
            return []
        return list(home.get_children().live().public().in_menu().only(*LINK_FIELDS))

    return shared(f"menu:{_site_key(request)}", compute)  # home/request_cache.py: purged on publication


@register.simple_tag
def site_settings():
    """The footer's SiteSettings (a generic setting), from the shared cache: purged when they are saved."""
    from home.models import SiteSettings

    return shared("site-settings", SiteSettings.load)


@register.simple_tag(takes_context=True)
def breadcrumb(context):
    """Ancestors of the current page, from the home page (excluded) to the parent."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []

    def compute():
        return list(page.get_ancestors().filter(depth__gt=2).live().only(*LINK_FIELDS))

    if page.pk is None or not page.path:  # a preview of a new page
        return compute()
    return shared(f"breadcrumb:{page.path}", compute)


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the page's translation when it exists, otherwise that language's home."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and page.pk is not None and request is not None:
        # the same links for every visitor of a page: shared between requests, purged on publication
        host = request.get_host()
        return shared(f"languages:{_site_key(request)}:{host}:{page.pk}", lambda: _language_links(request, page))
    return _language_links(request, page)


def _language_links(request, page):
    current = translation.get_language() or settings.LANGUAGE_CODE
    links = []
    translations = {}
    if isinstance(page, Page):
        for candidate in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[candidate.locale.language_code] = candidate
    for code, name in settings.LANGUAGES:
        url = None
        if code in translations:
            url = translations[code].get_url(request)
        elif isinstance(page, Page):
            home = None
            locale = Locale.objects.filter(language_code=code).first()
            if locale is not None and request is not None:
                site = Site.find_for_request(request)
                if site is not None:
                    home = site.root_page.get_translation_or_none(locale)
            url = home.get_url(request) if home is not None and home.live else None
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        if url is None:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def page_has_form_errors(context):
    """True when a bound form of the page's context has errors: the page's <title> then starts with
    « Erreur : » (RGAA 8.5/11.10), whatever the form's name in the view (form, merge_form, answers_form...)."""
    for layer in context.dicts:
        for value in layer.values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                return True
    return False


@register.filter
def error_anchor(field):
    """The id to link from the error summary: the input, or the first option of a group of radios/checkboxes."""
    if field.id_for_label:
        return field.id_for_label
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def has_required_fields(form):
    """True when a visible field of the form is required (marked « * », explained above the form)."""
    return any(field.field.required for field in form.visible_fields())


# The footer's mandatory links (French public sites, DSFR footer): editable pages under the home page, created
# by home/legal_pages.py (after `migrate`, and by load_demo), found by their slug, in the current language's tree
# (an untranslated page is an alias with the same slug). The accessibility link says the level computed from the
# statement's audit grid (« Accessibilité : partiellement conforme »): one query per publication, shared cache.
FOOTER_PAGES = [
    ("accessibilite", None),
    ("mentions-legales", _("Mentions légales")),
    ("donnees-personnelles", _("Données personnelles")),
    ("gestion-des-cookies", _("Gestion des cookies")),
]


def accessibility_level():
    """The conformity level ("total", "partial", "none") of the live French accessibility statement's grid;
    "none" without a statement (RGAA: no audit, not compliant)."""

    def compute():
        from home.accessibility import NONE, summarise_rows
        from home.models import AuditCriterion

        rows = AuditCriterion.objects.filter(
            page__live=True, page__alias_of__isnull=True, page__locale__language_code=settings.LANGUAGE_CODE
        ).values_list("page_id", "number", "result")
        pages = sorted({page_id for page_id, _number, _result in rows})
        if not pages:
            return NONE
        return summarise_rows((number, result) for page_id, number, result in rows if page_id == pages[0]).level

    return shared("accessibility-level", compute)


@register.simple_tag
def footer_links():
    """[(url, label)]: the footer's pages and the site map, in the current language."""
    from home.accessibility import FOOTER_LABELS

    language = translation.get_language() or settings.LANGUAGE_CODE
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    links = [(f"{prefix}/plan-du-site/", _("Plan du site"))]
    for slug, label in FOOTER_PAGES:
        links.append((f"{prefix}/{slug}/", label or FOOTER_LABELS[accessibility_level()]))
    return links


@register.simple_tag
def filter_labels(form, skip="sort page"):
    """The labels of a bound filter form's chosen values, for the page's <title> (RGAA 8.6: a filtered list's
    title says what it shows): choices by their label (option groups too), text as typed; invalid fields left out."""
    if form is None or not getattr(form, "is_bound", False):
        return []
    form.is_valid()  # cleaned_data (the view has usually validated it already)
    labels = []
    for name, field in form.fields.items():
        if name in skip.split() or name in form.errors:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], (), False):
            continue
        if value is True:
            labels.append(str(field.label))
            continue
        choices = {}
        for key, label in getattr(field, "choices", None) or ():
            if isinstance(label, list | tuple):
                choices.update({str(k): v for k, v in label})
            else:
                choices[str(key)] = label
        for item in value if isinstance(value, list | tuple) else [value]:
            labels.append(str(choices.get(str(getattr(item, "pk", item)), item)))
    return labels
