"""Audience statistics of the hub: downloads per file and per day, anonymous « was it useful? » answers.

Nothing here identifies a visitor: no IP address, no user, no cookie. Counting a download is one UPDATE
(or one INSERT on the first download of the day), so it never slows the download itself.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FEEDBACK_COMMENT_MAX_LENGTH = 1000


class ResourceDownload(models.Model):
    """How many times a file (or link) of a resource was downloaded (or followed) on a given day."""

    page = models.ForeignKey(
        "resources.ResourcePage", verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.ForeignKey(
        "resources.ResourceFile",
        verbose_name=_("fichier ou lien"),
        null=True,
        on_delete=models.SET_NULL,  # keep the resource's totals when an editor removes a file
        related_name="+",
    )
    day = models.DateField(_("jour"))
    count = models.PositiveIntegerField(_("téléchargements"), default=0)

    class Meta:
        verbose_name = _("téléchargements du jour")
        verbose_name_plural = _("téléchargements par jour")
        constraints = [models.UniqueConstraint(fields=["file", "day"], name="resources_download_file_day_unique")]
        indexes = [models.Index(fields=["page", "day"], name="resources_download_page_day")]

    def __str__(self):
        return f"{self.page_id}/{self.file_id} {self.day}: {self.count}"

    @classmethod
    def record(cls, file, day=None) -> None:
        """Add one download of `file` (a ResourceFile) today. Safe under concurrent requests."""
        day = day or timezone.localdate()
        if cls.objects.filter(file_id=file.pk, day=day).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(page_id=file.page_id, file_id=file.pk, day=day, count=1)
        except IntegrityError:  # another request created today's row in between
            cls.objects.filter(file_id=file.pk, day=day).update(count=F("count") + 1)


class ResourceFeedback(models.Model):
    """One anonymous answer to « Cette ressource vous a-t-elle été utile ? »."""

    page = models.ForeignKey(
        "resources.ResourcePage", verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="+"
    )
    useful = models.BooleanField(_("utile"))
    comment = models.TextField(_("commentaire"), max_length=FEEDBACK_COMMENT_MAX_LENGTH, blank=True)
    language = models.CharField(_("langue"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("avis sur une ressource")
        verbose_name_plural = _("avis sur les ressources")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "useful"], name="resources_feedback_page")]

    def __str__(self):
        return f"{self.page_id}: {'oui' if self.useful else 'non'}"
