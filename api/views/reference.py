"""Reference lists of /api/v1/reference/ (the codes the API accepts and returns) and territory statistics.

- `GET /api/v1/reference/`: the lists, each at `/api/v1/reference/<name>/` (`sectors`, `ministries`,
  `production-types`, `management-types`, `economic-models`, `families`, `labels`, `campaigns`);
  `?lang=en` (or `Accept-Language: en`) for the English labels.

The statistics endpoint is in api/views/statistics.py.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from canteens.choices import SECTOR_CATEGORIES, SECTORS, EconomicModel, Management, Ministry, Production
from canteens.models import Campaign
from egalim.rules import FAMILIES, LABEL_GROUPS

from .base import ERRORS, NOT_FOUND, ApiView


def _choices(choices):
    return [{"code": value, "label": str(label)} for value, label in choices]


def _sectors():
    return [
        {"code": code, "label": str(label), "category": category, "category_label": str(SECTOR_CATEGORIES[category])}
        for code, (category, label) in SECTORS.items()
    ]


def _families():
    return [{"code": code, "label": str(label)} for code, label in FAMILIES.items()]


def _labels():
    results = []
    for group in LABEL_GROUPS.values():
        for label in group.labels:
            results.append(
                {
                    "code": label.code,
                    "label": str(label.label),
                    "group": group.code,
                    "group_label": str(group.label),
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
        summary=gettext_lazy("Listes de référence"),
        description=gettext_lazy("Les listes de codes acceptés et renvoyés par l'API, chacune à son adresse."),
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
        summary=gettext_lazy("Une liste de référence"),
        description=gettext_lazy(
            "`sectors`, `ministries`, `production-types`, `management-types`, `economic-models`, "
            "`families`, `labels`, `campaigns` : chaque élément a un `code` et un `label` (plus, selon la liste, sa "
            "catégorie, son groupe ou ses dates)."
        ),
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
