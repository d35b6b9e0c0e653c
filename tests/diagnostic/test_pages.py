"""The stepper, the detailed calculator and the results pages, driven with the Django test client (no JS)."""

import re
from html import unescape
from pathlib import Path

import pytest

from tests import module_site

pytestmark = pytest.mark.django_db

# The home page, built once for the module (tests/module_site.py): the tests only read it.
shared_home_site, home_site, locales, home_page = (
    module_site.shared_home_site,
    module_site.home_site,
    module_site.locales,
    module_site.home_page,
)

ROOT = Path(__file__).resolve().parents[2]

RESTAURANT = {"department": "972", "year": "2025", "state_restaurant": "no", "daily_meals": "450"}
QUALITY = {
    "total": "100 000",
    "bio": "6000",
    "siqo": "8 000,00",
    "environmental": "2000",
    "other_egalim": "6000",
    "meat_fish_total": "30000",
    "meat_fish_egalim": "18000",
}
WASTE = {"diagnostic_done": "yes", "actions": ["portions", "awareness"], "donation_agreement": "no"}
DIVERSIFICATION = {
    "plan": "yes",
    "vegetarian_frequency": "weekly",
    "menu_choice": "no",
    "daily_vegetarian_option": "no",
}
PLASTIC = {"cooking_containers": "yes", "serving_containers": "yes", "bottles": "yes", "tableware": "yes"}
INFORMATION = {"informs_diners": "yes"}

STEPS = [
    ("/diagnostic/", RESTAURANT, "/diagnostic/qualite/"),
    ("/diagnostic/qualite/", QUALITY, "/diagnostic/gaspillage/"),
    ("/diagnostic/gaspillage/", WASTE, "/diagnostic/diversification/"),
    ("/diagnostic/diversification/", DIVERSIFICATION, "/diagnostic/plastiques/"),
    ("/diagnostic/plastiques/", PLASTIC, "/diagnostic/information/"),
    ("/diagnostic/information/", INFORMATION, "/diagnostic/resultats/"),
]


def complete(client, prefix="", **overrides):
    """Walk through the six steps as a browser without JavaScript would."""
    for url, data, next_url in STEPS:
        page = client.get(prefix + url)
        assert page.status_code == 200
        assert 'name="csrfmiddlewaretoken"' in page.content.decode()
        response = client.post(prefix + url, {**data, **overrides.get(url.strip("/").split("/")[-1], {})})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response["Location"] == prefix + next_url
    return client.get(prefix + "/diagnostic/resultats/")


def main(response):
    """The page's <main>, HTML entities decoded."""
    html = response.content.decode()
    return unescape(html[html.index("<main") : html.index("</main>")])


def test_start_page_is_a_dsfr_stepper_without_inline_script(client, home_page):
    response = client.get("/diagnostic/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="fr-stepper"' in html
    assert "Étape 1 sur 6" in html
    assert 'data-fr-current-step="1" data-fr-steps="6"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_english_start_page(client, home_page_en):
    response = client.get("/en/diagnostic/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'action=""' in html
    # English from the app's message catalogue (diagnostic/locale/en).
    assert "Step 1 of 6" in html
    assert "EGAlim self-assessment" in html
    assert "Is it a State restaurant?" in html


def test_the_stepper_completes_without_javascript(client, home_page):
    response = complete(client)
    assert response.status_code == 200
    html = main(response)
    assert "5 mesures atteintes sur 5" in html
    assert html.count("fr-badge--success") == 5
    assert "Martinique" in html
    assert "6,0\u00a0%" in html and "objectif 5\u00a0%" in html
    assert '<progress class="diag-progress diag-progress--met" max="100" value="22.0"' in html


def test_results_show_gaps_with_the_missing_amount(client, home_page):
    response = complete(client)
    client.post("/diagnostic/", {**RESTAURANT, "year": "2026"})
    client.post("/diagnostic/information/", {"informs_diners": "no"})
    html = main(client.get("/diagnostic/resultats/"))
    assert "Non atteint" in html
    assert "Part de produits bio sous le seuil" in html
    assert "Il manque 4\u202f000\u00a0€ HT d'achats bio, soit 4,0 points." in html
    assert "Convives non informés" in html
    assert 'href="/ressources/?measure=information&gap=information.not_informed&audience=gestionnaire"' in html
    assert response.status_code == 200


def test_english_results_use_english_labels(client, home_page_en):
    complete(client, prefix="/en")
    client.post("/en/diagnostic/information/", {"informs_diners": "no"})
    html = main(client.get("/en/diagnostic/resultats/"))
    assert "Diners not informed" in html
    assert "Informing diners" in html
    assert 'href="/en/ressources/?measure=information&gap=information.not_informed&audience=gestionnaire"' in html


def test_meat_fish_bar_is_neither_met_nor_missed_while_the_state_status_is_unknown(client, home_page):
    # 60 % of meat and fish: enough for most restaurants (60 %), not for a State restaurant (100 %).
    complete(client, diagnostic={"state_restaurant": "unknown"})
    html = main(client.get("/diagnostic/resultats/"))
    assert re.search(r'<progress class="diag-progress" max="100" value="60.0"', html)
    assert re.search(r'<progress class="diag-progress diag-progress--met" max="100" value="22.0"', html)
    assert "Est-ce un restaurant de l'État ?" in html
    client.post("/diagnostic/", {**RESTAURANT, "state_restaurant": "yes"})
    html = main(client.get("/diagnostic/resultats/"))
    assert re.search(r'<progress class="diag-progress diag-progress--not-met" max="100" value="60.0"', html)


def test_unanswered_questions_make_the_measure_incomplete(client, home_page):
    client.post("/diagnostic/", RESTAURANT)
    client.post("/diagnostic/plastiques/", {"cooking_containers": "yes", "serving_containers": "unknown"})
    html = main(client.get("/diagnostic/resultats/"))
    assert html.count("À compléter") == 5
    assert "Avez-vous supprimé les contenants de service en plastique ?" in html
    assert 'href="/diagnostic/plastiques/"' in html


def test_results_without_restaurant_redirect_to_the_first_step(client, home_page):
    response = client.get("/diagnostic/resultats/")
    assert response.status_code == 302
    assert response["Location"] == "/diagnostic/"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({**RESTAURANT, "department": "99"}, "department", "Département inconnu"),
        ({**RESTAURANT, "department": ""}, "department", "Ce champ est obligatoire."),
        ({**RESTAURANT, "year": "2021"}, "year", "L'année doit être comprise entre 2022 et 2040."),
        ({**RESTAURANT, "year": "2041"}, "year", "L'année doit être comprise entre 2022 et 2040."),
        ({**RESTAURANT, "year": "deux mille"}, "year", "Saisissez une année"),
        ({**RESTAURANT, "daily_meals": "0"}, "daily_meals", "au moins 1"),
        ({**RESTAURANT, "state_restaurant": "peut-être"}, "state_restaurant", "Choix inconnu."),
    ],
)
def test_restaurant_step_errors_in_french(client, home_page, data, field, message):
    response = client.post("/diagnostic/", data)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert message in html
    assert "Le formulaire contient des erreurs" in html
    assert f'href="#id_{field}"' in html or f'href="#id_{field}_0"' in html  # radios: the first one
    assert "fr-error-text" in html or "fr-message--error" in html


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"bio": "-5"}, "bio", "Le montant ne peut pas être négatif."),
        ({"bio": "100 001"}, "bio", "Les achats bio ne peuvent pas dépasser le total des achats."),
        ({"siqo": "90000"}, "total", "La somme des achats bio, SIQO"),
        ({"meat_fish_egalim": "30000,01"}, "meat_fish_egalim", "total des achats de viandes et poissons"),
        ({"total": "0"}, "total", "supérieur à 0"),
        ({"bio": "1,234"}, "bio", "deux chiffres après la virgule"),
        ({"bio": "beaucoup"}, "bio", "Saisissez un montant"),
        ({"total": "1e15"}, "total", "trop élevé"),
    ],
)
def test_quality_step_errors_in_french(client, home_page, changes, field, message):
    response = client.post("/diagnostic/qualite/", {**QUALITY, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'<input type="text" name="{field}"' in html
    assert re.search(rf'name="{field}"[^>]*class="fr-input fr-input--error"', html)
    assert f'id="id_{field}-error" class="fr-error-text"' in html


def test_english_step_errors_and_help_texts_are_in_english(client, home_page_en):
    # Messages and help texts set when the form classes are built are still translated when displayed.
    response = client.post("/en/diagnostic/", {**RESTAURANT, "year": "deux mille"})
    html = unescape(response.content.decode())
    assert "Enter a year, for example 2025." in html
    assert "Saisissez une année" not in html
    assert "From 2022 to 2040: a coming year lets you plan for the thresholds ahead." in html
    html = unescape(client.get("/en/diagnostic/gaspillage/").content.decode())
    assert "Required above 3,000 meals prepared per day." in html
    html = unescape(client.get("/en/diagnostic/diversification/").content.decode())
    assert "Required above 200 meals served per day on average." in html


def test_help_texts_quote_the_rules_figures(client, home_page):
    from egalim.labels import LABEL_GROUPS
    from egalim.rules import DIVERSIFICATION_PLAN_DAILY_MEALS, DONATION_AGREEMENT_DAILY_MEALS, LAST_YEAR

    (level_2,) = [label for label in LABEL_GROUPS["other_egalim"].labels if label.code == "certification_niveau_2"]
    assert (DONATION_AGREEMENT_DAILY_MEALS, DIVERSIFICATION_PLAN_DAILY_MEALS, level_2.last_year) == (3000, 200, 2026)
    html = unescape(client.get("/diagnostic/").content.decode())
    assert f"De 2022 à {LAST_YEAR} : une année à venir" in html
    html = unescape(client.get("/diagnostic/qualite/").content.decode())
    assert "certification environnementale de niveau 2 jusqu'au 31/12/2026)" in html
    html = unescape(client.get("/diagnostic/gaspillage/").content.decode())
    assert "Obligatoire au-delà de 3\u202f000 repas préparés par jour." in html
    html = unescape(client.get("/diagnostic/diversification/").content.decode())
    assert "Obligatoire au-delà de 200 repas servis par jour en moyenne." in html


def test_answers_are_kept_in_the_session(client, home_page):
    client.post("/diagnostic/", RESTAURANT)
    html = client.get("/diagnostic/").content.decode()
    assert 'value="972"' in html
    assert re.search(r'value="no" checked', html)


def test_answers_are_english_values_and_old_french_ones_are_still_read(client, home_page):
    """Radio values are English identifiers (issue 20); a session started before kept « oui » / « non » / « nsp »."""
    html = client.get("/diagnostic/gaspillage/").content.decode()
    assert 'value="yes"' in html and 'value="no"' in html and 'value="oui"' not in html
    session = client.session
    session["egalim_diagnostic"] = {
        "steps": {
            "restaurant": {**RESTAURANT, "state_restaurant": "nsp"},
            "gaspillage": {"diagnostic_done": "oui", "actions": [], "donation_agreement": "non"},
        }
    }
    session.save()
    html = client.get("/diagnostic/gaspillage/").content.decode()
    assert re.search(r'name="diagnostic_done" value="yes"[^>]* checked', html)
    assert re.search(r'name="donation_agreement" value="no"[^>]* checked', html)
    html = main(client.get("/diagnostic/resultats/"))
    assert "Vos résultats" in html
    assert client.get("/diagnostic/resultats/affiche.pdf").status_code == 200  # the answers make a diagnostic


def test_restart_clears_the_answers(client, home_page):
    complete(client)
    assert client.get("/diagnostic/restart/").status_code in (404, 405)
    response = client.post("/diagnostic/recommencer/")
    assert response.status_code == 302 and response["Location"] == "/diagnostic/"
    assert client.get("/diagnostic/resultats/").status_code == 302
    assert 'value="972"' not in client.get("/diagnostic/").content.decode()


def test_restart_needs_post(client, home_page):
    assert client.get("/diagnostic/recommencer/").status_code == 405


def test_unknown_step_is_404(client, home_page):
    assert client.get("/diagnostic/nulle-part/").status_code == 404


FAMILY_DETAIL = {
    "meat_poultry__total": "20000",
    "meat_poultry__bio": "6000",
    "meat_poultry__siqo": "5000",
    "fish_seafood__total": "10000",
    "fish_seafood__other_egalim": "6000",
    "fish_seafood__siqo": "1000",
    "fruits_vegetables__total": "40000",
    "fruits_vegetables__environmental": "2000",
    "dairy__total": "20000",
    "dairy__siqo": "2000",
    "drinks__total": "10000",
}


def test_detailed_calculator_sums_families_with_the_same_results(client, home_page):
    complete(client)
    page = client.get("/diagnostic/qualite/detail/")
    assert page.status_code == 200
    assert "Viandes et volailles" in page.content.decode()
    response = client.post("/diagnostic/qualite/detail/", FAMILY_DETAIL)
    assert response.status_code == 302 and response["Location"] == "/diagnostic/gaspillage/"
    detailed = main(client.get("/diagnostic/resultats/"))
    # Sums: 100 000 €, bio 6 000, SIQO 8 000, environment 2 000, other 6 000; meat + fish 30 000, 18 000 EGAlim
    simple_page = client.get("/diagnostic/qualite/").content.decode()
    assert 'value="100000"' in simple_page and "Modifier le détail par famille" in simple_page
    client.post("/diagnostic/qualite/", QUALITY)
    simple = main(client.get("/diagnostic/resultats/"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", detailed) == token.sub("", simple)


def test_detailed_calculator_errors(client, home_page):
    response = client.post(
        "/diagnostic/qualite/detail/", {"meat_poultry__total": "100", "meat_poultry__bio": "200", "dairy__bio": "5"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce montant dépasse le total de la famille de produits." in html
    assert 'id="id_meat_poultry__bio-error"' in html
    assert "Indiquez le total des achats de cette famille de produits." in html
    empty = client.post("/diagnostic/qualite/detail/", {}).content.decode()
    assert "Indiquez le total des achats d&#x27;au moins une famille de produits." in empty
    # Every total at 0 sums to a total of 0, which the simple calculator refuses too.
    zero = client.post("/diagnostic/qualite/detail/", {"drinks__total": "0", "bakery__total": "0"})
    assert zero.status_code == 200
    html = unescape(zero.content.decode())
    assert (
        '<p id="id_bakery__total-error" class="fr-error-text">Le total des achats doit être supérieur à 0.</p>' in html
    )


def test_printable_view(client, home_page):
    complete(client)
    response = client.get("/diagnostic/resultats/imprimer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "diagnostic/diagnostic.css" in html
    assert "Ctrl + P" in html
    assert html.count('class="fr-card fr-card--no-arrow diag-card') == 5
    css = (ROOT / "static" / "diagnostic" / "diagnostic.css").read_text()
    assert "@media print" in css


def test_results_offer_the_diner_poster_without_an_account(client, home_page):
    html = main(complete(client))
    assert 'action="/diagnostic/resultats/affiche.pdf"' in html
    assert 'name="name"' in html and 'name="note"' in html  # English query names (issue 20)
    response = client.get("/diagnostic/resultats/affiche.pdf", {"name": "Cantine des Tilleuls", "note": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
