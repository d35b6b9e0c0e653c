from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a manager tells about themselves beyond Django's user (name and e-mail live on the user)."""

    class Job(models.TextChoices):
        MANAGER = "manager", _("Gestionnaire d'établissement")
        COOK = "cook", _("Cuisinier·e, chef·fe de cuisine")
        DIRECTOR = "director", _("Directeur·rice, responsable de la restauration")
        ELECTED = "elected", _("Élu·e")
        PURCHASER = "purchaser", _("Acheteur·se")
        OFFICER = "officer", _("Chargé·e de mission")
        OTHER = "other", _("Autre")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    job = models.CharField(_("fonction"), max_length=32, choices=Job.choices, blank=True)
    job_other = models.CharField(_("précisez votre fonction"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self):
        return self.user.get_full_name() or self.user.email

    @classmethod
    def for_user(cls, user):
        return cls.objects.get_or_create(user=user)[0]
