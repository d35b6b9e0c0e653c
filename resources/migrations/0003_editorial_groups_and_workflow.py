"""Editorial roles and the « Relecture DGAL » workflow.

- Rédacteurs: access the admin, create and edit pages (no publish), upload documents and images, edit mail
  templates, request translations. Their changes go live only through the workflow.
- Relecteurs DGAL: the same, plus publish, lock/unlock, and edit the taxonomy; they approve or reject in
  the workflow.
- Workflow « Relecture DGAL »: one group-approval task for Relecteurs DGAL, assigned to the root page, so
  it covers the whole site in every language. Wagtail e-mails the reviewers when a page is submitted and
  the author when it is approved or rejected.

Idempotent (get_or_create); reversing removes nothing, so editors' adjustments are never lost.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Rédacteurs"
REVIEWERS = "Relecteurs DGAL"
WORKFLOW = "Relecture DGAL"

COMMON_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("resources", "add_mailtemplate"),
    ("resources", "change_mailtemplate"),
    ("resources", "view_mailtemplate"),
    ("resources", "view_measure"),
    ("resources", "view_audience"),
    ("resources", "view_resourcetype"),
    ("resources", "view_sectorcategory"),
]
REVIEWER_MODEL_PERMISSIONS = [
    ("resources", "delete_mailtemplate"),
    ("resources", "change_measure"),
    ("resources", "add_audience"),
    ("resources", "change_audience"),
    ("resources", "add_resourcetype"),
    ("resources", "change_resourcetype"),
    ("resources", "add_sectorcategory"),
    ("resources", "change_sectorcategory"),
]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def ensure_permissions(apps):
    """Permissions are normally created after all migrations (post_migrate): create them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups_and_workflow(apps, schema_editor):
    ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    for group, extra_model_permissions, page_permissions in [
        (editors, [], EDITOR_PAGE_PERMISSIONS),
        (reviewers, REVIEWER_MODEL_PERMISSIONS, REVIEWER_PAGE_PERMISSIONS),
    ]:
        for app_label, codename in COMMON_MODEL_PERMISSIONS + extra_model_permissions:
            group.permissions.add(permission(app_label, codename))
        if root_page is not None:
            for codename in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission("wagtailcore", codename)
                )
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(app_label, codename)
                )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=task_type, active=True)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root_page is not None:
        previous = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
        # Wagtail's default "Moderators approval" workflow is replaced on the whole site.
        if previous is not None and previous.workflow_id != workflow.pk:
            old = previous.workflow
            if not WorkflowPage.objects.filter(workflow=old).exists():
                old.active = False
                old.save(update_fields=["active"])


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_taxonomy_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]
