"""Public views of the hub besides the pages: counted downloads, « was it useful? », mail templates as files.

(`resources/views.py` holds the admin report « Contenus à relire ».)
"""

import mimetypes
import re
from email.message import EmailMessage
from email.policy import SMTP

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from .forms import CONTROL_CHARACTERS_RE, FeedbackForm, clean_comment
from .models import MailTemplate, ResourceDownload, ResourceFeedback, ResourceFile, ResourcePage
from .models.kits import document_is_public

# Crawlers and link previews follow download links too: they are served but not counted.
BOT_USER_AGENT_RE = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|monitor|curl|wget", re.I)
PLACEHOLDER_VALUE_MAX_LENGTH = 200


def _page_accessible(page, request) -> bool:
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


# --- downloads ------------------------------------------------------------------------------------------


@require_safe
def download(request, file_id: int):
    """Count one download of a resource's file, then serve it (or redirect to the link).

    Counting is a single UPDATE (an INSERT on the first download of the day); the file is then streamed
    from storage. HEAD requests and crawlers are not counted.
    """
    file = get_object_or_404(ResourceFile.objects.select_related("document__collection"), pk=file_id)
    page = ResourcePage.objects.live().filter(pk=file.page_id).first()
    if page is None or not (file.document_id or file.url):
        raise Http404
    if not _page_accessible(page, request):
        return redirect(page.url)  # the page asks for the password or the login
    if request.method == "GET" and not BOT_USER_AGENT_RE.search(request.headers.get("User-Agent", "")):
        ResourceDownload.record(file)
    if not file.document_id:
        response = redirect(file.url)
        response["X-Robots-Tag"] = "noindex"
        return response
    document = file.document
    if not document_is_public(document, request):
        return redirect(document.url)  # Wagtail's document view handles private collections
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    inline = content_type in getattr(settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", ["application/pdf", "text/plain"])
    response = FileResponse(handle, as_attachment=not inline, filename=document.filename, content_type=content_type)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- feedback -------------------------------------------------------------------------------------------


@require_POST
def feedback(request, page_id: int):
    """Store an anonymous answer (no IP address, no user) and go back to the resource."""
    page = get_object_or_404(ResourcePage.objects.live(), pk=page_id)
    if not _page_accessible(page, request):
        raise Http404
    limited = is_ratelimited(
        request,
        group=f"resources.feedback:{page.pk}",
        key="ip",
        rate=settings.RESOURCE_FEEDBACK_RATE_LIMIT,
        method="POST",
        increment=True,
    )
    if limited:
        return render(request, "resources/hub/feedback_limited.html", {"resource": page}, status=429)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(page.url + "#avis")
    ResourceFeedback.objects.create(
        page=page,
        useful=form.cleaned_data["useful"],
        comment=clean_comment(form.cleaned_data["comment"]),
        language=(translation.get_language() or "")[:8],
    )
    messages.success(request, _("Merci, votre avis a bien été enregistré."))
    return redirect(page.url)


# --- mail templates -------------------------------------------------------------------------------------


def placeholder_value(value: str) -> str:
    """A value typed in the form: one line (CR, LF and other control characters become spaces), trimmed."""
    return " ".join(CONTROL_CHARACTERS_RE.sub(" ", value or "").split())[:PLACEHOLDER_VALUE_MAX_LENGTH]


def filled_mail_template(request, pk: int):
    template = get_object_or_404(MailTemplate, pk=pk, live=True)  # a draft is shown nowhere
    values = {name: placeholder_value(request.GET.get(name, "")) for name in template.placeholder_names()}
    subject, body = template.render(values)
    subject = placeholder_value(subject)  # belt and braces: the subject is a single header line
    return template, subject, body.replace("\r\n", "\n").replace("\r", "\n")


def _attachment(content, content_type, name, extension):
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(name)[:80] or 'modele-de-mail'}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def mail_template_eml(request, pk: int):
    """The mail template, placeholders filled from the query string, as an unsent e-mail (.eml)."""
    template, subject, body = filled_mail_template(request, pk)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject  # EmailMessage refuses CR/LF in headers: no header injection
    message["X-Unsent"] = "1"  # opened as a draft by mail clients
    message.set_content(body, charset="utf-8")
    return _attachment(message.as_bytes(), "message/rfc822", template.name, "eml")


@require_GET
def mail_template_txt(request, pk: int):
    """The mail template, placeholders filled, as plain text."""
    template, subject, body = filled_mail_template(request, pk)
    label = _("Objet")
    content = f"{label} : {subject}\n\n{body.strip()}\n"
    return _attachment(content.encode("utf-8"), "text/plain; charset=utf-8", template.name, "txt")
