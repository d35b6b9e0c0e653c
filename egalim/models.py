from django.db import models
from django.utils.translation import gettext_lazy as _

from .gaps import GAPS, MEASURES


class Gap(models.Model):
    """Database mirror of the rules' gap catalogue, so content can be tagged with gaps.

    The codes and labels live in `egalim`; rows are synchronised after every migration.
    """

    code = models.CharField(_("code"), max_length=64, primary_key=True)
    measure = models.CharField(_("mesure"), max_length=32, choices=list(MEASURES.items()))

    class Meta:
        verbose_name = _("écart au diagnostic")
        verbose_name_plural = _("écarts au diagnostic")
        ordering = ["code"]
        db_table = "diagnostic_gap"  # created by diagnostic's migration 0001, before the model moved here

    def __str__(self):
        gap = GAPS.get(self.code)
        return str(gap.label) if gap else self.code

    @classmethod
    def sync_from_rules(cls):
        for gap in GAPS.values():
            cls.objects.update_or_create(code=gap.code, defaults={"measure": gap.measure})
        cls.objects.exclude(code__in=list(GAPS)).delete()
