"""What the calculator's pages and the canteen pages show: answers kept in the session, results as display rows.

No view here: `diagnostic.views` and `canteens` both build their pages from these helpers.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from egalim import formatting
from egalim.rules import INCOMPLETE, MET, NOT_MET
from egalim.thresholds import department_label, territory_label
from resources.gaps import MANAGER, hub_url, resources_for_gaps

from .forms import PURCHASE_LABELS, QualityDetailForm, RestaurantForm, build_input
from .steps import STEP_OF_MEASURE, STEPS, STEPS_BY_SLUG

SESSION_KEY = "egalim_diagnostic"


# Labels defined once, in the formatting helper (also used by the PDFs, e-mails and exports).
STATUS_DISPLAY = {
    MET: (formatting.STATUS_LABELS[MET], "fr-badge--success"),
    NOT_MET: (formatting.STATUS_LABELS[NOT_MET], "fr-badge--error"),
    INCOMPLETE: (formatting.STATUS_LABELS[INCOMPLETE], "fr-badge--warning"),
}


def current_language() -> str:
    """The active language, "en" or "fr", by the one test of egalim.formatting."""
    return formatting.language_code(translation.get_language())


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


def amount_text(value: Decimal | None) -> str:
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
