"""A canteen's public page, /cantines/<id>-<slug>/: its published years (docs/decisions/0006-canteen-public-page.md).

It lives with the registry and the map: territories owns /cantines/, the public face of the canteens
(docs/decisions/0011-url-prefixes.md); the manager's pages are canteens' (/mes-cantines/)."""

from django.shortcuts import get_object_or_404, redirect, render

from canteens.models import Canteen
from diagnostic.summary import summary
from egalim.rules import RuleInputError


def canteen_page(request, pk, slug):
    canteen = get_object_or_404(Canteen.objects.public(), pk=pk)
    if slug != canteen.slug:
        return redirect(canteen.get_public_url(), permanent=True)
    published = list(canteen.diagnostics.filter(is_published=True).order_by("-year"))
    years = []
    for diagnostic in published:
        try:
            result = summary(diagnostic.evaluate(canteen))
        except RuleInputError:  # published all the same (Canteen.objects.listed()): the year, its figures unknown
            result = None
        years.append({"diagnostic": diagnostic, "result": result})
    return render(request, "territories/canteen.html", {"canteen": canteen, "years": years})
