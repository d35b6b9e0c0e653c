"""`GET /api/v1/statistics/?year=&region=&department=&epci=`: the territory dashboards' figures in JSON, for a
campaign whose results an administrator has published (`CampaignPublication`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from canteens.choices import SECTOR_CATEGORIES
from egalim.rules import FIRST_YEAR, LAST_YEAR

from .base import ERRORS, NOT_FOUND, NOT_MODIFIED, ApiView


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
        summary=gettext_lazy("Statistiques d'un territoire pour une campagne publiée"),
        description=gettext_lazy(
            "Les chiffres des tableaux de bord : cantines inscrites, télédéclarations, taux agrégés "
            "(somme des achats sur somme des totaux, en %), part des déclarations atteignant leurs objectifs, par "
            "catégorie de secteur. Sans `year` : la dernière campagne dont les résultats sont publiés. 404 pour une "
            "campagne non publiée."
        ),
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
