"""Serializers of the product endpoints: query parameters, request bodies and (for the OpenAPI schema) responses.

Responses are built as plain dicts by the views (see `api.content`); the response serializers here describe
them for drf-spectacular, and the schema tests check that real responses match.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from canteens.choices import SECTORS, Management, Production
from canteens.serializers import CanteenIdentitySerializer, PublicCanteenSerializer
from diagnostic.serializers import (
    AnswersSerializer,
    DepartmentField,
    EvaluationSerializer,
    PurchasesByFamilySerializer,
    PurchasesSerializer,
    StrictSerializer,
    YearField,
)
from diagnostic.validation import message
from resources.hub import Q_MAX_LENGTH, SORT_LABELS
from resources.models.pages import FORMAT_CHOICES

LOCALES = ["fr", "en"]


def locale_field():
    return serializers.ChoiceField(
        choices=LOCALES,
        required=False,
        default="fr",
        help_text=_("Langue des contenus : fr (par défaut) ou en."),
        error_messages={"invalid_choice": _("Langue inconnue : fr ou en.")},
    )


# --- shared shapes ------------------------------------------------------------------------------------------


class TermSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code stable (identique dans toutes les langues)."))
    name = serializers.CharField(help_text=_("Libellé dans la langue du contenu."))


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    measure = serializers.CharField()
    name = serializers.CharField()


class FileSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Adresse du document (téléchargement) ou du lien externe."))
    format = serializers.ChoiceField(choices=[code for code, _label in FORMAT_CHOICES])
    size = serializers.IntegerField(allow_null=True, help_text=_("Taille en octets (null pour un lien)."))
    document = serializers.IntegerField(allow_null=True, help_text=_("Identifiant du document Wagtail."))


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    format = serializers.CharField()


class PageLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    locale = serializers.CharField()


# --- resources --------------------------------------------------------------------------------------------


class ResourceQuerySerializer(serializers.Serializer):
    """Documentation of the hub's parameters (validated by the view against the hub's own catalogue)."""

    measure = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Code de mesure EGAlim.")
    )
    audience = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Code de public."))
    type = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Code de type."))
    sector = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Code de secteur."))
    format = serializers.ListField(
        child=serializers.ChoiceField(choices=[code for code, _label in FORMAT_CHOICES]), required=False
    )
    gap = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Code d'écart."))
    q = serializers.CharField(required=False, max_length=Q_MAX_LENGTH, help_text=_("Recherche plein texte."))
    sort = serializers.ChoiceField(choices=list(SORT_LABELS), required=False)
    locale = locale_field()


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text=_("Adresse de la page sur le site."))
    detail_url = serializers.CharField()
    locale = serializers.CharField()
    alias_of = serializers.IntegerField(
        allow_null=True, help_text=_("Page française affichée telle quelle quand la ressource n'est pas traduite.")
    )
    summary = serializers.CharField()
    type = TermSerializer(allow_null=True)
    measures = TermSerializer(many=True)
    audiences = TermSerializer(many=True)
    sectors = TermSerializer(many=True)
    gaps = GapSerializer(many=True)
    language = serializers.CharField(help_text=_("Langue de la ressource elle-même."))
    published_on = serializers.DateField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    files = FileSerializer(many=True)


class StreamBlockSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField(allow_null=True)
    value = serializers.JSONField()


class ResourceDetailSerializer(ResourceSerializer):
    body = StreamBlockSerializer(many=True)
    related_resources = PageLinkSerializer(many=True)


class FacetValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class ResourceListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ResourceSerializer(many=True)
    facets = FacetSerializer(many=True, help_text=_("Nombre de ressources par valeur de chaque filtre."))


# --- measures, mail templates, kits ---------------------------------------------------------------------


class LocaleQuerySerializer(serializers.Serializer):
    locale = locale_field()


class MeasurePageSerializer(PageLinkSerializer):
    summary = serializers.CharField()
    since = serializers.CharField()


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    page = MeasurePageSerializer(allow_null=True)
    resource_count = serializers.IntegerField()
    resources_url = serializers.CharField(help_text=_("Les ressources de la mesure dans l'API."))


class MailTemplateQuerySerializer(LocaleQuerySerializer):
    audience = serializers.CharField(required=False, help_text=_("Code de public destinataire."))
    measure = serializers.CharField(required=False, help_text=_("Code de mesure EGAlim."))


class MailTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    locale = serializers.CharField()
    audience = TermSerializer(allow_null=True)
    measures = TermSerializer(many=True)
    subject = serializers.CharField()
    body = serializers.CharField()
    placeholders = serializers.ListField(child=serializers.CharField())


class KitQuerySerializer(LocaleQuerySerializer):
    audience = serializers.CharField(required=False, help_text=_("Code de public."))


class KitItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["resource", "document", "mail_template"])
    title = serializers.CharField()
    resource = PageLinkSerializer(required=False)
    document = DocumentSerializer(required=False)
    mail_template = serializers.DictField(required=False)


class KitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    locale = serializers.CharField()
    introduction = serializers.CharField()
    audience = TermSerializer(allow_null=True)
    items = KitItemSerializer(many=True)
    zip_url = serializers.CharField()


# --- canteens ---------------------------------------------------------------------------------------------


class CanteenQuerySerializer(serializers.Serializer):
    department = DepartmentField(required=False, help_text=_("Code INSEE du département (35, 2A, 972…)."))
    region = serializers.CharField(
        required=False, max_length=3, help_text=_("Code INSEE de la région (53 : Bretagne, 02 : Martinique…).")
    )
    sector = serializers.ChoiceField(choices=list(SECTORS), required=False)
    management = serializers.ChoiceField(choices=Management.values, required=False)
    production = serializers.ChoiceField(choices=Production.values, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text=_("Nom (partie) ou SIRET (début)."))

    def validate_region(self, value):
        from territories.models import Region

        if not Region.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("Région inconnue : code INSEE attendu (53, 84…)."))
        return value


class CanteenSerializer(CanteenIdentitySerializer):
    detail_url = serializers.CharField()
    published_years = serializers.ListField(child=serializers.IntegerField())


# GET /api/v1/canteens/<id>/: `canteens.public_data.public_data` (the component keeps its name for clients' code)
class CanteenDetailSerializer(PublicCanteenSerializer):
    pass


# A canteen's yearly diagnostic: the evaluate endpoint's purchases and answers, the canteen gives the rest (a comment:
# a docstring would be the schema's description of the component).
class DiagnosticInputSerializer(StrictSerializer):
    year = YearField()
    purchases = PurchasesSerializer(required=False, allow_null=True)
    purchases_by_family = PurchasesByFamilySerializer(
        required=False, allow_null=True, help_text=_("Calculateur détaillé : à la place de `purchases`.")
    )
    answers = AnswersSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("purchases") is not None and attrs.get("purchases_by_family") is not None:
            raise serializers.ValidationError({"purchases_by_family": [message("purchases_twice")]})
        return attrs


class DiagnosticSerializer(serializers.Serializer):
    canteen = serializers.IntegerField()
    year = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=["simple", "detailed"])
    is_published = serializers.BooleanField()
    purchases = serializers.DictField(child=serializers.CharField(allow_null=True))
    answers = serializers.DictField()
    updated_at = serializers.DateTimeField()


class CreatedDiagnosticSerializer(DiagnosticSerializer):
    evaluation = EvaluationSerializer()


class ManagedCanteenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    siret = serializers.CharField()
    department = serializers.CharField()
    diagnostics = DiagnosticSerializer(many=True)
