"""The national files written by `manage.py export_open_data`, served instead of a live export while they hold
the current data (docs/decisions/0010-open-data-files-built-after-changes.md).

A whole-country download (no filter) of 100,000 canteens computed live costs its rows' formatting in Python:
with a loaded server it is 5 to 500 times PostgreSQL's own COPY of the same rows. The stored file is written
once per change and read from disk by every download after it.

A stored file is *fresh* when
- it was written from a snapshot taken at least `SETTLE` after the last change of the rows it holds: the
  newest `updated_at` of the stored figures (CanteenStats for the registry; CanteenStats and DeclarationStats
  for the campaign results, whose identity columns are the canteen's), every save of a canteen, diagnostic or
  declaration rewriting its row (territories.signals); `SETTLE` covers a transaction that wrote its row before
  the snapshot and committed after it;
- and it holds as many rows as the dataset has today (a deleted canteen or declaration, a campaign published
  or withdrawn leaves no timestamp behind).
Otherwise the download is computed live, with the same writers: the content is the same either way.
`export_open_data --if-stale` (every few minutes from cron) rewrites the stale files only.
"""

import datetime

from django.core.files.storage import default_storage
from django.db.models import Max

from ..models import CanteenStats, DeclarationStats, OpenDataFile

SETTLE = datetime.timedelta(seconds=60)


def last_change(dataset):
    """When the rows of `dataset` last changed (None: never)."""
    moments = [CanteenStats.objects.aggregate(last=Max("updated_at"))["last"]]
    if dataset.slug == "resultats-campagnes":
        moments.append(DeclarationStats.objects.aggregate(last=Max("updated_at"))["last"])
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def is_fresh(dataset, record) -> bool:
    changed = last_change(dataset)
    if changed is not None and changed > record.generated_at - SETTLE:
        return False
    return record.rows == dataset.count({})


def fresh_file(dataset, fmt):
    """The stored file of the whole `dataset` in `fmt` when it holds today's data, else None."""
    record = OpenDataFile.objects.filter(dataset=dataset.slug, format=fmt).first()
    if record is None or not is_fresh(dataset, record) or not default_storage.exists(record.path):
        return None
    return record
