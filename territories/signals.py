"""Keep the stored figures in step with the canteens app: every save of a canteen, a diagnostic or a
declaration refreshes its row (a few queries, one evaluation of the rules). Bulk writes that bypass `save()`
(`bulk_create`, `QuerySet.update`) must call `territories.stats` themselves or run
`manage.py refresh_territory_stats`."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from . import stats


def canteen_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """The EPCI follows the commune (territories/epci.py): set before every save of a canteen."""
    if not raw and update_fields is None:
        from .epci import fill

        fill(instance)


def canteen_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        stats.refresh_canteen(instance)


def _refresh_canteen_by_id(pk):
    from canteens.models import Canteen

    canteen = Canteen.objects.filter(pk=pk).first()
    if canteen is not None:
        stats.refresh_canteen(canteen)


def diagnostic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_canteen_by_id(instance.canteen_id)


def diagnostic_deleted(sender, instance, **kwargs):
    # After the commit: when the whole canteen is being deleted, its stats row must not come back.
    canteen_id = instance.canteen_id
    transaction.on_commit(lambda: _refresh_canteen_by_id(canteen_id))


def declaration_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        stats.refresh_declaration(instance)


def connect():
    from canteens.models import Canteen, Teledeclaration, YearlyDiagnostic

    pre_save.connect(canteen_saving, sender=Canteen, dispatch_uid="territories.canteen_saving")
    post_save.connect(canteen_saved, sender=Canteen, dispatch_uid="territories.canteen_saved")
    post_save.connect(diagnostic_saved, sender=YearlyDiagnostic, dispatch_uid="territories.diagnostic_saved")
    post_delete.connect(diagnostic_deleted, sender=YearlyDiagnostic, dispatch_uid="territories.diagnostic_deleted")
    post_save.connect(declaration_saved, sender=Teledeclaration, dispatch_uid="territories.declaration_saved")
