"""The calculator and autodiagnostic: a stepper (one step per measure) that works without JavaScript.

Answers are kept in the session as the raw values each step submitted; the results page re-validates
them with the same forms and asks `rules.evaluate()` for the verdict. No account needed. The steps are in
`diagnostic.steps`, the session and the results' display rows in `diagnostic.presentation`.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from accounts.ratelimits import too_many_attempts
from egalim.rules import PURCHASE_FIELDS, evaluate
from home.pdf import PDFUnavailable, pdf_response, pdf_unavailable

from .forms import QualityDetailForm
from .poster import POSTER_NOTE_MAX_LENGTH, poster_context, render_poster
from .presentation import (
    SESSION_KEY,
    amount_text,
    collect,
    current_language,
    load_state,
    raw_data,
    results_context,
    save_state,
)
from .steps import STEPS, STEPS_BY_SLUG


def stepper(step, lang):
    index = STEPS.index(step)
    following = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return {
        "current": index + 1,
        "total": len(STEPS),
        "title": step.title_for(lang),
        "next_title": following.title_for(lang) if following else _("Vos résultats"),
        "previous_url": STEPS[index - 1].url if index else None,
    }


def _render_step(request, step, form, state, lang, template="diagnostic/step.html", status=200, extra=None):
    context = {
        "step": step,
        "form": form,
        "stepper": stepper(step, lang),
        "has_answers": bool(state.get("steps")),
        "detail_mode": state.get("purchases_mode") == "detail",
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _next_url(step):
    index = STEPS.index(step)
    return STEPS[index + 1].url if index + 1 < len(STEPS) else reverse("diagnostic:results")


@never_cache
@require_http_methods(["GET", "POST"])
def step_view(request, slug="restaurant"):
    step = STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    lang = current_language()
    state = load_state(request)
    if request.method == "POST":
        form = step.form_class(request.POST, lang=lang)
        if form.is_valid():
            state.setdefault("steps", {})[step.slug] = raw_data(form)
            if step.slug == "qualite":
                state["purchases_mode"] = "simple"
            save_state(request, state)
            return redirect(_next_url(step))
        return _render_step(request, step, form, state, lang)
    initial = (state.get("steps") or {}).get(step.slug)
    if step.slug == "qualite" and state.get("purchases_mode") == "detail":
        _input, purchases = collect(state, lang)
        if purchases is not None:
            initial = {name: amount_text(getattr(purchases, name)) for name in PURCHASE_FIELDS}
    form = step.form_class(initial=initial if isinstance(initial, dict) else None, lang=lang)
    return _render_step(request, step, form, state, lang)


@never_cache
@require_http_methods(["GET", "POST"])
def quality_detail(request):
    """The detailed calculator: purchases per family × label group, part of the "quality" step."""
    step = STEPS_BY_SLUG["qualite"]
    lang = current_language()
    state = load_state(request)
    if request.method == "POST":
        form = QualityDetailForm(request.POST, lang=lang)
        if form.is_valid():
            state["detail"] = raw_data(form)
            state["purchases_mode"] = "detail"
            steps = state.setdefault("steps", {})
            sums = form.purchases()
            steps["qualite"] = {name: amount_text(getattr(sums, name)) for name in PURCHASE_FIELDS}
            save_state(request, state)
            return redirect(_next_url(step))
    else:
        initial = state.get("detail")
        form = QualityDetailForm(initial=initial if isinstance(initial, dict) else None, lang=lang)
    return _render_step(request, step, form, state, lang, template="diagnostic/quality_detail.html")


@require_POST
def restart(request):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("Vos réponses ont été effacées : vous pouvez recommencer le diagnostic."))
    return redirect("diagnostic:start")


def _results(request, template):
    lang = current_language()
    data, _purchases = collect(load_state(request), lang)
    if data is None:
        messages.info(request, _("Commencez par décrire votre restaurant : département et année des données."))
        return redirect("diagnostic:start")
    evaluation = evaluate(data)
    return render(request, template, results_context(request, evaluation, lang))


@never_cache
def results(request):
    return _results(request, "diagnostic/results.html")


@never_cache
def results_print(request):
    return _results(request, "diagnostic/results_print.html")


def poster(request):
    """The poster of the anonymous diagnostic (answers kept in the session), without an account or a QR code.

    The canteen manager's poster (canteens:poster) is built by the same diagnostic/poster.py."""
    lang = current_language()
    data, _purchases = collect(load_state(request), lang)
    if data is None:
        messages.info(request, _("Commencez par décrire votre restaurant : département et année des données."))
        return redirect("diagnostic:start")
    # Each poster is a WeasyPrint render (a CPU-second): per IP address, like the other anonymous forms.
    rate = lambda group, request: settings.POSTER_RATE_LIMIT  # noqa: E731
    if is_ratelimited(request, group="diagnostic.poster", key="ip", rate=rate, method="GET", increment=True):
        return too_many_attempts(request)
    # English names since issue 20; the French ones of the first links (?nom=, ?message=) are still read.
    name = (request.GET.get("name") or request.GET.get("nom") or "").strip()[:255] or _("Notre restaurant")
    note = (request.GET.get("note") or request.GET.get("message") or "").strip()[:POSTER_NOTE_MAX_LENGTH]
    try:
        content = render_poster(poster_context(name, evaluate(data), note=note, lang=lang))
    except PDFUnavailable:
        return pdf_unavailable(request)
    return pdf_response(content, f"affiche-egalim-{data.year}.pdf")
