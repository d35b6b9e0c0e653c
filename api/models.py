"""Per-user API tokens: scoped, revocable, stored hashed (SHA-256); the token itself is shown once."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "mc_"
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8

CANTEENS_READ = "canteens:read"
CANTEENS_WRITE = "canteens:write"
PURCHASES_WRITE = "purchases:write"
DIAGNOSTICS_WRITE = "diagnostics:write"
DECLARATIONS_WRITE = "declarations:write"
# The same scopes for personal tokens and OAuth applications (settings.OAUTH2_PROVIDER["SCOPES"]).
SCOPES = {
    CANTEENS_READ: _("Lire mes cantines et leurs diagnostics (GET /api/v1/me/canteens/)"),
    CANTEENS_WRITE: _("Créer et modifier mes cantines, leurs gestionnaires et satellites"),
    PURCHASES_WRITE: _("Envoyer et supprimer les achats de mes cantines"),
    DIAGNOSTICS_WRITE: _("Créer les diagnostics de mes cantines (POST /api/v1/canteens/<id>/diagnostics/)"),
    DECLARATIONS_WRITE: _("Télédéclarer et annuler la télédéclaration de mes cantines"),
}
LAST_USED_PRECISION = 60  # seconds: `last_used_at` is written at most once a minute per token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_api_tokens",
        verbose_name=_("utilisateur"),
    )
    name = models.CharField(_("nom"), max_length=100, help_text=_("Par exemple le nom du logiciel qui l'utilise."))
    prefix = models.CharField(_("début du jeton"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("droits"), default=list)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, scopes) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns (token row, the secret token to show once)."""
        unknown = set(scopes) - set(SCOPES)
        if unknown or not scopes:
            raise ValueError(f"unknown or no scopes: {sorted(unknown)}")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            key_hash=hash_token(secret),
            scopes=[scope for scope in SCOPES if scope in scopes],
        )
        return token, secret

    @classmethod
    def find(cls, secret: str):
        """The active token whose secret is `secret`, or None."""
        if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        return cls.objects.active().select_related("user").filter(key_hash=hash_token(secret)).first()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])

    def scope_labels(self):
        return [str(SCOPES[scope]) for scope in self.scopes or [] if scope in SCOPES]

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self):
        """Record a use, at most once a minute (no write on every request)."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
