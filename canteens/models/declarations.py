"""Purchases, teledeclaration campaigns and declarations, reminders and manager invitations."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egalim.rules import FIRST_YEAR, LAST_YEAR

from ..choices import DeclarationMode
from .canteen import Canteen


class PurchaseImport(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("fichier"), max_length=255)
    line_count = models.PositiveIntegerField(_("lignes"))
    total = models.DecimalField(_("total HT"), max_digits=16, decimal_places=2)
    years = models.JSONField(_("années"), default=list)
    # SHA-256 of the file and the national format it was read as (empty for imports made before them)
    digest = models.CharField(_("empreinte du fichier"), max_length=64, blank=True, db_index=True)
    file_format = models.CharField(_("format"), max_length=32, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import d'achats")
        verbose_name_plural = _("imports d'achats")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d})"


class Purchase(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="purchases")
    batch = models.ForeignKey(PurchaseImport, on_delete=models.CASCADE, related_name="purchases", null=True)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=255)
    supplier = models.CharField(_("fournisseur"), max_length=255)
    family = models.CharField(_("famille"), max_length=32)
    labels = models.JSONField(_("labels"), default=list)
    amount = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    # ma cantine's columns, stored as given (not EGAlim labels: tracked beside them)
    origin = models.CharField(
        _("origine"), max_length=8, blank=True, choices=[("FRANCE", "France"), ("EUROPE", "Europe")]
    )
    short_circuit = models.BooleanField(_("circuit court"), default=False)
    local = models.BooleanField(_("local ou de proximité"), default=False)
    local_definition = models.CharField(_("définition de local"), max_length=16, blank=True)
    local_km = models.DecimalField(_("distance (km)"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("achat")
        verbose_name_plural = _("achats")
        indexes = [models.Index(fields=["canteen", "date"])]

    def __str__(self):
        return f"{self.date} {self.description} {self.amount} €"


class Campaign(models.Model):
    """A teledeclaration campaign: the data year, the declaration window, then the correction window."""

    year = models.PositiveSmallIntegerField(_("année des données"), unique=True)
    declaration_start = models.DateField(_("début de la télédéclaration"))
    declaration_end = models.DateField(_("fin de la télédéclaration"))
    correction_start = models.DateField(_("début des corrections"), null=True, blank=True)
    correction_end = models.DateField(_("fin des corrections"), null=True, blank=True)
    closed_on = models.DateField(
        _("clôturée le"),
        null=True,
        blank=True,
        help_text=_("Clôture anticipée : plus aucune déclaration ni correction à partir de ce jour."),
    )

    class Meta:
        verbose_name = _("campagne de télédéclaration")
        verbose_name_plural = _("campagnes de télédéclaration")
        ordering = ["-year"]

    def __str__(self):
        return str(_("Campagne %(year)s") % {"year": self.year})

    def clean(self):
        if not FIRST_YEAR <= (self.year or 0) <= LAST_YEAR:
            raise ValidationError({"year": _("Année hors des années couvertes par les règles.")})
        if self.declaration_start and self.declaration_end and self.declaration_end < self.declaration_start:
            raise ValidationError({"declaration_end": _("La fin doit suivre le début.")})
        if bool(self.correction_start) != bool(self.correction_end):
            raise ValidationError({"correction_end": _("Indiquez le début et la fin des corrections.")})
        if self.correction_start and self.correction_end:
            if self.correction_end < self.correction_start:
                raise ValidationError({"correction_end": _("La fin doit suivre le début.")})
            if self.declaration_end and self.correction_start <= self.declaration_end:
                raise ValidationError({"correction_start": _("Les corrections commencent après la télédéclaration.")})

    def phase(self, today=None):
        """ "declaration", "correction" or None (closed) on `today`."""
        today = today or timezone.localdate()
        if self.closed_on and today >= self.closed_on:
            return None
        if self.declaration_start <= today <= self.declaration_end:
            return "declaration"
        if self.correction_start and self.correction_start <= today <= self.correction_end:
            return "correction"
        return None

    def is_open(self, today=None):
        return self.phase(today) is not None

    @admin.display(description=_("état"))
    def phase_label(self):
        phase = self.phase()
        if phase == "declaration":
            return _("ouverte (déclarations)")
        if phase == "correction":
            return _("ouverte (corrections)")
        if self.declaration_start > timezone.localdate():
            return _("à venir")
        return _("close")


class TeledeclarationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Teledeclaration.Status.SUBMITTED)


class Teledeclaration(models.Model):
    """An immutable snapshot of a yearly diagnostic, sent to the administration.

    Only the cancellation fields can change after creation; a re-submission creates a new version.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Télédéclarée")
        CANCELLED = "cancelled", _("Annulée")

    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="teledeclarations")
    year = models.PositiveSmallIntegerField(_("année des données"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    snapshot = models.JSONField(_("données déclarées"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(
        _("mode de déclaration"), max_length=32, choices=DeclarationMode.choices, default=DeclarationMode.SITE
    )
    # Who declared (name, e-mail) and, for a central kitchen, the satellites it declared for, as they were.
    applicant_snapshot = models.JSONField(_("déclarant"), default=dict, blank=True)
    satellites_snapshot = models.JSONField(_("satellites"), default=list, blank=True)
    # A satellite's declaration made by its central kitchen points to the central kitchen's declaration.
    central_declaration = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="satellite_declarations",
        verbose_name=_("déclaration de la cuisine centrale"),
    )
    # Implausible values the declarant confirmed (codes of egalim's declaration warnings).
    confirmed_warnings = models.JSONField(_("alertes confirmées"), default=list, blank=True)

    objects = TeledeclarationQuerySet.as_manager()

    MUTABLE_FIELDS = frozenset({"status", "cancelled_by", "cancelled_at"})

    class Meta:
        verbose_name = _("télédéclaration")
        verbose_name_plural = _("télédéclarations")
        ordering = ["canteen", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["canteen", "year", "version"], name="teledeclaration_version"),
            models.UniqueConstraint(
                fields=["canteen", "year"], condition=Q(status="submitted"), name="one_submitted_declaration"
            ),
        ]

    def __str__(self):
        return f"{self.canteen} — {self.year} v{self.version}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and not self._state.adding:
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValueError("A teledeclaration is immutable: only its cancellation can be recorded.")
        super().save(*args, **kwargs)


class CampaignReminder(models.Model):
    """One reminder e-mail sent for a campaign to a canteen that had not declared (idempotence of the command)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="campaign_reminders")
    kind = models.CharField(_("relance"), max_length=32, default="reminder")
    recipients = models.JSONField(_("destinataires"), default=list)
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        verbose_name = _("relance de campagne")
        verbose_name_plural = _("relances de campagne")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "canteen", "kind"], name="one_reminder_per_campaign_kind")
        ]

    def __str__(self):
        return f"{self.campaign} → {self.canteen} ({self.kind})"


class ManagerInvitation(models.Model):
    """An invitation to manage a canteen, for an e-mail address without an account yet.

    It is accepted when someone logs in with that (verified) address.
    """

    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation de gestionnaire")
        verbose_name_plural = _("invitations de gestionnaire")
        constraints = [models.UniqueConstraint(fields=["canteen", "email"], name="one_invitation_per_email")]

    def __str__(self):
        return f"{self.email} → {self.canteen}"
