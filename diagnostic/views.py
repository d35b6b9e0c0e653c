"""The calculator and autodiagnostic: a stepper (one step per measure) that works without JavaScript.

Answers are kept in the session as the raw values each step submitted; the results page re-validates
them with the same forms and asks `rules.evaluate()` for the verdict. No account needed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import (
    PURCHASE_LABELS,
    DiversificationForm,
    InformationForm,
    PlasticForm,
    QualityDetailForm,
    QualityForm,
    RestaurantForm,
    WasteForm,
    build_input,
)
from .resources import MANAGER, hub_url, resources_for_gaps
from .rules import INCOMPLETE, MET, NOT_MET, PURCHASE_FIELDS, evaluate, formatting, measure_label
from .rules.thresholds import department_label, territory_label

SESSION_KEY = "egalim_diagnostic"


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    measure: str | None = None
    title: str = ""

    def title_for(self, lang) -> str:
        return measure_label(self.measure, lang) if self.measure else str(self.title)

    @property
    def url(self) -> str:
        if self.slug == STEPS[0].slug:
            return reverse("diagnostic:start")
        return reverse("diagnostic:step", args=[self.slug])


STEPS = [
    Step("restaurant", RestaurantForm, title=_("Votre restaurant")),
    Step("qualite", QualityForm, "quality"),
    Step("gaspillage", WasteForm, "waste"),
    Step("diversification", DiversificationForm, "diversification"),
    Step("plastiques", PlasticForm, "plastic"),
    Step("information", InformationForm, "information"),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
STEP_OF_MEASURE = {step.measure: step for step in STEPS if step.measure}

STATUS_DISPLAY = {
    MET: (_("Atteint"), "fr-badge--success"),
    NOT_MET: (_("Non atteint"), "fr-badge--error"),
    INCOMPLETE: (_("À compléter"), "fr-badge--warning"),
}


def current_language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "fr"


def load_state(request) -> dict:
    state = request.session.get(SESSION_KEY)
    return state if isinstance(state, dict) else {}


def save_state(request, state):
    request.session[SESSION_KEY] = state


def raw_data(form) -> dict:
    """The submitted values of a form's fields, JSON-serialisable for the session."""
    data = {}
    for name, field in form.fields.items():
        if hasattr(form.data, "getlist") and getattr(field.widget, "allow_multiple_selected", False):
            data[name] = form.data.getlist(name)
        else:
            data[name] = form.data.get(name, "")
    return data


def _amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def collect(state, lang):
    """(DiagnosticInput or None, Purchases or None) from the answers kept in the session."""
    steps = state.get("steps") or {}
    cleaned = {}
    quality_form = None
    for step in STEPS:
        raw = steps.get(step.slug)
        if not isinstance(raw, dict):
            continue
        form = step.form_class(raw, lang=lang)
        if form.is_valid():
            cleaned[step.slug] = form.cleaned_data
            if step.slug == "qualite":
                quality_form = form
    purchases = quality_form.purchases() if quality_form else None
    if state.get("purchases_mode") == "detail" and isinstance(state.get("detail"), dict):
        detail_form = QualityDetailForm(state["detail"], lang=lang)
        if detail_form.is_valid():
            purchases = detail_form.purchases()
    return build_input(cleaned, purchases), purchases


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
            initial = {name: _amount_text(getattr(purchases, name)) for name in PURCHASE_FIELDS}
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
            steps["qualite"] = {name: _amount_text(getattr(sums, name)) for name in PURCHASE_FIELDS}
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


def _missing_label(path, lang):
    """The question behind an input path of the rules ("answers.waste.actions") and the step that asks it."""
    parts = path.split(".")
    if parts[0] == "purchases":
        return PURCHASE_LABELS[parts[1]][0], STEPS_BY_SLUG["qualite"]
    if parts[0] == "answers":
        step = STEP_OF_MEASURE[parts[1]]
        return step.form_class(lang=lang).fields[parts[2]].label, step
    return RestaurantForm.base_fields[parts[0]].label, STEPS[0]


RATE_LABELS = {
    "egalim": _("Produits durables et de qualité (EGAlim), bio compris"),
    "bio": _("Dont produits bio"),
    "meat_fish_egalim": _("Viandes et poissons EGAlim"),
}


def _rates(evaluation, lang):
    rows = []
    for name in ("egalim", "bio", "meat_fish_egalim"):
        value = evaluation.rates[name]
        threshold = evaluation.applied_thresholds[name]
        met = evaluation.rates_met[name]
        rows.append(
            {
                "name": name,
                "label": RATE_LABELS[name],
                "value": value,
                "display": formatting.rate(value, lang) if value is not None else None,
                "progress": f"{formatting.truncate(min(value, Decimal(100)), 1):.1f}" if value is not None else "0",
                "threshold": formatting.threshold(threshold, lang) if threshold is not None else None,
                "met": met,
            }
        )
    return rows


def _resource_link(request, page):
    url = page.get_url(request) or ""
    return {"title": page.title, "url": url, "absolute_url": request.build_absolute_uri(url) if url else ""}


def results_context(request, evaluation, lang, sector=None):
    """The results page's context; `sector` (a canteen's sector category) favours that sector's resources."""
    locale_hub = hub_url(lang, request)
    resources = resources_for_gaps(evaluation.gaps, lang, audience=MANAGER, sector=sector)
    measures = []
    for code, result in evaluation.measures.items():
        status_label, badge = STATUS_DISPLAY[result.status]
        missing = []
        for path in result.missing:
            label, step = _missing_label(path, lang)
            missing.append({"label": label, "url": step.url})
        measures.append(
            {
                "code": code,
                "label": result.label_for(lang),
                "status": result.status,
                "status_label": status_label,
                "badge": badge,
                "step_url": STEP_OF_MEASURE[code].url,
                "rates": _rates(evaluation, lang) if code == "quality" else None,
                "gaps": [
                    {
                        "code": gap.code,
                        "label": gap.label_for(lang),
                        "detail": gap.detail_for(lang),
                        "resources": [_resource_link(request, page) for page in resources.get(gap.code, [])],
                        "hub_url": gap.gap.resources_url(locale_hub, audience=MANAGER),
                    }
                    for gap in result.gaps
                ],
                "missing": missing,
            }
        )
    data = evaluation.input
    return {
        "evaluation": evaluation,
        "measures": measures,
        "summary": {
            "department": data.department,
            "place": department_label(data.department, lang),
            "territory": territory_label(evaluation.territory_group, lang),
            "thresholds": {
                "egalim": formatting.threshold(evaluation.thresholds.egalim, lang),
                "bio": formatting.threshold(evaluation.thresholds.bio, lang),
            },
            "year": data.year,
            "state_restaurant": data.state_restaurant,
            "daily_meals": data.daily_meals,
        },
        "gap_count": len(evaluation.gaps),
        "met_count": sum(1 for m in evaluation.measures.values() if m.status == MET),
        "edit_url": STEPS[0].url,
    }


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
