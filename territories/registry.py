"""The public canteen search (/cantines/): published canteens, filtered and sorted on CanteenStats.

Every filter is a column of `territories.CanteenStats` (one row per canteen, refreshed on save), so a page costs
the same few queries whatever the number of canteens: the count, the page (joined to the canteen) and the two
lists of the territory choices.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import DsfrFormMixin
from canteens.choices import SECTOR_CATEGORIES, Management, Production

from .models import CanteenStats, Department, Region
from .params import english_names
from .stats import in_territory

PAGE_SIZE = 20

SORTS = {
    "name": (_("Nom"), [F("name").asc(), F("canteen_id").asc()]),
    "bio": (_("Part de bio (décroissante)"), [F("bio_sort").desc(), F("canteen_id").asc()]),
    "egalim": (_("Part EGAlim (décroissante)"), [F("egalim_sort").desc(), F("canteen_id").asc()]),
    "meals": (_("Couverts par jour (décroissant)"), [F("daily_meal_count").desc(), F("canteen_id").asc()]),
    "department": (_("Département"), [F("department_id").asc(), F("name").asc(), F("canteen_id").asc()]),
}


def region_choices():
    return list(Region.objects.values_list("code", "name"))


def department_choices():
    """Departments grouped by region (<optgroup>), the three collectivities without a region at the end."""
    groups = {}
    # nulls_last: SQLite (make run) sorts NULL first, which listed 975, 977 and 978 before 01
    for code, name, region in Department.objects.values_list("code", "name", "region__name").order_by(
        F("region__name").asc(nulls_last=True), "code"
    ):
        groups.setdefault(region or _("Collectivités d'outre-mer"), []).append((code, f"{code} — {name}"))
    return list(groups.items())


class SearchForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(label=_("Nom ou commune"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    commune = forms.RegexField(
        label=_("Commune (code INSEE)"),
        regex=r"^(\d{5}|2[ABab]\d{3})$",
        required=False,
        error_messages={"invalid": _("Un code INSEE de commune a 5 caractères, par exemple 35238.")},
    )
    epci = forms.RegexField(
        label=_("EPCI (SIREN)"),
        required=False,
        regex=r"^\d{9}$",
        help_text=_("Intercommunalité : les 9 chiffres de son SIREN, par exemple 243500139 pour Rennes Métropole."),
    )
    sector = forms.ChoiceField(
        label=_("Catégorie de secteur"),
        required=False,
        choices=[("", _("Toutes"))] + list(SECTOR_CATEGORIES.items()),
    )
    management = forms.ChoiceField(
        label=_("Mode de gestion"), required=False, choices=[("", _("Tous"))] + list(Management.choices)
    )
    production = forms.ChoiceField(
        label=_("Type de production"), required=False, choices=[("", _("Tous"))] + list(Production.choices)
    )
    min_meals = forms.IntegerField(label=_("Couverts par jour, au moins"), required=False, min_value=0)
    max_meals = forms.IntegerField(label=_("Couverts par jour, au plus"), required=False, min_value=0)
    bio_min = forms.DecimalField(
        label=_("Part de bio, au moins (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    egalim_min = forms.DecimalField(
        label=_("Part EGAlim, au moins (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    objectives = forms.BooleanField(label=_("Objectifs d'achats EGAlim atteints"), required=False)
    sort = forms.ChoiceField(
        label=_("Trier par"), required=False, choices=[(key, label) for key, (label, _order) in SORTS.items()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes"))] + region_choices()
        self.fields["department"].choices = [("", _("Tous"))] + department_choices()

    def clean(self):
        data = super().clean()
        low, high = data.get("min_meals"), data.get("max_meals")
        if low is not None and high is not None and high < low:
            self.add_error("max_meals", _("Le maximum doit être supérieur ou égal au minimum."))
        return data


def search(data) -> tuple[SearchForm, object]:
    """The bound form and the filtered, sorted queryset (invalid fields are ignored, and shown as errors).
    The French parameter names of the first version are accepted (territories/params.py)."""
    form = SearchForm(english_names(data))
    form.is_valid()
    values = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    queryset = CanteenStats.objects.filter(listed=True)
    if values.get("q"):
        queryset = queryset.filter(Q(name__icontains=values["q"]) | Q(city__icontains=values["q"]))
    queryset = in_territory(
        queryset,
        region=values.get("region"),
        department=values.get("department"),
        epci=values.get("epci"),
        commune=values.get("commune"),
        sector=values.get("sector"),
    )
    if values.get("management"):
        queryset = queryset.filter(management_type=values["management"])
    if values.get("production"):
        queryset = queryset.filter(production_type=values["production"])
    if values.get("min_meals") is not None:
        queryset = queryset.filter(daily_meal_count__gte=values["min_meals"])
    if values.get("max_meals") is not None:
        queryset = queryset.filter(daily_meal_count__lte=values["max_meals"])
    if values.get("bio_min") is not None:
        queryset = queryset.filter(bio_rate__gte=values["bio_min"])
    if values.get("egalim_min") is not None:
        queryset = queryset.filter(egalim_rate__gte=values["egalim_min"])
    if values.get("objectives"):
        queryset = queryset.filter(objectives_met=True)
    order = SORTS[values.get("sort") or "name"][1]
    return form, queryset.order_by(*order)


def page_of(queryset, number):
    """The page `number`: the count, the page's ids (an index scan, cheap even deep in the list), then its rows
    with their canteen and department: three queries whatever the page."""
    paginator = Paginator(queryset.values_list("canteen_id", flat=True), PAGE_SIZE)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = {
        row.canteen_id: row
        for row in CanteenStats.objects.filter(canteen_id__in=ids)
        .select_related("canteen", "department")
        .only(
            "canteen_id",
            "name",
            "department_id",
            "department__name",
            "sector_mask",
            "daily_meal_count",
            "published_year",
            "bio_rate",
            "egalim_rate",
            "objectives_met",
            "canteen__name",
            "canteen__city",
            "canteen__city_insee_code",
        )
    }
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
