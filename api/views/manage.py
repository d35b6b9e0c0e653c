"""Canteens written through /api/v1/ by their managers' tokens (scope `canteens:write`; reads `canteens:read`).

- `POST /api/v1/canteens/` creates a canteen managed by the token's user; `PATCH /api/v1/canteens/<id>/`
  changes one they manage (the public `GET` of both paths stays anonymous).
- `/api/v1/canteens/<id>/managers/`: list, invite (`POST {"email"}`), remove (`DELETE ?email=`); a canteen keeps
  at least one manager, even when two removals arrive at once (the canteen's row is locked).
- `/api/v1/canteens/<id>/satellites/`: a central kitchen's confirmed satellites; `POST {"satellite": <id>}` links
  a satellite the same user manages, `DELETE …/satellites/<satellite_id>/` unlinks it.
- `GET /api/v1/me/`: who the token speaks for, and what it may do.

Another user's canteen answers 404 (whether it exists or not), a token without the scope 403, bad input a 400
with the messages per field; nothing is half-saved (one transaction per request).
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.backends import normalise_email
from canteens.choices import SECTORS, Production
from canteens.forms import CanteenForm
from canteens.imports import lock_canteen
from canteens.invitations import invite
from canteens.models import Canteen, ManagerInvitation
from canteens.permissions import EDIT, MANAGE, VIEW, can, get_canteen_for
from diagnostic.serializers import ErrorsSerializer, StrictSerializer

from ..authentication import BearerTokenAuthentication, HasScope, OAuthAuthentication, token_scopes
from ..models import CANTEENS_READ, CANTEENS_WRITE
from . import canteens
from .base import AUTH_ERRORS, ERRORS, TokenView, activate_client_language

NOT_MANAGED = {
    404: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("Cantine que l'utilisateur du jeton ne gère pas."))
}
WRITE_ERRORS = {**ERRORS, **AUTH_ERRORS, **NOT_MANAGED}


def reads_or_writes(read_scopes, write_scopes):
    """`required_scopes` by method: the one view answers reads and writes."""

    def required_scopes(view):
        return read_scopes if view.request.method in SAFE_METHODS else write_scopes

    return property(required_scopes)


class TokenWritesMixin:
    """A public read view whose writes need a token with `write_scopes`."""

    write_scopes = [CANTEENS_WRITE]

    def initialize_request(self, request, *args, **kwargs):
        self.write = request.method not in SAFE_METHODS  # before the authenticators are chosen
        return super().initialize_request(request, *args, **kwargs)

    def is_write(self):
        return getattr(self, "write", False)

    def initial(self, request, *args, **kwargs):
        if self.is_write():
            activate_client_language(request)
        super().initial(request, *args, **kwargs)

    @property
    def required_scopes(self):
        return self.write_scopes if self.is_write() else []

    def get_authenticators(self):
        if self.is_write():
            return [BearerTokenAuthentication(), OAuthAuthentication()]
        return super().get_authenticators()

    def get_permissions(self):
        if self.is_write():
            return [HasScope()]
        return super().get_permissions()


# --- canteens ---------------------------------------------------------------------------------------------------


class CanteenWriteSerializer(StrictSerializer, serializers.ModelSerializer):
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=list(SECTORS)), min_length=1, max_length=3)

    class Meta:
        model = Canteen
        fields = ["id", "department", *CanteenForm.Meta.fields]  # what a manager edits on the site's form
        read_only_fields = ["id", "department"]
        validators = []  # the model's own checks run in validate() (Model.full_clean)

    def validate(self, attrs):
        """The model's checks (the same as the canteen form's), on the canteen as it would be saved."""
        canteen = copy.copy(self.instance) if self.instance is not None else Canteen()
        for name, value in attrs.items():
            setattr(canteen, name, value)
        writable = [name for name in self.Meta.fields if name not in self.Meta.read_only_fields]
        errors = {}
        if not canteen.siret and not canteen.siren_unite_legale:
            errors["siret"] = [_("Indiquez le SIRET de la cantine ou, à défaut, le SIREN de son unité légale.")]
        elif canteen.siret and Canteen.objects.filter(siret=canteen.siret).exclude(pk=canteen.pk).exists():
            errors["siret"] = [_("Une cantine avec ce SIRET est déjà enregistrée.")]
        try:
            # A partial update checks the fields it sends (and the model's cross-field rules), not old data.
            checked = writable if self.instance is None else [name for name in writable if name in attrs]
            exclude = [field.name for field in Canteen._meta.fields if field.name not in checked]
            canteen.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except DjangoValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name if name in writable else "detail", []).extend(messages)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def siret_taken():
    return Response(
        {"errors": {"siret": [_("Une cantine avec ce SIRET est déjà enregistrée.")]}}, status=status.HTTP_409_CONFLICT
    )


CONFLICT_SIRET = {409: OpenApiResponse(ErrorsSerializer, description=gettext_lazy("SIRET enregistré au même moment."))}


class CanteenListCreateView(TokenWritesMixin, canteens.CanteenListView):
    serializer_class = CanteenWriteSerializer

    @extend_schema(
        operation_id="canteens_create",
        summary=gettext_lazy("Enregistrer une cantine"),
        description=gettext_lazy(
            "Droit `canteens:write`. L'utilisateur du jeton en devient gestionnaire. Les mêmes contrôles "
            "que le formulaire du site (SIRET ou SIREN, commune, secteurs, couverts…) : 400 avec les messages par "
            "champ, et rien n'est enregistré."
        ),
        tags=["canteens"],
        request=CanteenWriteSerializer,
        responses={201: CanteenWriteSerializer, **ERRORS, **AUTH_ERRORS, **CONFLICT_SIRET},
    )
    def post(self, request):
        body = CanteenWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                canteen = body.save()
                canteen.managers.add(request.user)
        except IntegrityError:
            return siret_taken()
        return Response(CanteenWriteSerializer(canteen).data, status=status.HTTP_201_CREATED)


class CanteenDetailUpdateView(TokenWritesMixin, canteens.CanteenDetailView):
    serializer_class = CanteenWriteSerializer

    @extend_schema(
        operation_id="canteens_partial_update",
        summary=gettext_lazy("Modifier une cantine que je gère"),
        description=gettext_lazy(
            "Droit `canteens:write`. Les champs envoyés remplacent les anciens, avec les contrôles du "
            "formulaire du site. 404 pour une cantine que l'utilisateur du jeton ne gère pas."
        ),
        tags=["canteens"],
        request=CanteenWriteSerializer,
        responses={200: CanteenWriteSerializer, **WRITE_ERRORS, **CONFLICT_SIRET},
    )
    def patch(self, request, pk):
        canteen = get_canteen_for(request.user, pk, EDIT)
        body = CanteenWriteSerializer(canteen, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                canteen = body.save()
        except IntegrityError:
            return siret_taken()
        return Response(CanteenWriteSerializer(canteen).data)


# --- managers ---------------------------------------------------------------------------------------------------


class ManagerSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(
        choices=["manager", "invited"], help_text=gettext_lazy("`invited` : pas encore de compte, invitation envoyée.")
    )


class InviteSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)


class InviteResultSerializer(serializers.Serializer):
    email = serializers.EmailField()
    outcome = serializers.ChoiceField(
        choices=["added", "invited", "already", "removed"],
        help_text=gettext_lazy(
            "`added` : compte existant, ajouté ; `invited` : invitation envoyée ; `already` : rien à faire ; "
            "`removed` : retiré."
        ),
    )


class EmailQuerySerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class CanteenManagersView(TokenView):
    serializer_class = InviteSerializer
    required_scopes = reads_or_writes([CANTEENS_READ], [CANTEENS_WRITE])

    @extend_schema(
        operation_id="canteens_managers_list",
        summary=gettext_lazy("Gestionnaires d'une cantine que je gère"),
        description=gettext_lazy("Droit `canteens:read`. Les gestionnaires et les invitations en attente."),
        tags=["canteens"],
        responses={200: ManagerSerializer(many=True), **AUTH_ERRORS, **NOT_MANAGED, 429: ERRORS[429]},
    )
    def get(self, request, pk):
        canteen = get_canteen_for(request.user, pk, MANAGE)
        managers = [
            {"email": user.email, "name": user.get_full_name(), "status": "manager"}
            for user in canteen.managers.order_by("last_name", "email")
        ]
        invited = [
            {"email": invitation.email, "name": "", "status": "invited"}
            for invitation in canteen.invitations.order_by("email")
        ]
        return Response(managers + invited)

    @extend_schema(
        operation_id="canteens_managers_create",
        summary=gettext_lazy("Ajouter ou inviter un gestionnaire"),
        description=gettext_lazy(
            "Droit `canteens:write`. Une adresse qui a un compte actif est ajoutée tout de suite (201, "
            "`added`) ; sinon une invitation lui est envoyée (201, `invited`). 200 `already` si rien n'est à faire."
        ),
        tags=["canteens"],
        request=InviteSerializer,
        responses={201: InviteResultSerializer, 200: InviteResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        canteen = get_canteen_for(request.user, pk, MANAGE)
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        email = normalise_email(body.validated_data["email"])
        with transaction.atomic():
            lock_canteen(canteen)
            outcome = invite(request._request, canteen, email)
        code = status.HTTP_200_OK if outcome == "already" else status.HTTP_201_CREATED
        return Response({"email": email, "outcome": outcome}, status=code)

    @extend_schema(
        operation_id="canteens_managers_destroy",
        summary=gettext_lazy("Retirer un gestionnaire ou une invitation"),
        description=gettext_lazy(
            "Droit `canteens:write`. `?email=` : le gestionnaire (ou l'invitation) à retirer. Une cantine "
            "garde au moins un gestionnaire (400)."
        ),
        tags=["canteens"],
        parameters=[OpenApiParameter("email", str, OpenApiParameter.QUERY, required=True)],
        responses={200: InviteResultSerializer, **WRITE_ERRORS},
    )
    def delete(self, request, pk):
        canteen = get_canteen_for(request.user, pk, MANAGE)
        email = normalise_email(self.query(EmailQuerySerializer)["email"])
        with transaction.atomic():
            lock_canteen(canteen)  # two removals at once: the second sees the first and keeps the last manager
            user = canteen.managers.filter(email__iexact=email).first()
            if user is None:
                deleted, _rows = ManagerInvitation.objects.filter(canteen=canteen, email__iexact=email).delete()
                if not deleted:
                    return Response(
                        {"errors": {"email": [_("Ni gestionnaire ni invité·e de cette cantine.")]}},
                        status=status.HTTP_404_NOT_FOUND,
                    )
            elif canteen.managers.count() <= 1:
                raise serializers.ValidationError({"email": [_("Une cantine garde au moins un gestionnaire.")]})
            else:
                canteen.managers.remove(user)
        return Response({"email": email, "outcome": "removed"})


# --- satellites -------------------------------------------------------------------------------------------------


class SatelliteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    siret = serializers.CharField()
    city_insee_code = serializers.CharField()


class SatelliteLinkSerializer(StrictSerializer):
    satellite = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Identifiant d'un satellite que je gère aussi.")
    )


def satellite_data(canteen):
    return {"id": canteen.pk, "name": canteen.name, "siret": canteen.siret, "city_insee_code": canteen.city_insee_code}


def central_kitchen_for(user, pk, action):
    kitchen = get_canteen_for(user, pk, action)
    if not kitchen.is_central_kitchen or not kitchen.siret:
        raise serializers.ValidationError({"detail": [_("Seule une cuisine centrale avec un SIRET a des satellites.")]})
    return kitchen


class CanteenSatellitesView(TokenView):
    serializer_class = SatelliteLinkSerializer
    required_scopes = reads_or_writes([CANTEENS_READ], [CANTEENS_WRITE])

    @extend_schema(
        operation_id="canteens_satellites_list",
        summary=gettext_lazy("Satellites d'une cuisine centrale que je gère"),
        description=gettext_lazy("Droit `canteens:read`. Les satellites qui ont confirmé cette cuisine centrale."),
        tags=["canteens"],
        responses={200: SatelliteSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request, pk):
        kitchen = central_kitchen_for(request.user, pk, VIEW)
        return Response([satellite_data(satellite) for satellite in kitchen.satellites().order_by("name", "pk")])

    @extend_schema(
        operation_id="canteens_satellites_create",
        summary=gettext_lazy("Rattacher un satellite à sa cuisine centrale"),
        description=gettext_lazy(
            "Droit `canteens:write`. L'utilisateur du jeton gère la cuisine centrale et le satellite "
            "(type de production « satellite ») : le satellite déclare le SIRET de la cuisine et la confirme. Un "
            "satellite géré par d'autres le confirme lui-même depuis sa page."
        ),
        tags=["canteens"],
        request=SatelliteLinkSerializer,
        responses={201: SatelliteSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        kitchen = central_kitchen_for(request.user, pk, MANAGE)
        body = SatelliteLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        satellite = Canteen.objects.filter(pk=body.validated_data["satellite"]).first()
        if satellite is None or not can(request.user, satellite, MANAGE):
            raise serializers.ValidationError({"satellite": [_("Aucune cantine que vous gérez n'a ce numéro.")]})
        if satellite.production_type != Production.SATELLITE:
            raise serializers.ValidationError(
                {"satellite": [_("Cette cantine n'est pas un satellite : changez d'abord son type de production.")]}
            )
        satellite.central_kitchen_siret = kitchen.siret
        satellite.confirmed_central_kitchen = kitchen
        try:
            satellite.full_clean(exclude=[f.name for f in Canteen._meta.fields if f.name != "central_kitchen_siret"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"satellite": error.messages}) from error
        satellite.save(update_fields=["central_kitchen_siret", "confirmed_central_kitchen", "updated_at"])
        return Response(satellite_data(satellite), status=status.HTTP_201_CREATED)


class CanteenSatelliteDetailView(TokenView):
    required_scopes = [CANTEENS_WRITE]

    @extend_schema(
        operation_id="canteens_satellites_destroy",
        summary=gettext_lazy("Détacher un satellite"),
        description=gettext_lazy(
            "Droit `canteens:write`. Le satellite ne déclare plus cette cuisine centrale. 404 s'il n'en "
            "est pas un satellite."
        ),
        tags=["canteens"],
        responses={200: SatelliteSerializer, **AUTH_ERRORS, **NOT_MANAGED, **ERRORS},
    )
    def delete(self, request, pk, satellite_id):
        kitchen = central_kitchen_for(request.user, pk, MANAGE)
        satellite = get_object_or_404(kitchen.satellites(), pk=satellite_id)
        satellite.central_kitchen_siret = ""
        satellite.confirmed_central_kitchen = None
        satellite.save(update_fields=["central_kitchen_siret", "confirmed_central_kitchen", "updated_at"])
        return Response(satellite_data(satellite))


# --- user info --------------------------------------------------------------------------------------------------


class UserInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    scopes = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("Les droits de ce jeton."))
    canteens = serializers.ListField(
        child=serializers.IntegerField(), help_text=gettext_lazy("Les cantines que je gère.")
    )


class UserInfoView(TokenView):
    required_scopes = []

    @extend_schema(
        operation_id="me_retrieve",
        summary=gettext_lazy("L'utilisateur du jeton et ses droits"),
        description=gettext_lazy(
            "Tout jeton valide (aucun droit particulier). Remplace `/api/v1/userInfo/` du service national."
        ),
        tags=["me"],
        responses={200: UserInfoSerializer, 401: AUTH_ERRORS[401], 429: ERRORS[429]},
    )
    def get(self, request):
        user = request.user
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "scopes": sorted(token_scopes(request.auth)),
                "canteens": list(Canteen.objects.managed_by(user).order_by("pk").values_list("pk", flat=True)),
            }
        )
