"""Plain data for the filter forms' DSFR markup (templates/territories/_fields.html).

Django's widget templates render each <option> through a template of its own: the department list alone
(104 options) costs tens of milliseconds a page. The filter pages render their fields from this data with one
template loop instead; labels, values, errors and selection come from the bound form as usual.
"""

from django import forms


def _options(choices, selected):
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.append({"label": value, "options": [(str(v), lbl, str(v) in selected) for v, lbl in label]})
        else:
            flat.append({"label": None, "options": [(str(value), label, str(value) in selected)]})
    # consecutive ungrouped options share one group (no <optgroup>)
    groups = []
    for group in flat:
        if group["label"] is None and groups and groups[-1]["label"] is None:
            groups[-1]["options"] += group["options"]
        else:
            groups.append(group)
    return groups


def fields(form) -> list[dict]:
    items = []
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        item = {
            "id": bound.auto_id or f"id_{bound.html_name}",
            "name": bound.html_name,
            "label": bound.label,
            "help": bound.help_text,
            "errors": list(bound.errors),
            "value": "" if value is None else value,
        }
        if isinstance(widget, forms.CheckboxInput):
            item["kind"] = "checkbox"
            item["checked"] = bool(value) and value not in ("", "0", "false", "False")
        elif isinstance(widget, forms.Select):
            item["kind"] = "select"
            selected = {"" if value is None else str(value)}
            item["groups"] = _options(bound.field.choices, selected)
        else:
            item["kind"] = "input"
            item["type"] = "number" if isinstance(bound.field, forms.IntegerField | forms.DecimalField) else "text"
            if isinstance(bound.field, forms.DecimalField):
                item["step"] = "any"
        items.append(item)
    return items
