"""The JSON API: the shared rule table through HTTP, validation errors, CSRF, rate limit, OpenAPI schema."""

import json

import pytest
from django.test import Client

from tests.diagnostic.cases import BASE, MARTINIQUE, PARAMS, check, make

EVALUATE = "/api/v1/egalim/evaluate/"
THRESHOLDS = "/api/v1/egalim/thresholds/"


def post(client, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(EVALUATE, body, content_type="application/json", **extra)


@pytest.mark.parametrize("case", PARAMS)
def test_api_table(client, case):
    response = post(client, case.input)
    assert response.status_code == 200, response.content
    check(case, response.json())


def test_issue_example(client):
    response = post(client, MARTINIQUE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["year"] == 2025
    assert body["territory_group"] == "overseas_1"
    assert body["rates"] == {"bio": "6.00", "egalim": "22.00", "meat_fish_egalim": "60.00"}
    assert body["thresholds"] == {"bio": "5", "egalim": "20", "meat_fish_egalim": "60"}
    assert body["measures"]["quality"] == {
        "status": "met",
        "label": "Qualité et durabilité des produits",
        "gaps": [],
        "missing": [],
    }
    assert set(body["measures"]) == {"quality", "waste", "diversification", "plastic", "information"}
    assert body["gaps"] == []


def test_gap_entries(client):
    response = post(client, make({"year": 2026}, base=MARTINIQUE))
    gap = response.json()["gaps"][0]
    assert gap == {
        "code": "quality.bio_below_threshold",
        "measure": "quality",
        "label": "Part de produits bio sous le seuil",
        "resources_url": "/ressources/?measure=quality&gap=quality.bio_below_threshold",
        "missing_amount": "4000.00",
        "missing_points": "4.00",
        "detail": "Il manque 4\u202f000\u00a0€ HT d'achats bio, soit 4,0 points.",
    }


@pytest.mark.parametrize(
    "query, headers",
    [("?lang=en", {}), ("", {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}), ("?lang=en-US", {})],
)
def test_labels_in_english(client, query, headers):
    data = make({"answers.information.informs_diners": False})
    response = client.post(EVALUATE + query, json.dumps(data), content_type="application/json", **headers)
    body = response.json()
    assert body["gaps"][0]["label"] == "Diners not informed"
    assert body["measures"]["information"]["label"] == "Informing diners"


def test_french_by_default_and_with_lang_fr(client):
    data = make({"answers.information.informs_diners": False})
    for query, headers in (("", {}), ("?lang=fr", {"HTTP_ACCEPT_LANGUAGE": "en"})):
        response = client.post(EVALUATE + query, json.dumps(data), content_type="application/json", **headers)
        assert response.json()["gaps"][0]["label"] == "Convives non informés"


INVALID = [
    ("negative-amount", {"purchases.bio": -1}, "purchases.bio", "Le montant ne peut pas être négatif."),
    ("bio-above-total", {"purchases.bio": 100001}, "purchases.bio", "Les achats bio ne peuvent pas dépasser"),
    ("siqo-above-total", {"purchases.siqo": "100000.01"}, "purchases.siqo", "ne peuvent pas dépasser"),
    ("groups-above-total", {"purchases.siqo": 80000}, "purchases.total", "La somme des achats"),
    ("total-zero", {"purchases.total": 0}, "purchases.total", "supérieur à 0"),
    ("meat-fish-above-total", {"purchases.meat_fish_total": 100001}, "purchases.meat_fish_total", "dépasser"),
    (
        "meat-fish-egalim-above-meat-fish",
        {"purchases.meat_fish_egalim": 30001},
        "purchases.meat_fish_egalim",
        "total des achats de viandes et poissons",
    ),
    (
        "meat-fish-egalim-above-egalim",
        {"purchases.meat_fish_total": 90000, "purchases.meat_fish_egalim": 60000},
        "purchases.meat_fish_egalim",
        "la somme des achats bio",
    ),
    ("three-decimals", {"purchases.bio": "1.005"}, "purchases.bio", "deux chiffres après la virgule"),
    ("not-a-number", {"purchases.bio": "beaucoup"}, "purchases.bio", "Saisissez un montant"),
    ("boolean-amount", {"purchases.bio": True}, "purchases.bio", "Saisissez un montant"),
    ("huge-amount", {"purchases.total": "1e15"}, "purchases.total", "trop élevé"),
    ("nan-amount", {"purchases.total": "NaN"}, "purchases.total", "Saisissez un montant"),
    ("unknown-department", {"department": "99"}, "department", "Département inconnu"),
    ("department-20", {"department": "20"}, "department", "Département inconnu"),
    ("empty-department", {"department": ""}, "department", "Département inconnu"),
    ("missing-department", {"department": object}, "department", "obligatoire"),
    ("year-2021", {"year": 2021}, "year", "entre 2022 et 2040"),
    ("year-2041", {"year": 2041}, "year", "entre 2022 et 2040"),
    ("year-text", {"year": "l'an dernier"}, "year", "Saisissez une année"),
    ("missing-year", {"year": object}, "year", "obligatoire"),
    ("daily-meals-zero", {"daily_meals": 0}, "daily_meals", "au moins 1"),
    ("daily-meals-decimal", {"daily_meals": 12.5}, "daily_meals", "nombre entier"),
    ("state-not-boolean", {"state_restaurant": "peut-être"}, "state_restaurant", "oui (true) ou par non"),
    ("unknown-action", {"answers.waste.actions": ["portions", "jeûne"]}, "answers.waste.actions.1", "Choix inconnu"),
    ("actions-not-list", {"answers.waste.actions": "portions"}, "answers.waste.actions", "Une liste est attendue"),
    (
        "unknown-frequency",
        {"answers.diversification.vegetarian_frequency": "monthly"},
        "answers.diversification.vegetarian_frequency",
        "Choix inconnu",
    ),
    ("containers-twice", {"answers.plastic.containers": True}, "answers.plastic.containers", "pas les deux"),
    ("unknown-field", {"purchases.organic": 10}, "purchases.organic", "Champ inconnu"),
    ("unknown-top-field", {"departement": "35"}, "departement", "Champ inconnu"),
    ("answers-not-object", {"answers": [1, 2]}, "answers", "Un objet JSON est attendu"),
    (
        "both-purchase-forms",
        {"purchases_by_family": {"drinks": {"total": 10}}},
        "purchases_by_family",
        "pas les deux",
    ),
]


@pytest.mark.parametrize("changes, field, text", [pytest.param(*row[1:], id=row[0]) for row in INVALID])
def test_invalid_input_gives_field_errors_in_french(client, changes, field, text):
    data = make({path: (value if value is not object else None) for path, value in changes.items()})
    for path, value in changes.items():
        if value is object:  # remove the key entirely
            data.pop(path)
    response = post(client, data)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    assert any(text in message for message in errors[field]), errors[field]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null", '"texte"', "{", '{"year": NaN}'])
def test_bodies_that_are_not_objects_give_400(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"year": 2024, "department": "75", "answers": ' + "[" * 5_000 + "]" * 5_000 + "}",
        '{"year": 2024, "department": "75", "answers": {"waste": {"actions": [' + "[" * 2_000 + "]" * 2_000 + "]}}}",
    ],
    ids=["top", "answers", "actions"],
)
def test_json_nested_too_deeply_gives_400_not_500(client, body):
    # Python's JSON decoder raises RecursionError (not a ValueError) beyond about a thousand levels.
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["Le corps de la requête n'est pas un JSON valide."]}}


def test_detailed_purchases_with_every_total_at_zero_are_refused_like_the_simple_ones(client):
    data = make({"purchases": object})
    data.pop("purchases")
    data["purchases_by_family"] = {"drinks": {"total": 0}, "bakery": {"total": "0.00", "bio": 0}}
    response = post(client, data)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "purchases_by_family.bakery.total": ["Le total des achats doit être supérieur à 0."]
    }
    simple = post(client, make({"purchases": {"total": 0}}))
    assert simple.json()["errors"] == {"purchases.total": ["Le total des achats doit être supérieur à 0."]}


def test_form_encoded_body_is_rejected_with_json(client):
    response = client.post(EVALUATE, {"year": 2025})
    assert response.status_code == 415
    assert "JSON" in response.json()["errors"]["body"][0]


def test_get_is_not_allowed_on_evaluate(client):
    assert client.get(EVALUATE).status_code == 405


def test_evaluate_is_csrf_exempt():
    client = Client(enforce_csrf_checks=True)
    assert post(client, BASE).status_code == 200


def test_detailed_calculator_gives_the_same_result(client):
    by_family = {
        "meat_poultry": {"total": 20000, "bio": 2000, "siqo": 8000, "other_egalim": 2000},
        "fish_seafood": {"total": 10000, "bio": 3000, "other_egalim": 3000},
        "fruits_vegetables": {"total": 30000, "bio": 9000, "environmental": 5000},
        "charcuterie": {"total": 5000, "siqo": 2000},
        "dairy": {"total": 15000, "bio": 4000, "siqo": 10000},
        "bakery": {"total": 10000, "bio": 2000, "other_egalim": 0},
        "drinks": {"total": 5000},
        "other": {"total": 5000},
    }
    detailed = make({"purchases": object})
    detailed.pop("purchases")
    detailed["purchases_by_family"] = by_family
    simple = post(client, BASE).json()
    result = post(client, detailed).json()
    assert result == simple


def test_rate_limit_answers_429_in_json(client, settings):
    settings.EGALIM_API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert post(client, BASE).status_code == 200
    response = post(client, BASE)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Trop de requêtes" in response.json()["errors"]["rate_limit"][0]
    other_ip = post(client, BASE, REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 200


def test_thresholds(client):
    response = client.get(THRESHOLDS, {"department": "976", "year": 2030})
    assert response.status_code == 200
    assert response.json() == {
        "year": 2030,
        "department": "976",
        "territory_group": "mayotte",
        "territory": "Mayotte",
        "thresholds": {
            "bio": "10",
            "egalim": "30",
            "meat_fish_egalim": "60",
            "meat_fish_egalim_state_restaurant": "100",
        },
    }
    before = client.get(THRESHOLDS, {"department": "2b", "year": "2023", "lang": "en"}).json()
    assert before["department"] == "2B"
    assert before["territory"] == "Metropolitan France and other territories"
    assert before["thresholds"]["meat_fish_egalim"] is None


@pytest.mark.parametrize(
    "params, fields",
    [
        ({}, {"department", "year"}),
        ({"department": "99", "year": 2025}, {"department"}),
        ({"department": "75", "year": 2019}, {"year"}),
        ({"department": "75", "year": "deux mille"}, {"year"}),
    ],
)
def test_thresholds_bad_input(client, params, fields):
    response = client.get(THRESHOLDS, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields


def test_openapi_schema_documents_both_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    evaluate = schema["paths"]["/api/v1/egalim/evaluate/"]["post"]
    assert evaluate["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("EvaluateRequest")
    assert set(evaluate["responses"]) == {"200", "400", "429"}
    assert evaluate["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("Evaluation")
    thresholds = schema["paths"]["/api/v1/egalim/thresholds/"]["get"]
    assert {parameter["name"] for parameter in thresholds["parameters"]} == {"department", "year"}
    components = schema["components"]["schemas"]
    assert "purchases" in components["EvaluateRequest"]["properties"]
    assert set(components["Evaluation"]["properties"]) >= {"rates", "thresholds", "measures", "gaps"}
