"""Two default synonym changes (issue 22).

- « Réunion » alone (a meeting, most of the time) leaves the overseas group; « La Réunion » stays, found by
  its glued word « lareunion » (search.text.PLACE_NAMES): run `search_reindex` once after deploying. Only the
  group as migration 0005 wrote it is changed; a group an editor changed is left alone.
- « EGAlim, loi EGAlim »: the law's name counts as one word of a query, not two, unless an editor already
  put « egalim » in a group.
"""

import unicodedata

from django.db import migrations

BEFORE = (
    "outre-mer, outremer, DROM, DOM, DOM-TOM, ultramarin, Guadeloupe, Martinique, Guyane, La Réunion, "
    "Réunion, Mayotte, Saint-Martin, Saint-Pierre-et-Miquelon"
)
AFTER = (
    "outre-mer, outremer, DROM, DOM, DOM-TOM, ultramarin, Guadeloupe, Martinique, Guyane, La Réunion, "
    "île de la Réunion, Mayotte, Saint-Martin, Saint-Pierre-et-Miquelon"
)


def _key(term):
    decomposed = unicodedata.normalize("NFKD", term)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def swap(apps, old, new):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for group in SynonymGroup.objects.all():
        if _key(group.terms) == _key(old):
            group.terms = new
            group.save(update_fields=["terms"])


EGALIM = "EGAlim, loi EGAlim"
EGALIM_COMMENT = "« loi egalim » compte pour un mot de la requête, pas deux"


def _has_term(apps, term):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    return any(term in {_key(t) for t in group.terms.split(",")} for group in SynonymGroup.objects.all())


def forwards(apps, schema_editor):
    swap(apps, BEFORE, AFTER)
    if not _has_term(apps, "egalim"):
        apps.get_model("search", "SynonymGroup").objects.create(terms=EGALIM, comment=EGALIM_COMMENT)


def backwards(apps, schema_editor):
    swap(apps, AFTER, BEFORE)
    apps.get_model("search", "SynonymGroup").objects.filter(terms=EGALIM, comment=EGALIM_COMMENT).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_stats")]

    operations = [migrations.RunPython(forwards, backwards)]
