"""Reference lists of /api/v1/reference/ (the codes the API accepts and returns) and territory statistics.

- `GET /api/v1/reference/`: the lists, each at `/api/v1/reference/<name>/` (`sectors`, `ministries`,
  `production-types`, `management-types`, `economic-models`, `families`, `labels`, `campaigns`);
  `?lang=en` (or `Accept-Language: en`) for the English labels.
- `GET /api/v1/statistics/?year=&region=&department=&epci=`: the dashboards' figures in JSON, for a campaign
  whose results an administrator has published (`CampaignPublication`).

To move into api/views/reference.py and api/views/statistics.py with the split of api/views.py (issue 20).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from canteens.choices import SECTOR_CATEGORIES, SECTORS, EconomicModel, Management, Ministry, Production
from canteens.models import Campaign
from egalim.rules import FAMILIES, FIRST_YEAR, LABEL_GROUPS, LAST_YEAR

from .views import ERRORS, NOT_FOUND, NOT_MODIFIED, ApiView


def _english():
    return (translation.get_language() or "fr").startswith("en")


def _choices(choices):
    return [{"code": value, "label": str(label)} for value, label in choices]


def _sectors():
    return [
        {"code": code, "label": str(label), "category": category, "category_label": str(SECTOR_CATEGORIES[category])}
        for code, (category, label) in SECTORS.items()
    ]


def _families():
    english = _english()
    return [
        {"code": code, "label": english_label if english else str(french)}
        for code, (french, english_label) in FAMILIES.items()
    ]


def _labels():
    english = _english()
    results = []
    for group in LABEL_GROUPS.values():
        for label in group.labels:
            results.append(
                {
                    "code": label.code,
                    "label": label.label_for("en" if english else "fr"),
                    "group": group.code,
                    "group_label": group.label_for("en" if english else "fr"),
                    "last_year": label.last_year,
                }
            )
    return results


def _campaigns():
    results = []
    for campaign in Campaign.objects.order_by("-year").select_related("publication"):
        results.append(
            {
                "code": str(campaign.year),
                "label": str(campaign),
                "year": campaign.year,
                "declaration_start": campaign.declaration_start,
                "declaration_end": campaign.declaration_end,
                "correction_start": campaign.correction_start,
                "correction_end": campaign.correction_end,
                "closed_on": campaign.closed_on,
                "phase": campaign.phase(),
                "results_published": hasattr(campaign, "publication"),
            }
        )
    return results


REFERENCE_LISTS = {
    "sectors": (lambda: _("Secteurs"), _sectors),
    "ministries": (lambda: _("Ministères de tutelle"), lambda: _choices(Ministry.choices)),
    "production-types": (lambda: _("Types de production"), lambda: _choices(Production.choices)),
    "management-types": (lambda: _("Modes de gestion"), lambda: _choices(Management.choices)),
    "economic-models": (lambda: _("Modèles économiques"), lambda: _choices(EconomicModel.choices)),
    "families": (lambda: _("Familles de produits"), _families),
    "labels": (lambda: _("Labels et signes de qualité"), _labels),
    "campaigns": (lambda: _("Campagnes de télédéclaration et leurs dates"), _campaigns),
}


class ReferenceIndexSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class ReferenceItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ReferenceListSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    results = serializers.ListField(child=serializers.DictField())


class LangQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=["fr", "en"], required=False)


class ReferenceView(ApiView):
    def activate(self, request):
        params = self.query(LangQuerySerializer)
        lang = params.get("lang") or (
            "en" if translation.get_language_from_request(request._request).startswith("en") else "fr"
        )
        translation.activate(lang)


class ReferenceIndexView(ReferenceView):
    @extend_schema(
        operation_id="reference_index",
        summary="Listes de référence",
        description="Les listes de codes acceptés et renvoyés par l'API, chacune à son adresse.",
        tags=["reference"],
        parameters=[LangQuerySerializer],
        responses={200: ReferenceIndexSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        self.activate(request)
        return Response(
            [
                {
                    "name": name,
                    "title": str(title()),
                    "url": request.build_absolute_uri(reverse("api:reference-detail", args=[name])),
                }
                for name, (title, _items) in REFERENCE_LISTS.items()
            ]
        )


class ReferenceDetailView(ReferenceView):
    @extend_schema(
        operation_id="reference_retrieve",
        summary="Une liste de référence",
        description="`sectors`, `ministries`, `production-types`, `management-types`, `economic-models`, "
        "`families`, `labels`, `campaigns` : chaque élément a un `code` et un `label` (plus, selon la liste, sa "
        "catégorie, son groupe ou ses dates).",
        tags=["reference"],
        parameters=[LangQuerySerializer],
        responses={200: ReferenceListSerializer, **ERRORS, **NOT_FOUND},
    )
    def get(self, request, name):
        if name not in REFERENCE_LISTS:
            raise exceptions.NotFound(_("Liste inconnue : %(names)s.") % {"names": ", ".join(REFERENCE_LISTS)})
        self.activate(request)
        title, items = REFERENCE_LISTS[name]
        return Response({"name": name, "title": str(title()), "results": items()})


# --- statistics ---------------------------------------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    region = serializers.RegexField(r"^[0-9]{2,3}$", required=False)
    department = serializers.RegexField(r"^(?:[0-9]{2,3}|2[AB])$", required=False)
    epci = serializers.RegexField(r"^[0-9]{9}$", required=False)


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    territory = serializers.DictField()
    canteens = serializers.IntegerField()
    declarations = serializers.IntegerField()
    participation = serializers.CharField(allow_null=True)
    rates = serializers.DictField(child=serializers.CharField(allow_null=True))
    objectives_met = serializers.IntegerField()
    objectives_met_share = serializers.CharField(allow_null=True)
    sector_categories = serializers.DictField()
    method = serializers.CharField()


def _rate(value):
    return None if value is None else f"{value:.2f}"


class StatisticsView(ApiView):
    @extend_schema(
        operation_id="statistics_retrieve",
        summary="Statistiques d'un territoire pour une campagne publiée",
        description="Les chiffres des tableaux de bord : cantines inscrites, télédéclarations, taux agrégés "
        "(somme des achats sur somme des totaux, en %), part des déclarations atteignant leurs objectifs, par "
        "catégorie de secteur. Sans `year` : la dernière campagne dont les résultats sont publiés. 404 pour une "
        "campagne non publiée.",
        tags=["statistics"],
        parameters=[StatisticsQuerySerializer],
        responses={200: StatisticsSerializer, **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        from territories.models import CampaignPublication, CanteenStats, DeclarationStats
        from territories.stats import canteen_counts, pooled

        params = self.query(StatisticsQuerySerializer)
        published = CampaignPublication.objects.select_related("campaign")
        if params.get("year"):
            publication = published.filter(campaign__year=params["year"]).first()
        else:
            publication = published.order_by("-campaign__year").first()
        if publication is None:
            raise exceptions.NotFound(_("Les résultats de cette campagne ne sont pas publiés."))
        year = publication.campaign.year
        canteens = CanteenStats.objects.all()
        stats = DeclarationStats.objects.filter(year=year)
        territory = {}
        for key, column in (("region", "region_id"), ("department", "department_id")):
            if params.get(key):
                canteens = canteens.filter(**{column: params[key]})
                stats = stats.filter(**{column: params[key]})
                territory[key] = params[key]
        if params.get("epci"):
            canteens = canteens.filter(canteen__epci=params["epci"])
            stats = stats.filter(canteen__epci=params["epci"])
            territory["epci"] = params["epci"]
        counts = canteen_counts(canteens, by_category=True)
        figures = pooled(stats, by_category=True)
        declarations = figures["declarations"]
        participation = None
        if counts["canteens"]:
            participation = _rate(100 * declarations / counts["canteens"])
        return Response(
            {
                "year": year,
                "territory": territory,
                "canteens": counts["canteens"],
                "declarations": declarations,
                "participation": participation,
                "rates": {key: _rate(figures[key]) for key in ("bio", "egalim", "meat_fish_egalim")},
                "objectives_met": figures["met"],
                "objectives_met_share": _rate(figures["met_share"]),
                "sector_categories": {
                    code: {
                        "label": str(label),
                        "canteens": counts[code],
                        "declarations": figures["categories"][code]["declarations"],
                        "bio": _rate(figures["categories"][code]["bio"]),
                        "egalim": _rate(figures["categories"][code]["egalim"]),
                    }
                    for code, label in SECTOR_CATEGORIES.items()
                },
                "method": str(
                    _(
                        "Taux agrégés : somme des montants déclarés sur somme des totaux, déclarations en cours de "
                        "la campagne (une par cantine ; une cuisine centrale déclarant pour ses satellites compte "
                        "une fois)."
                    )
                ),
            }
        )
