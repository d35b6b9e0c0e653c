"""Indexing tasks (django-tasks, as Wagtail 8 uses it): immediate in development and tests (TASKS setting).

Task arguments are ids, so a worker backend can run them later. A task never breaks the caller's
transaction: its database work runs in its own savepoint (rolled back on error, which the task backend then
records as a failed task), Elasticsearch failures are caught and open the breaker.
"""

import functools
import logging
import threading
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django_tasks import task
from wagtail.models import Page

logger = logging.getLogger(__name__)


def in_savepoint(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            return function(*args, **kwargs)

    return wrapper


@task()
@in_savepoint
def index_page_task(page_id: int):
    """(Re)index a page, or remove it from the index when it is not live or not public any more."""
    from .indexing import index_page, remove_page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        remove_page(page_id)
        return False
    return index_page(page)


@task()
@in_savepoint
def remove_page_task(page_id: int, language: str | None = None):
    from .indexing import remove_page

    remove_page(page_id, language)


@task()
@in_savepoint
def index_subtree_task(page_id: int):
    """A page, its descendants and their aliases (after a privacy change)."""
    from .indexing import index_page

    root = Page.objects.filter(pk=page_id).first()
    if root is None:
        return 0
    count = 0
    subtree = Page.objects.filter(Q(path__startswith=root.path) | Q(alias_of__path__startswith=root.path))
    for page in subtree.specific():
        count += index_page(page)
    return count


@task()
@in_savepoint
def index_referencing_pages_task(app_label: str, model_name: str, object_id: str):
    """Pages whose indexed text includes a snippet (taxonomy term, mail template, document) that changed."""
    from wagtail.models import ReferenceIndex

    from .indexing import TAG_PREFIXES, index_page
    from .models import SearchEntry

    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=object_id).first()
    if instance is None:
        return 0
    prefix = TAG_PREFIXES.get(model._meta.label_lower)
    if prefix:  # taxonomy terms: the entries carry their code
        tag = f" {prefix}:{instance.code} "
        page_ids = set(SearchEntry.objects.filter(tags__contains=tag).values_list("page_id", flat=True))
    else:
        page_ids = set()
        for reference in ReferenceIndex.get_references_to(instance).select_related("base_content_type"):
            if reference.base_content_type.model_class() is Page:
                page_ids.add(int(reference.object_id))
    count = 0
    for page in Page.objects.filter(pk__in=page_ids).specific():
        count += index_page(page)
    return count


@task()
@in_savepoint
def rebuild_elasticsearch_task():
    """After a synonym change: new Elasticsearch indexes with the new synonym filter, then alias swap."""
    from .backends import elastic
    from .health import elasticsearch_usable, report_failure
    from .models import SearchEntry

    if not elasticsearch_usable():
        return None
    try:
        entries = {}
        for entry in SearchEntry.objects.order_by("pk").iterator():
            entries.setdefault(entry.locale, []).append(entry)
        return elastic.rebuild(entries)
    except Exception as error:
        report_failure(error)
        return None


_deferred = threading.local()


@contextmanager
def deferred():
    """Index once, at the end of a batch of changes (`load_demo`): inside the block, tasks are collected instead of
    run, each (task, arguments) once, in the order of its last request, and run when the block ends, error or
    not. A task reads the page's state when it runs (a page rolled back or deleted leaves the index), so running
    it once at the end leaves what running it after each change would have left. Nested blocks belong to the
    outermost one."""
    if getattr(_deferred, "calls", None) is not None:
        yield
        return
    _deferred.calls = {}
    try:
        yield
    finally:
        calls, _deferred.calls = _deferred.calls, None
        for task_object, args in calls.values():
            enqueue(task_object, *args)


def enqueue(task_object, *args):
    """Run now with the immediate backend (inside the current transaction, so the change is visible at
    once); with a worker backend, enqueue after the transaction commits. Inside `deferred()`, later."""
    from django_tasks.backends.immediate import ImmediateBackend

    calls = getattr(_deferred, "calls", None)
    if calls is not None:
        key = (id(task_object), args)
        calls.pop(key, None)
        calls[key] = (task_object, args)
        return

    if isinstance(task_object.get_backend(), ImmediateBackend):
        task_object.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_object.enqueue(*args), robust=True)
