"""The hub's content: resources (filters and facets), measures, mail templates, kits. Anonymous reads."""

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from resources.hub import FACET_NAMES, MAX_VALUES_PER_PARAMETER, Q_MAX_LENGTH, SORT_LABELS, HubQuery
from resources.models import (
    Audience,
    KitPage,
    MailTemplate,
    Measure,
    MeasurePage,
    ResourcePage,
    ResourceType,
    SectorCategory,
)
from resources.models.mail import split_placeholders

from .. import content
from ..http import (
    ApiPagination,
    clean_page_number,
    clean_page_size,
    latest,
)
from ..http import content_changed_at as pages_changed_at
from ..serializers import (
    KitQuerySerializer,
    KitSerializer,
    LocaleQuerySerializer,
    MailTemplateQuerySerializer,
    MailTemplateSerializer,
    MeasureSerializer,
    ResourceDetailSerializer,
    ResourceListSerializer,
    ResourceQuerySerializer,
)
from ..streamfield import block_value
from .base import ERRORS, NOT_FOUND, NOT_MODIFIED, ApiView, list_response, locale_of

TAXONOMY_FACETS = {"measure": Measure, "type": ResourceType, "audience": Audience, "sector": SectorCategory}


def resource_data(resource, request, cache, language, *, detail=False) -> dict:
    data = {
        "id": resource.pk,
        "title": resource.title,
        "slug": resource.slug,
        "url": content.absolute(request, resource.get_url(request=request)),
        "detail_url": request.build_absolute_uri(reverse("api:resource-detail", args=[resource.pk])),
        "locale": content.language_of(resource, cache),
        "alias_of": resource.alias_of_id,
        "summary": resource.summary,
        "type": content.term(resource.resource_type, language, cache),
        "measures": content.terms(resource.measures.all(), language, cache),
        "audiences": content.terms(resource.audiences.all(), language, cache),
        "sectors": content.terms(resource.sectors.all(), language, cache),
        "gaps": [content.gap(gap.pk, language) for gap in sorted(resource.gaps.all(), key=lambda gap: gap.pk)],
        "language": resource.language,
        "published_on": resource.published_on,
        "last_published_at": resource.last_published_at,
        "files": [f for f in (content.resource_file(f, request, cache) for f in resource.files.all()) if f],
    }
    if detail:
        context = {"request": request, "api_cache": cache}
        data["body"] = block_value(resource.body.stream_block, resource.body, context)
        related = (content.page_link(page.localized, request, cache) for page in resource.related_resources.all())
        data["related_resources"] = [link for link in related if link]
    return data


class ResourceListView(ApiView):
    @extend_schema(
        operation_id="resources_list",
        summary=gettext_lazy("Ressources du centre de ressources, avec les filtres et les compteurs du hub"),
        description=(
            gettext_lazy(
                "Mêmes filtres que la page Ressources : `measure`, `audience`, `type`, `sector`, `format`, `gap` "
                "(codes, répétables : valeurs d'un même filtre en OU, filtres en ET), `q` (plein texte), `sort` "
                "(`relevance` avec `q`, `recent` par défaut, `title`), `page` et `page_size` (12 par défaut). "
                "`facets` donne pour chaque valeur le nombre de ressources qu'on obtiendrait en l'ajoutant. "
                "Un code inconnu est une erreur 400 (le site, lui, l'ignore)."
            )
        ),
        tags=["resources"],
        parameters=[
            ResourceQuerySerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description=gettext_lazy("Numéro de page, à partir de 1.")),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=gettext_lazy("Résultats par page (1 à 100).")),
        ],
        responses={200: ResourceListSerializer, **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        params = request.query_params
        language = locale_of(params)
        page_number = clean_page_number(params)
        per_page = clean_page_size(params, 12, 100)
        with translation.override(language):
            query = HubQuery(params, language, per_page=per_page)
            self.check_parameters(query, params)
            page_obj, facets, _errors = query.run()
            if page_obj.number != page_number:
                raise exceptions.NotFound(_("Cette page n'existe pas : il y a moins de pages de résultats."))
        resources = list(page_obj.object_list)
        prefetch_related_objects(resources, "audiences", "sectors", "gaps")
        cache = {}
        for name, model in TAXONOMY_FACETS.items():
            cache[("terms", model, language)] = {term.id: term for term in query.catalogue[name]}
        results = [resource_data(resource, request, cache, language) for resource in resources]
        facet_data = [
            {
                "name": facet.name,
                "label": facet.label,
                "values": [
                    {"code": value.code, "label": value.label, "count": value.count, "selected": value.selected}
                    for value in facet.values
                ],
            }
            for facet in facets
        ]
        return list_response(request, page_obj.paginator.count, page_number, per_page, results, facets=facet_data)

    @staticmethod
    def check_parameters(query, params):
        """Unknown codes, too many values, a too long `q` or an unknown `sort`: 400 (the hub ignores them)."""
        errors = {}
        for name in FACET_NAMES:
            values = [value.strip() for value in params.getlist(name) if value.strip()]
            unknown = [value for value in values if value not in query.labels[name]]
            if unknown:
                errors[name] = [
                    _("Valeur inconnue : %(values)s.") % {"values": ", ".join(value[:50] for value in unknown[:5])}
                ]
            elif len(set(values)) > MAX_VALUES_PER_PARAMETER:
                errors[name] = [_("%(max)d valeurs au plus.") % {"max": MAX_VALUES_PER_PARAMETER}]
        if len(" ".join(" ".join(params.getlist("q")).split())) > Q_MAX_LENGTH:
            errors["q"] = [_("La recherche est limitée à %(max)d caractères.") % {"max": Q_MAX_LENGTH}]
        sort = params.get("sort", "")
        if sort and sort not in SORT_LABELS:
            errors["sort"] = [_("Tri inconnu : %(choices)s.") % {"choices": ", ".join(SORT_LABELS)}]
        if errors:
            raise serializers.ValidationError(errors)

    def get_last_modified(self):
        return pages_changed_at()


class ResourceDetailView(ApiView):
    @extend_schema(
        operation_id="resources_retrieve",
        summary=gettext_lazy("Une ressource, avec son contenu (StreamField) et ses ressources liées"),
        tags=["resources"],
        responses={200: ResourceDetailSerializer, **NOT_FOUND, 429: ERRORS[429], **NOT_MODIFIED},
    )
    def get(self, request, pk):
        resource = get_object_or_404(
            ResourcePage.objects.live().public().select_related("resource_type").prefetch_related("files__document"),
            pk=pk,
        )
        cache = {}
        language = content.language_of(resource, cache)
        return Response(resource_data(resource, request, cache, language, detail=True))

    def get_last_modified(self):
        return pages_changed_at()


class MeasureListView(ApiView):
    @extend_schema(
        operation_id="measures_list",
        summary=gettext_lazy("Les cinq mesures EGAlim, avec leur page explicative et le nombre de ressources"),
        tags=["resources"],
        parameters=[LocaleQuerySerializer],
        responses={200: MeasureSerializer(many=True), **ERRORS, **NOT_MODIFIED},
    )
    def get(self, request):
        language = self.query(LocaleQuerySerializer)["locale"]
        cache = {}
        measures = list(Measure.objects.filter(locale__language_code="fr").order_by("sort_order", "pk"))
        labels = content.terms_by_id(Measure, language, cache)
        pages = {
            page.measure_id: page for page in MeasurePage.objects.live().public().filter(locale__language_code=language)
        }
        resources = ResourcePage.objects.live().public().filter(locale__language_code=language)
        results = []
        for measure in measures:
            page = pages.get(measure.pk)
            page_data = None
            if page is not None:
                page_data = {
                    **(content.page_link(page, request, cache) or {}),
                    "summary": page.summary,
                    "since": page.since,
                }
                if "id" not in page_data:
                    page_data = None
            translated = measure.get_translation_or_none(content_locale(language)) if language != "fr" else None
            results.append(
                {
                    "code": measure.code,
                    "name": labels[measure.pk].label if measure.pk in labels else measure.name,
                    "description": (translated or measure).description,
                    "page": page_data,
                    "resource_count": resources.filter(measures=measure).count(),
                    "resources_url": request.build_absolute_uri(
                        reverse("api:resource-list") + f"?measure={measure.code}&locale={language}"
                    ),
                }
            )
        return Response(results)

    def get_last_modified(self):
        return pages_changed_at()


def content_locale(language):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()


class MailTemplateListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="mail_templates_list",
        summary=gettext_lazy("Modèles de mail (objet, corps et variables {{ … }})"),
        tags=["resources"],
        parameters=[MailTemplateQuerySerializer],
        responses={200: MailTemplateSerializer(many=True), **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        params = self.query(MailTemplateQuerySerializer)
        language = params["locale"]
        templates = (
            MailTemplate.objects.filter(locale__language_code=language, live=True)
            .select_related("audience")
            .prefetch_related("measures")
            .order_by("name", "pk")
        )
        if params.get("audience"):
            templates = templates.filter(audience__code=params["audience"])
        if params.get("measure"):
            templates = templates.filter(measures__code=params["measure"]).distinct()
        page = self.paginate_queryset(templates)
        cache = {}
        results = [
            {
                "id": template.pk,
                "code": template.code,
                "name": template.name,
                "locale": language,
                "audience": content.term(template.audience, language, cache),
                "measures": content.terms(template.measures.all(), language, cache),
                "subject": template.subject,
                "body": template.body,
                "placeholders": list(dict.fromkeys(split_placeholders(template.placeholders))),
            }
            for template in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        from wagtail.models import ModelLogEntry

        return latest((ModelLogEntry.objects.all(), "timestamp"))


class KitListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="kits_list",
        summary=gettext_lazy("Kits (ressources, documents et modèles de mail pour un public, téléchargeables en ZIP)"),
        tags=["resources"],
        parameters=[KitQuerySerializer],
        responses={200: KitSerializer(many=True), **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        from ..wagtail import KitItemsField

        params = self.query(KitQuerySerializer)
        language = params["locale"]
        kits = KitPage.objects.live().public().filter(locale__language_code=language).order_by("title", "pk")
        if params.get("audience"):
            kits = kits.filter(audience__code=params["audience"])
        page = self.paginate_queryset(kits.select_related("audience"))
        cache = {}
        items = KitItemsField()
        items._context = {"request": request, "api_cache": cache}
        results = [
            {
                "id": kit.pk,
                "title": kit.title,
                "url": content.absolute(request, kit.get_url(request=request)),
                "locale": language,
                "introduction": kit.introduction,
                "audience": content.term(kit.audience, language, cache),
                "items": items.to_representation(kit),
                "zip_url": content.absolute(request, kit.zip_url),
            }
            for kit in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        return pages_changed_at()
