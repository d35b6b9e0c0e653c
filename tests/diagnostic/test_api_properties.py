"""Property tests of the API (hypothesis): valid input → 200 with rates in [0, 100]; invalid input → 400."""

import json
import re
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from egalim.rules import (
    DEPARTMENTS,
    FAMILIES,
    GAPS,
    LABEL_COLUMNS,
    MEASURES,
    PURCHASE_FIELDS,
    STATUSES,
    VEGETARIAN_FREQUENCIES,
    WASTE_ACTIONS,
    DiagnosticInput,
    evaluate,
    normalize_department,
)

EVALUATE = "/api/v1/egalim/evaluate/"
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MAX_CENTS = 10**14 - 1  # 999 999 999 999,99 €
RATE = re.compile(r"^\d{1,3}\.\d{2}$")


def post(client, data):
    return client.post(EVALUATE, json.dumps(data), content_type="application/json")


def euros(cents, draw):
    """An amount as the API accepts it: a JSON integer, a JSON number or a string."""
    value = Decimal(cents) / 100
    style = draw(st.sampled_from(["string", "number"]))
    if style == "number" and cents % 100 == 0:
        return cents // 100
    if style == "number" and cents < 10**13:
        return float(value)  # at most 15 significant digits: exact round trip through the JSON text
    return f"{value:.2f}"


maybe_bool = st.one_of(st.none(), st.booleans())


@st.composite
def purchases(draw):
    total = draw(st.integers(1, MAX_CENTS))
    remaining, groups = total, {}
    for name in LABEL_COLUMNS:
        groups[name] = draw(st.integers(0, remaining))
        remaining -= groups[name]
    meat_fish_total = draw(st.integers(0, total))
    meat_fish_egalim = draw(st.integers(0, min(meat_fish_total, sum(groups.values()))))
    cents = {"total": total, **groups, "meat_fish_total": meat_fish_total, "meat_fish_egalim": meat_fish_egalim}
    kept = draw(st.sets(st.sampled_from(PURCHASE_FIELDS))) if draw(st.booleans()) else set(PURCHASE_FIELDS)
    return {name: euros(value, draw) for name, value in cents.items() if name in kept}


@st.composite
def purchases_by_family(draw):
    detail = {}
    for family in draw(st.sets(st.sampled_from(list(FAMILIES)), min_size=1)):
        total = draw(st.integers(0, MAX_CENTS // len(FAMILIES)))
        row, remaining = {"total": euros(total, draw)}, total
        for column in draw(st.sets(st.sampled_from(LABEL_COLUMNS))):
            value = draw(st.integers(0, remaining))
            remaining -= value
            row[column] = euros(value, draw)
        detail[family] = row
    if all(Decimal(str(row["total"])) == 0 for row in detail.values()):
        detail[next(iter(detail))]["total"] = 1
    return detail


@st.composite
def answers(draw):
    result = {}
    if draw(st.booleans()):
        result["waste"] = {
            "diagnostic_done": draw(maybe_bool),
            "actions": draw(st.none() | st.lists(st.sampled_from(list(WASTE_ACTIONS)), max_size=3, unique=True)),
            "donation_agreement": draw(maybe_bool),
        }
    if draw(st.booleans()):
        result["diversification"] = {
            "plan": draw(maybe_bool),
            "vegetarian_frequency": draw(st.none() | st.sampled_from(list(VEGETARIAN_FREQUENCIES))),
            "menu_choice": draw(maybe_bool),
            "daily_vegetarian_option": draw(maybe_bool),
        }
    if draw(st.booleans()):
        if draw(st.booleans()):
            result["plastic"] = {"containers": draw(maybe_bool), "bottles": draw(maybe_bool)}
        else:
            result["plastic"] = {
                name: draw(maybe_bool) for name in ("cooking_containers", "serving_containers", "tableware")
            }
    if draw(st.booleans()):
        result["information"] = {"informs_diners": draw(maybe_bool)}
    return result


@st.composite
def valid_inputs(draw):
    department = draw(st.sampled_from(sorted(DEPARTMENTS)))
    variants = [department, department.lower()]
    if department.isdigit():
        variants.append(int(department))
    data = {"year": draw(st.integers(2022, 2040)), "department": draw(st.sampled_from(variants))}
    if draw(st.booleans()):
        data["state_restaurant"] = draw(maybe_bool)
    if draw(st.booleans()):
        data["daily_meals"] = draw(st.none() | st.integers(1, 1_000_000))
    kind = draw(st.sampled_from(["purchases", "by_family", "none"]))
    if kind == "purchases":
        data["purchases"] = draw(purchases())
    elif kind == "by_family":
        data["purchases_by_family"] = draw(purchases_by_family())
    if draw(st.booleans()):
        data["answers"] = draw(answers())
    return data


@PROPERTY_SETTINGS
@given(data=valid_inputs())
@example(data={"year": 2022, "department": "01", "purchases": {"total": "0.01", "bio": "0.01"}})
@example(data={"year": 2040, "department": "976", "purchases": {"total": "999999999999.99", "bio": 0}})
def test_any_valid_input_gives_200_with_rates_between_0_and_100(client, data):
    response = post(client, data)
    assert response.status_code == 200, response.content
    body = response.json()
    for value in body["rates"].values():
        assert value is None or (RATE.match(value) and Decimal(0) <= Decimal(value) <= Decimal(100)), value
    assert list(body["measures"]) == list(MEASURES)
    for measure in body["measures"].values():
        assert measure["status"] in STATUSES
        assert (measure["status"] == "met") == (not measure["gaps"] and not measure["missing"])
    assert all(gap["code"] in GAPS for gap in body["gaps"])
    if "purchases" in data:  # the API is the rules module over HTTP
        assert body == evaluate(DiagnosticInput.from_dict(data)).as_dict()


# --- invalid input ----------------------------------------------------------------------------------------


def _is_valid_year(text):
    try:
        return 2022 <= int(re.sub(r"\.0*\s*$", "", str(text))) <= 2040
    except ValueError:
        return False


bad_years = st.one_of(
    st.integers().filter(lambda year: not 2022 <= year <= 2040),
    st.text(max_size=12).filter(lambda text: not _is_valid_year(text)),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x != int(x) or not 2022 <= x <= 2040),
    st.booleans(),
    st.none(),
    st.lists(st.integers(2022, 2040), max_size=2),
)
bad_departments = st.one_of(
    st.text(max_size=6).filter(lambda text: normalize_department(text.strip()) is None),
    st.integers().filter(lambda number: normalize_department(str(number)) is None),
    st.booleans(),
    st.none(),
    st.lists(st.just("75"), max_size=2),
    st.floats(allow_nan=False),
)
bad_amounts = st.one_of(
    st.integers(max_value=-1),
    st.decimals(max_value=Decimal("-0.01"), places=2, allow_nan=False).map(str),
    st.integers(min_value=10**12),
    # (an empty or blank string means "not given", like an empty form field)
    st.text(max_size=8).filter(lambda text: text.strip() and not re.fullmatch(r"\s*\d+(\.\d{0,2})?\s*", text)),
    st.booleans(),
    st.lists(st.integers(0, 10), max_size=2),
    st.just("1.001"),
    st.just("NaN"),
    st.just("Infinity"),
)
bad_booleans = st.one_of(
    st.text(max_size=6).filter(
        lambda text: (
            text
            not in {
                "true",
                "True",
                "TRUE",
                "false",
                "False",
                "FALSE",
                "1",
                "0",
                "on",
                "off",
                "On",
                "Off",
                "ON",
                "OFF",
                "yes",
                "no",
                "Yes",
                "No",
                "YES",
                "NO",
                "y",
                "n",
                "Y",
                "N",
                "null",
                "Null",
                "NULL",
                "",
            }
        )
    ),
    st.integers().filter(lambda number: number not in (0, 1)),
    st.lists(st.booleans(), max_size=2),
)
not_objects = st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2), st.booleans())


@st.composite
def invalid_inputs(draw):
    """A valid input with one thing broken: the API must answer 400 with field errors."""
    data = draw(valid_inputs())
    data.setdefault("purchases", {}) if "purchases_by_family" not in data else None
    mutation = draw(
        st.sampled_from(
            [
                "year",
                "drop_year",
                "department",
                "amount",
                "part_above_total",
                "meat_fish_above",
                "meals",
                "boolean",
                "action",
                "frequency",
                "unknown_key",
                "not_object",
                "both_purchases",
            ]
        )
    )
    if mutation == "year":
        data["year"] = draw(bad_years)
    elif mutation == "drop_year":
        del data["year"]
    elif mutation == "department":
        data["department"] = draw(bad_departments)
    elif mutation in ("amount", "part_above_total", "meat_fish_above"):
        data.pop("purchases_by_family", None)
        purchases = data.setdefault("purchases", {})
        if mutation == "amount":
            purchases[draw(st.sampled_from(PURCHASE_FIELDS))] = draw(bad_amounts)
        elif mutation == "part_above_total":
            total = draw(st.integers(0, 10**9))
            purchases.update(
                {"total": total, draw(st.sampled_from(PURCHASE_FIELDS[1:])): total + draw(st.integers(1, 10**6))}
            )
        else:
            meat_fish_total = draw(st.integers(0, 10**9))
            purchases.update(
                {
                    "total": None,
                    "meat_fish_total": meat_fish_total,
                    "meat_fish_egalim": meat_fish_total + draw(st.integers(1, 10**6)),
                }
            )
    elif mutation == "meals":
        data["daily_meals"] = draw(st.integers(max_value=0) | st.integers(min_value=1_000_001) | st.just("beaucoup"))
    elif mutation == "boolean":
        path = draw(
            st.sampled_from(
                [
                    ("state_restaurant",),
                    ("answers", "waste", "diagnostic_done"),
                    ("answers", "plastic", "bottles"),
                    ("answers", "information", "informs_diners"),
                ]
            )
        )
        target = data
        for name in path[:-1]:
            target = target.setdefault(name, {})
        target[path[-1]] = draw(bad_booleans)
    elif mutation == "action":
        actions = draw(st.lists(st.sampled_from(list(WASTE_ACTIONS)), max_size=2))
        actions.insert(
            draw(st.integers(0, len(actions))), draw(st.text(max_size=8).filter(lambda t: t not in WASTE_ACTIONS))
        )
        data.setdefault("answers", {}).setdefault("waste", {})["actions"] = actions
    elif mutation == "frequency":
        frequency = draw(st.text(max_size=10).filter(lambda t: t not in VEGETARIAN_FREQUENCIES))
        data.setdefault("answers", {}).setdefault("diversification", {})["vegetarian_frequency"] = frequency
    elif mutation == "unknown_key":
        where = draw(st.sampled_from(["top", "purchases", "answers", "waste"]))
        key = draw(st.text(min_size=1, max_size=10))
        known = {
            "top": {
                "year",
                "department",
                "state_restaurant",
                "daily_meals",
                "purchases",
                "purchases_by_family",
                "answers",
            },
            "purchases": set(PURCHASE_FIELDS),
            "answers": {"waste", "diversification", "plastic", "information"},
            "waste": {"diagnostic_done", "actions", "donation_agreement"},
        }[where]
        if key in known:
            key += "_x"
        target = {
            "top": lambda: data,
            "purchases": lambda: data.setdefault("purchases", {}),
            "answers": lambda: data.setdefault("answers", {}),
            "waste": lambda: data.setdefault("answers", {}).setdefault("waste", {}),
        }[where]()
        target[key] = draw(st.integers(0, 5))
    elif mutation == "not_object":
        data[draw(st.sampled_from(["purchases", "answers"]))] = draw(not_objects)
    else:
        data["purchases"] = {"total": 10}
        data["purchases_by_family"] = {"drinks": {"total": 10}}
    return data


@PROPERTY_SETTINGS
@given(data=invalid_inputs())
def test_any_invalid_input_gives_400_never_500(client, data):
    response = post(client, data)
    assert response.status_code == 400, (data, response.content)
    errors = response.json()["errors"]
    assert errors and all(isinstance(messages, list) and messages for messages in errors.values())
    assert all(isinstance(message, str) and message for messages in errors.values() for message in messages)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@PROPERTY_SETTINGS
@given(
    data=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"year": bad_years | st.integers(2022, 2040)},
            optional={
                "department": bad_departments | st.sampled_from(["75", "972"]),
                "purchases": json_values,
                "answers": json_values,
            },
        ),
    )
)
def test_arbitrary_json_never_gives_500(client, data):
    response = post(client, data)
    assert response.status_code in (200, 400), (data, response.content)
    if response.status_code == 400:
        assert isinstance(response.json()["errors"], dict)
