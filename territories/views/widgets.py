"""Embeddable widgets: an officer's list, edit and delete, the framed widget and its logo."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .. import dashboard as dashboards
from .. import maps, officers, opendata
from ..forms import WidgetForm, text_colour_on
from ..models import LOGO_EXTENSIONS, Widget
from .registry import map_context
from .shared import pagination_links

WIDGET_PAGE_SIZE = 20


def _own_widgets(request, scope):
    widgets = Widget.objects.select_related("region", "department")
    return widgets if scope.national else widgets.filter(owner=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def widget_list(request):
    scope = officers.scope_for(request.user)
    form = WidgetForm(scope, request.POST or None, request.FILES or None, instance=Widget(owner=request.user))
    if request.method == "POST" and form.is_valid():
        widget = form.save()
        messages.success(request, _("Le widget « %(title)s » est créé.") % {"title": widget.title})
        return redirect("territories:widget_edit", pk=widget.pk)
    return render(
        request, "territories/widget_list.html", {"form": form, "widgets": _own_widgets(request, scope), "scope": scope}
    )


@login_required
@require_http_methods(["GET", "POST"])
def widget_edit(request, pk):
    scope = officers.scope_for(request.user)
    widget = get_object_or_404(_own_widgets(request, scope), pk=pk)
    if request.method == "POST" and request.POST.get("delete") == "1":  # from the confirmation page
        widget.logo.delete(save=False)
        widget.delete()
        messages.success(request, _("Le widget est supprimé."))
        return redirect("territories:widget_list")
    form = WidgetForm(scope, request.POST or None, request.FILES or None, instance=widget)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le widget est enregistré."))
        return redirect("territories:widget_edit", pk=widget.pk)
    url = request.build_absolute_uri(widget.get_absolute_url())
    snippet = (
        f'<iframe src="{escape(url)}" title="{escape(widget.title)}" width="100%" height="600" '
        f'style="border: 0;" loading="lazy"></iframe>'
    )
    from django.templatetags.static import static

    script = (
        f'<script src="{escape(request.build_absolute_uri(static("territories/embed.js")))}" '
        f'data-widget="{escape(url)}" data-title="{escape(widget.title)}" async></script>'
    )
    return render(
        request,
        "territories/widget_edit.html",
        {"form": form, "widget": widget, "snippet": snippet, "script_snippet": script},
    )


@login_required
@require_http_methods(["GET"])
def widget_delete(request, pk):
    """The confirmation page of a widget's deletion; its form posts `delete=1` to the widget's page."""
    scope = officers.scope_for(request.user)
    widget = get_object_or_404(_own_widgets(request, scope), pk=pk)
    return render(
        request,
        "confirm.html",
        {
            "confirm_title": _("Supprimer le widget « %(title)s » ?") % {"title": widget.title},
            "confirm_text": _(
                "Les sites qui l'intègrent afficheront une page introuvable à sa place. La suppression est définitive."
            ),
            "confirm_label": _("Supprimer le widget"),
            "action_url": reverse("territories:widget_edit", args=[widget.pk]),
            "cancel_url": reverse("territories:widget_edit", args=[widget.pk]),
            "confirm_fields": [("delete", "1")],
        },
    )


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cache_control(public=True, max_age=300)
def widget(request, pk):
    """The embeddable list: the only pages other sites may frame (no X-Frame-Options, CSP frame-ancestors *)."""
    import json

    widget = get_object_or_404(Widget.objects.select_related("region", "department"), pk=pk)
    territory = widget.territory
    filters = widget.map_filters()
    queryset = maps.filtered(filters).select_related("canteen").order_by("name", "canteen_id")
    page = Paginator(queryset, WIDGET_PAGE_SIZE).get_page(request.GET.get("page"))
    base = opendata.site_url(request)
    for stats in page.object_list:
        stats.public_url = base + stats.canteen.get_public_url()
        stats.bio_text = dashboards.rate_text(stats.bio_rate)
        stats.egalim_text = dashboards.rate_text(stats.egalim_rate)
    style = (
        f"--widget-primary: {widget.primary_colour}; --widget-secondary: {widget.secondary_colour}; "
        f"--widget-on-primary: {text_colour_on(widget.primary_colour)};"
    )
    return render(
        request,
        "territories/widget.html",
        {
            "widget": widget,
            "territory": territory,
            "page": page,
            "pagination": pagination_links(page, request),
            "style": style,
            "site_url": base,
            **(map_context(request, filters) if widget.shows_map else {}),
            "bounds": json.dumps(maps.bounds(filters) or maps.territory_bounds(territory)) if widget.shows_map else "",
            "map_link_target": "_blank",
            "map_site_url": base,
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def widget_logo(request, pk):
    widget = get_object_or_404(Widget, pk=pk)
    if not widget.logo or widget.logo_type not in ("image/png", "image/jpeg", "image/webp"):
        raise Http404("no logo")
    response = FileResponse(widget.logo.open("rb"), content_type=widget.logo_type)
    # the verified type only, never sniffed, never a document that could run anything (docs/exploitation.md)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="logo.{LOGO_EXTENSIONS[widget.logo_type]}"'
    return response
