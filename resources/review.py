"""No content goes live without a Relecteur DGAL's approval, by any route (issue 14).

Wagtail's own views already refuse to publish for someone without the publish permission; wagtail-localize's
do not all ask:

- creating or updating a translation publishes it when its source is live (`WAGTAILLOCALIZE_SYNC_LIVE_STATUS_
  ON_TRANSLATE`, set to False in the settings);
- even as a draft, `TranslationSource.create_or_update_translation()` saves the translated content on the page's
  row: for a live page (an English alias, a published translation) that row *is* the live page, so the strings
  of a .po upload or of the editor went online at the next « sync », « submit » or « update » (a live snippet
  translation was taken offline instead). `keep_live_content()` wraps that one method: after it, a live object's
  row gets back the content it had before (the translation stays in the new revision, « en attente de
  publication », to be submitted to review);
- « convert to alias » copies the source page's *latest* revision (a draft nobody reviewed) onto a live page:
  only those who may publish the page may do it (`convert_to_alias`).

Uploads: a Rédacteur's documents and images go to the collection « Fichiers en attente de relecture » (migration
0006), restricted to the editorial groups: Wagtail's document view answers 404 to anyone else
(`hide_pending_document`), the API lists none of them. When a page is published (a Relecteur approves it, or a
scheduled publication), the files it uses move to the root collection, public (`release_files`). Images have no
permission check in Wagtail (the web server serves their files): a pending image's file name starts with 128
random bits (`name_pending_image`), so neither its original nor its renditions can be found by their name.

A Rédacteur submits a translation to « Relecture DGAL » from the translation editor
(`submit_translation`); the reviewer compares the source and the translation side by side
(`compare_translation`) and previews it from the workflow task.
"""

import functools
import os
import re
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import DraftStateMixin, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource
from wagtail_localize.views import convert

# --- the translation stays a draft on a live page ----------------------------------------------------------


def _live_content(source, locale):
    """(model, pk, serialised content) of the live object (page or snippet with a draft state) this translation
    would overwrite, or None."""
    try:
        target = source.get_translated_instance(locale)
    except Exception:  # noqa: BLE001 — not translated yet (DoesNotExist of the specific model)
        return None
    if not isinstance(target, DraftStateMixin) or not target.live:
        return None
    model = target.specific_class if isinstance(target, Page) else type(target)
    return model, target.pk, target.serializable_data()


def _restore_live_content(model, pk, content):
    """Put the live content back on the object's row, keeping the new revision as the latest (a draft)."""
    current = model.objects.get(pk=pk)
    restored = current.with_content_json(content)
    restored.live = True  # a snippet translation saved as a draft was also taken offline
    restored.has_unpublished_changes = True
    restored.latest_revision = current.latest_revision
    if isinstance(current, Page):
        restored.draft_title = current.draft_title
        restored.save(clean=False)
    else:
        restored.save()


def _last_redirect_id():
    from wagtail.contrib.redirects.models import Redirect

    return Redirect.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _forget_transient_redirects(page_pk, after_id):
    """The translated slug was on the live row for a moment: Wagtail's automatic redirects recorded that move and
    its undoing (the translated address then redirected to the untranslated page before any review). Publishing
    the translation records the real move."""
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.filter(pk__gt=after_id, redirect_page_id=page_pk, automatically_created=True).delete()


def keep_live_content(create_or_update_translation):
    @functools.wraps(create_or_update_translation)
    def wrapper(self, locale, user=None, publish=True, copy_parent_pages=False, fallback=False):
        live = None if publish else _live_content(self, locale)
        last_redirect = _last_redirect_id() if live is not None else None
        result = create_or_update_translation(
            self, locale, user=user, publish=publish, copy_parent_pages=copy_parent_pages, fallback=fallback
        )
        if live is not None:
            _restore_live_content(*live)
            # Wagtail records slug changes when the transaction commits: forget them after that.
            page_pk = live[1]
            transaction.on_commit(lambda: _forget_transient_redirects(page_pk, last_redirect))
        return result

    wrapper.keeps_live_content = True
    return wrapper


def install():
    """Called once by ResourcesConfig.ready()."""
    from django.db.models.signals import pre_save
    from wagtail.images import get_image_model
    from wagtail.signals import page_published

    page_published.connect(on_page_published, dispatch_uid="resources.review.release_files")
    pre_save.connect(name_pending_image, sender=get_image_model(), dispatch_uid="resources.review.pending_image")
    method = TranslationSource.create_or_update_translation
    if not getattr(method, "keeps_live_content", False):
        TranslationSource.create_or_update_translation = keep_live_content(method)


# --- uploads not public until reviewed --------------------------------------------------------------------

PENDING_COLLECTION = "Fichiers en attente de relecture"


def pending_collection():
    from wagtail.models import Collection

    return Collection.objects.filter(name=PENDING_COLLECTION, depth=2).first()


def file_models():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    return [get_document_model(), get_image_model()]


def release_files(page):
    """Move the documents and images `page` uses out of the pending collection, into the root collection."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, ReferenceIndex

    pending = pending_collection()
    if pending is None:
        return 0
    wanted = {ContentType.objects.get_for_model(model).pk: model for model in file_models()}
    ids = {content_type_id: set() for content_type_id in wanted}
    for content_type_id, object_id, *_rest in ReferenceIndex._extract_references_from_object(page.specific):
        if content_type_id in ids:
            ids[content_type_id].add(object_id)
    root = Collection.get_first_root_node()
    moved = 0
    for content_type_id, object_ids in ids.items():
        if object_ids:
            for file in wanted[content_type_id].objects.filter(pk__in=object_ids, collection=pending):
                file.collection = root
                file.save(update_fields=["collection"])  # post_save: page cache and search index follow
                moved += 1
    return moved


def on_page_published(sender, instance, **kwargs):
    release_files(instance)


PENDING_IMAGE_NAME = re.compile(r"^[0-9a-f]{32}-")


def name_pending_image(sender, instance, **kwargs):
    """pre_save of images: a file uploaded into the pending collection gets 128 random bits in front of its name.

    Wagtail serves images by their address only (originals and renditions under /media/, by the web server), with
    no permission check. A pending image is listed nowhere public (API, pages, search), and its addresses, the
    original's and every rendition's (named after the original), can no longer be guessed from the uploaded
    file's name. Published, it keeps its name. See docs/exploitation.md, « Médias »."""
    file = instance.file
    if not file or getattr(file, "_committed", True) or instance.collection_id is None:
        return  # nothing new to store (renaming a stored file would break its renditions)
    if instance.collection.name != PENDING_COLLECTION:
        return
    name = os.path.basename(file.name)
    if not PENDING_IMAGE_NAME.match(name):
        file.name = f"{secrets.token_hex(16)}-{name}"


def hide_pending_document(document, request):
    """before_serve_document: a file awaiting review is not found (404) by anyone outside the editorial groups
    (Wagtail would redirect to its login page), and refused (403) to a logged-in visitor who is not an editor."""
    if document.collection.name != PENDING_COLLECTION:
        return None  # other private collections keep Wagtail's answer (login page, password form)
    restrictions = document.collection.get_view_restrictions()
    if all(restriction.accept_request(request) for restriction in restrictions):
        return None
    if request.user.is_authenticated:
        raise PermissionDenied
    raise Http404


# --- admin views ---------------------------------------------------------------------------------------------


def convert_to_alias(request, page_id):
    """wagtail-localize's « Convertir en alias », for those who may publish the page only."""
    page = get_object_or_404(Page, id=page_id, alias_of_id__isnull=True)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)


def _translated_page(translation_id, user):
    translation = get_object_or_404(Translation, pk=translation_id)
    source = translation.source.get_source_instance()
    if not isinstance(source, Page):
        raise Http404
    try:
        page = translation.get_target_instance()
    except Page.DoesNotExist as error:
        raise Http404 from error
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    return translation, source.specific, page.specific


@require_POST
def submit_translation(request, translation_id):
    """« Soumettre à Relecture DGAL »: save the translated strings as a new revision of the page (never live)
    and start the page's workflow on it. The page stays as it is online until a Relecteur approves."""
    translation, _source, page = _translated_page(translation_id, request.user)
    editor_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    try:
        with transaction.atomic():
            translation.save_target(user=request.user, publish=False)
    except ValidationError:
        messages.error(request, _("La traduction contient des erreurs : corrigez-les avant de la soumettre."))
        return redirect(editor_url)
    page = Page.objects.get(pk=page.pk).specific
    workflow = page.get_workflow()
    state = page.current_workflow_state
    if state is not None and state.is_active:
        messages.success(
            request, _("Traduction enregistrée : elle est déjà en relecture, le relecteur verra cette version.")
        )
    elif workflow is None:
        messages.warning(request, _("Traduction enregistrée comme brouillon (aucun circuit de relecture)."))
    else:
        workflow.start(page, request.user)
        messages.success(
            request,
            _("Traduction « %(title)s » soumise à %(workflow)s : elle sera en ligne après approbation.")
            % {"title": page.draft_title, "workflow": workflow.name},
        )
    return redirect(editor_url)


def compare_translation(request, translation_id):
    """Source and translated text side by side, for the reviewer (and the translator)."""
    translation, source, page = _translated_page(translation_id, request.user)
    segments = (
        StringSegment.objects.filter(source=translation.source)
        .select_related("string", "context")
        .order_by("order")
        .annotate_translation(translation.target_locale)
    )
    rows = [
        {"path": segment.context.path, "source": segment.string.data, "translation": segment.translation}
        for segment in segments
    ]
    revision = page.latest_revision
    return TemplateResponse(
        request,
        "resources/admin/compare_translation.html",
        {
            "translation": translation,
            "source": source,
            "page": page,
            "rows": rows,
            "missing": sum(1 for row in rows if not row["translation"]),
            "revision": revision,
            "header_title": _("Comparer la traduction"),
        },
    )
