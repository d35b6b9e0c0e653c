"""Uploads of Rédacteurs are not public until reviewed (issue 14).

A collection « Fichiers en attente de relecture », under the root collection, restricted to the Rédacteurs and
Relecteurs DGAL groups (Wagtail's document view answers 404 to anyone else, see resources/review.py; the API lists
no file of a restricted collection). Rédacteurs add and edit documents and images there only; they still choose
any file of the site. A file moves to the root collection, public, when a Relecteur publishes a page that uses it
(resources.review.release_files) or moves it there.

Idempotent; reversing removes nothing.
"""

from django.db import migrations

EDITORS = "Rédacteurs"
REVIEWERS = "Relecteurs DGAL"
PENDING = "Fichiers en attente de relecture"

EDITOR_ROOT_PERMISSIONS = [
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "choose_image"),
]
EDITOR_PENDING_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def create_pending_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    editors = Group.objects.filter(name=EDITORS).first()
    reviewers = Group.objects.filter(name=REVIEWERS).first()
    if root is None or editors is None or reviewers is None:
        return
    pending = Collection.objects.filter(name=PENDING, depth=2).first()
    if pending is None:
        # Treebeard's API is not available on historical models: write the child's path by hand.
        last_child = Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
        step = 4
        number = int(last_child.path[-step:], 36) + 1 if last_child else 1
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        suffix = ""
        while number:
            number, rest = divmod(number, 36)
            suffix = digits[rest] + suffix
        pending = Collection.objects.create(name=PENDING, path=root.path + suffix.rjust(step, "0"), depth=2, numchild=0)
        root.numchild += 1
        root.save(update_fields=["numchild"])
    restriction = CollectionViewRestriction.objects.filter(collection=pending).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(collection=pending, restriction_type="groups")
    restriction.groups.add(editors, reviewers)

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    GroupCollectionPermission.objects.filter(group=editors, collection=root).exclude(
        permission__in=[permission(*p) for p in EDITOR_ROOT_PERMISSIONS]
    ).delete()
    for app_label, codename in EDITOR_ROOT_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=root, permission=permission(app_label, codename)
        )
    for app_label, codename in EDITOR_PENDING_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=pending, permission=permission(app_label, codename)
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_gaps_point_to_egalim")]

    operations = [migrations.RunPython(create_pending_collection, migrations.RunPython.noop)]
