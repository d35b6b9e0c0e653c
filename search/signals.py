"""Keep the index in step with the content: every change enqueues an indexing task (see `search.tasks`).

- page published, or saved live (creation in code, factories, aliases updated): reindex the page;
- page unpublished or deleted: remove it (at once: unpublishing removes it from results immediately);
- translation alias created (wagtail-localize): index it;
- privacy (view restriction) added or removed: reindex the page and its descendants;
- taxonomy term, mail template or document changed: reindex the pages that reference it;
- synonyms changed: clear the synonym cache and the cached query plans (expanded at query time: no reindex).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished

from . import tasks

REFERENCED_MODELS = {
    "resources.measure",
    "resources.audience",
    "resources.resourcetype",
    "resources.sectorcategory",
    "resources.mailtemplate",
    "wagtaildocs.document",
}


def on_page_published(sender, instance, **kwargs):
    tasks.enqueue(tasks.index_page_task, instance.pk)


def on_page_unpublished(sender, instance, **kwargs):
    tasks.enqueue(tasks.remove_page_task, instance.pk, None)


def on_post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        # Full saves only: save_revision() and the tree's bookkeeping save a few fields (update_fields)
        # and do not change the live content; publishing sends page_published.
        if update_fields is None and (instance.live or not created):
            tasks.enqueue(tasks.index_page_task, instance.pk)
    elif isinstance(instance, PageViewRestriction):
        tasks.enqueue(tasks.index_subtree_task, instance.page_id)
    elif sender._meta.label_lower in REFERENCED_MODELS and not created:
        tasks.enqueue(tasks.index_referencing_pages_task, sender._meta.app_label, sender._meta.model_name, instance.pk)


def on_post_delete(sender, instance, **kwargs):
    if sender is Page:  # deleting a page deletes its Page row too (multi-table inheritance): once per page
        tasks.enqueue(tasks.remove_page_task, instance.pk, None)
    elif isinstance(instance, PageViewRestriction):
        if Page.objects.filter(pk=instance.page_id).exists():
            tasks.enqueue(tasks.index_subtree_task, instance.page_id)


def on_translation_copied(sender, source_obj, target_obj, **kwargs):
    if isinstance(target_obj, Page) and target_obj.live:
        tasks.enqueue(tasks.index_page_task, target_obj.pk)


def on_synonyms_changed(sender, instance, **kwargs):
    """Synonyms are expanded at query time by every backend: clear the cache, no reindexing."""
    from . import synonyms
    from .indexing import bump_generation

    synonyms.invalidate()
    bump_generation()  # the cached query plans hold the old expansion


def connect():
    from .models import SynonymGroup

    page_published.connect(on_page_published, dispatch_uid="search.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search.page_unpublished")
    post_save.connect(on_post_save, dispatch_uid="search.post_save")
    post_delete.connect(on_post_delete, dispatch_uid="search.post_delete")
    copy_for_translation_done.connect(on_translation_copied, dispatch_uid="search.copy_for_translation_done")
    post_save.connect(on_synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_saved")
    post_delete.connect(on_synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_deleted")
