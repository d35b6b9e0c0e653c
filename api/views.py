"""Product endpoints of /api/v1/: resources (the hub's filters and facets), measures, mail templates, kits,
canteens (published ones), and the token-authenticated endpoints of canteen managers.

Every view: JSON only, errors `{"errors": {...}}`, rate limit per IP (reads and writes counted apart),
ETag/Last-Modified on reads. Read endpoints are anonymous; `me/canteens/` and the diagnostics endpoint need
an API token with the right scope (`Authorization: Bearer mc_…`).
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from canteens.api import public_data
from canteens.models import Canteen, YearlyDiagnostic
from canteens.permissions import EDIT, get_canteen_for
from diagnostic.api import JSONParser
from diagnostic.rules import PURCHASE_FIELDS, RuleInputError, evaluate
from diagnostic.serializers import ErrorsSerializer
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

from . import content
from .authentication import BearerTokenAuthentication, HasScope
from .http import (
    ApiPagination,
    ConditionalGetMixin,
    IPRateThrottle,
    JSONOnly,
    ThrottleFirstMixin,
    clean_page_number,
    clean_page_size,
    latest,
)
from .http import content_changed_at as pages_changed_at
from .models import CANTEENS_READ, DIAGNOSTICS_WRITE
from .serializers import (
    LOCALES,
    CanteenDetailSerializer,
    CanteenQuerySerializer,
    CanteenSerializer,
    CreatedDiagnosticSerializer,
    DiagnosticInputSerializer,
    KitQuerySerializer,
    KitSerializer,
    LocaleQuerySerializer,
    MailTemplateQuerySerializer,
    MailTemplateSerializer,
    ManagedCanteenSerializer,
    MeasureSerializer,
    ResourceDetailSerializer,
    ResourceListSerializer,
    ResourceQuerySerializer,
)
from .streamfield import block_value

TAXONOMY_FACETS = {"measure": Measure, "type": ResourceType, "audience": Audience, "sector": SectorCategory}
ERRORS = {
    400: OpenApiResponse(ErrorsSerializer, description="Paramètres invalides : messages par paramètre."),
    429: OpenApiResponse(ErrorsSerializer, description="Trop de requêtes depuis cette adresse IP (Retry-After)."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorsSerializer, description="Introuvable (ou non publié).")}
NOT_MODIFIED = {304: OpenApiResponse(description="Non modifié depuis l'ETag ou la date envoyés.")}


class ApiView(ThrottleFirstMixin, ConditionalGetMixin, GenericAPIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]  # a body nested too deeply is a 400, not a RecursionError
    content_negotiation_class = JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [IPRateThrottle]

    def query(self, serializer_class):
        """The validated query parameters (400 with one message per parameter otherwise)."""
        query = serializer_class(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return query.validated_data

    def context(self):
        return {"request": self.request, "api_cache": {}}


def locale_of(params) -> str:
    value = params.get("locale", "fr")
    if value not in LOCALES:
        raise serializers.ValidationError({"locale": [_("Langue inconnue : fr ou en.")]})
    return value


def list_response(request, count, page_number, per_page, results, **extra):
    url = request.build_absolute_uri()
    has_next = page_number * per_page < count
    previous = None
    if page_number > 1:
        previous = (
            replace_query_param(url, "page", page_number - 1) if page_number > 2 else remove_query_param(url, "page")
        )
    return Response(
        {
            "count": count,
            "next": replace_query_param(url, "page", page_number + 1) if has_next else None,
            "previous": previous,
            "results": results,
            **extra,
        }
    )


# --- resources --------------------------------------------------------------------------------------------


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
        summary="Ressources du centre de ressources, avec les filtres et les compteurs du hub",
        description=(
            "Mêmes filtres que la page Ressources : `measure`, `audience`, `type`, `sector`, `format`, `gap` "
            "(codes, répétables : valeurs d'un même filtre en OU, filtres en ET), `q` (plein texte), `sort` "
            "(`relevance` avec `q`, `recent` par défaut, `title`), `page` et `page_size` (12 par défaut). "
            "`facets` donne pour chaque valeur le nombre de ressources qu'on obtiendrait en l'ajoutant. "
            "Un code inconnu est une erreur 400 (le site, lui, l'ignore)."
        ),
        tags=["resources"],
        parameters=[
            ResourceQuerySerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description="Numéro de page, à partir de 1."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Résultats par page (1 à 100)."),
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
        summary="Une ressource, avec son contenu (StreamField) et ses ressources liées",
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


# --- measures, mail templates, kits ---------------------------------------------------------------------


class MeasureListView(ApiView):
    @extend_schema(
        operation_id="measures_list",
        summary="Les cinq mesures EGAlim, avec leur page explicative et le nombre de ressources",
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
        summary="Modèles de mail (objet, corps et variables {{ … }})",
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
        summary="Kits (ressources, documents et modèles de mail pour un public, téléchargeables en ZIP)",
        tags=["resources"],
        parameters=[KitQuerySerializer],
        responses={200: KitSerializer(many=True), **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        from .wagtail import KitItemsField

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


# --- canteens ---------------------------------------------------------------------------------------------


def published_canteens():
    from territories.stats import HIDDEN_MINISTRIES  # armed forces canteens are never public

    published = YearlyDiagnostic.objects.filter(canteen=OuterRef("pk"), is_published=True)
    return Canteen.objects.filter(Exists(published)).exclude(line_ministry__in=HIDDEN_MINISTRIES)


def canteens_changed_at():
    return latest((Canteen.objects.all(), "updated_at"), (YearlyDiagnostic.objects.all(), "updated_at"))


class CanteenListView(ApiView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="canteens_list",
        summary="Cantines publiées (au moins une année de diagnostic publiée)",
        description="Filtres : `department`, `region` (code INSEE), `sector`, `management`, `production`; "
        "`q` cherche dans le nom et le début du SIRET.",
        tags=["canteens"],
        parameters=[CanteenQuerySerializer],
        responses={200: CanteenSerializer(many=True), **ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        params = self.query(CanteenQuerySerializer)
        canteens = published_canteens()
        if params.get("department"):
            canteens = canteens.filter(department=params["department"])
        if params.get("region"):
            canteens = canteens.filter(territory_department__region_id=params["region"])
        if params.get("sector"):
            code = params["sector"]
            canteens = canteens.filter(Q(sectors__0=code) | Q(sectors__1=code) | Q(sectors__2=code))
        if params.get("management"):
            canteens = canteens.filter(management_type=params["management"])
        if params.get("production"):
            canteens = canteens.filter(production_type=params["production"])
        q = " ".join(params.get("q", "").split())
        if q:
            digits = q.replace(" ", "")
            condition = Q(name__icontains=q)
            if digits.isdigit():
                condition |= Q(siret__startswith=digits)
            canteens = canteens.filter(condition)
        published = YearlyDiagnostic.objects.filter(is_published=True).only("canteen_id", "year").order_by("-year")
        canteens = (
            canteens.order_by("name", "pk")
            .select_related("territory_department")
            .prefetch_related(Prefetch("diagnostics", published, "published"))
        )
        page = self.paginate_queryset(canteens)
        results = [
            {
                "id": canteen.pk,
                "name": canteen.name,
                "siret": canteen.siret,
                "city": canteen.city,
                "city_insee_code": canteen.city_insee_code,
                "department": canteen.department,
                "region": canteen.territory_department.region_id if canteen.territory_department else None,
                "sectors": list(canteen.sectors or []),
                "management_type": canteen.management_type,
                "production_type": canteen.production_type,
                "daily_meal_count": canteen.daily_meal_count,
                "public_url": request.build_absolute_uri(canteen.get_public_url()),
                "detail_url": request.build_absolute_uri(reverse("api:canteen-public", args=[canteen.pk])),
                "published_years": [diagnostic.year for diagnostic in canteen.published],
            }
            for canteen in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        return canteens_changed_at()


class CanteenDetailView(ApiView):
    @extend_schema(
        operation_id="canteens_retrieve",
        summary="Chiffres publics d'une cantine publiée",
        description="Taux (en %, tronqués à deux décimales) et statut des mesures des années publiées par ses "
        "gestionnaires : les mêmes données que la page /cantines/<id>-<slug>/. 404 pour une cantine sans "
        "année publiée.",
        tags=["canteens"],
        responses={200: CanteenDetailSerializer, **NOT_FOUND, 429: ERRORS[429], **NOT_MODIFIED},
    )
    def get(self, request, pk):
        canteen = get_object_or_404(published_canteens(), pk=pk)
        data = public_data(canteen, request)
        department = canteen.territory_department
        data["region"] = department.region_id if department else None
        return Response(data)

    def get_last_modified(self):
        return canteens_changed_at()


# --- token-authenticated endpoints ------------------------------------------------------------------------

AUTH_ERRORS = {
    401: OpenApiResponse(ErrorsSerializer, description="Jeton absent, inconnu ou révoqué."),
    403: OpenApiResponse(ErrorsSerializer, description="Le jeton n'a pas le droit nécessaire."),
}


def diagnostic_data(diagnostic) -> dict:
    return {
        "canteen": diagnostic.canteen_id,
        "year": diagnostic.year,
        "mode": diagnostic.mode,
        "is_published": diagnostic.is_published,
        "purchases": {
            name: None if getattr(diagnostic, name) is None else f"{getattr(diagnostic, name):.2f}"
            for name in PURCHASE_FIELDS
        },
        "answers": diagnostic.answers or {},
        "updated_at": diagnostic.updated_at,
    }


class TokenView(ApiView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasScope]


class ManagedCanteenListView(TokenView):
    required_scopes = [CANTEENS_READ]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="me_canteens_list",
        summary="Mes cantines et tous leurs diagnostics (publiés ou non)",
        description="Droit `canteens:read`. Les cantines dont l'utilisateur du jeton est gestionnaire.",
        tags=["me"],
        responses={200: ManagedCanteenSerializer(many=True), **ERRORS, **AUTH_ERRORS, **NOT_FOUND, **NOT_MODIFIED},
    )
    def get(self, request):
        canteens = (
            Canteen.objects.managed_by(request.user)
            .order_by("name", "pk")
            .prefetch_related(Prefetch("diagnostics", YearlyDiagnostic.objects.order_by("-year")))
        )
        page = self.paginate_queryset(canteens)
        results = [
            {
                "id": canteen.pk,
                "name": canteen.name,
                "siret": canteen.siret,
                "department": canteen.department,
                "diagnostics": [diagnostic_data(diagnostic) for diagnostic in canteen.diagnostics.all()],
            }
            for canteen in page
        ]
        return self.get_paginated_response(results)

    def get_last_modified(self):
        canteens = Canteen.objects.managed_by(self.request.user)
        return latest((canteens, "updated_at"), (YearlyDiagnostic.objects.filter(canteen__in=canteens), "updated_at"))


def stored_answers(answers) -> dict:
    """The API's answers as the canteen pages store them: no null, plastic containers split in two."""
    stored = {}
    for measure, values in (answers or {}).items():
        if not values:
            continue
        values = {name: value for name, value in values.items() if value is not None}
        if measure == "plastic" and "containers" in values:
            containers = values.pop("containers")
            values.setdefault("cooking_containers", containers)
            values.setdefault("serving_containers", containers)
        if "actions" in values:
            values["actions"] = list(values["actions"])
        if values:
            stored[measure] = values
    return stored


class CanteenDiagnosticCreateView(TokenView):
    required_scopes = [DIAGNOSTICS_WRITE]
    serializer_class = DiagnosticInputSerializer  # OPTIONS describes the body (DRF's metadata needs it)

    @extend_schema(
        operation_id="canteens_diagnostics_create",
        summary="Créer le diagnostic d'une année pour une cantine que je gère",
        description=(
            "Droit `diagnostics:write`. Le corps est celui de `POST /api/v1/egalim/evaluate/` sans ce que la "
            "cantine donne déjà (département, restaurant d'État, repas) : `year`, `purchases` ou "
            "`purchases_by_family`, `answers`, avec les mêmes contrôles. Le diagnostic n'est pas publié. "
            "403 pour une cantine que l'utilisateur du jeton ne gère pas (qu'elle existe ou non) ; 409 si "
            "l'année existe déjà."
        ),
        tags=["me"],
        request=DiagnosticInputSerializer,
        responses={
            201: CreatedDiagnosticSerializer,
            **ERRORS,
            **AUTH_ERRORS,
            403: OpenApiResponse(
                ErrorsSerializer, description="Droit manquant, ou cantine que l'utilisateur du jeton ne gère pas."
            ),
            **NOT_FOUND,
            409: OpenApiResponse(ErrorsSerializer, description="Un diagnostic existe déjà pour cette année."),
        },
    )
    def post(self, request, pk):
        try:
            canteen = get_canteen_for(request.user, pk, EDIT)
        except Http404:  # the same answer whether the canteen exists or not: no list of ids to probe
            raise exceptions.PermissionDenied(
                _("Vous ne gérez pas la cantine n° %(id)s (ou elle n'existe pas) : ce jeton ne peut pas y écrire.")
                % {"id": pk}
            ) from None
        serializer = DiagnosticInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        diagnostic = YearlyDiagnostic(canteen=canteen, year=data["year"], updated_by=request.user)
        by_family = data.get("purchases_by_family")
        if by_family is not None:
            diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
            diagnostic.set_purchases_from_detail(
                {family: dict(columns) for family, columns in by_family.items() if columns}
            )
        else:
            for name, value in (data.get("purchases") or {}).items():
                setattr(diagnostic, name, value)
        diagnostic.answers = stored_answers(data.get("answers"))
        try:
            evaluation = evaluate(diagnostic.rules_input(canteen))
        except RuleInputError as error:
            raise serializers.ValidationError({"year": [str(error)]}) from error
        try:
            with transaction.atomic():
                diagnostic.save()
        except IntegrityError:
            return Response(
                {"errors": {"year": [_("Cette cantine a déjà un diagnostic pour %(year)s.") % {"year": data["year"]}]}},
                status=status.HTTP_409_CONFLICT,
            )
        lang = "en" if translation.get_language_from_request(request._request).startswith("en") else "fr"
        return Response(
            {**diagnostic_data(diagnostic), "evaluation": evaluation.as_dict(lang)}, status=status.HTTP_201_CREATED
        )
