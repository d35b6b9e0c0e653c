"""The main English pages show no French left over (issue 20: one translation mechanism).

The visible text of each page (no script, style or attribute; not the Marianne block, which names the State in
French in every language; not what is marked lang="fr", such as the language switcher's « Français ») must hold
none of the common French words below. Proper nouns stay: « ma cantine », « EGAlim ».
"""

import html
import re

import pytest
from django.core.cache import cache

from resources.models.taxonomy import sync_taxonomy
from tests.factories import ResourceIndexPageFactory, UserFactory

# Frequent French words that are not English words (and not part of the site's proper nouns).
FRENCH_WORDS = {
    "les", "des", "du", "une", "pour", "avec", "dans", "sur", "vous", "votre", "vos", "nous", "aux", "pas",
    "qui", "que", "cette", "ces", "mes", "leur", "sont", "être", "accueil", "rechercher", "recherche", "connexion",
    "inscription", "déconnexion", "données", "ressources", "télédéclaration", "télédéclarer", "mesures",
    "gaspillage", "achats", "cantines", "jetons", "jeton", "mot", "passe", "adresse", "courriel", "créer",
    "enregistrer", "envoyer", "retour", "suivant", "précédent", "fermer", "aucun", "aucune", "région",
    "département", "secteur", "année", "oui", "tous", "toutes", "lien", "mesure", "fiche", "gestionnaire",
}  # fmt: skip
# Proper nouns: the service, the law, a public directory's name (departments and regions are kept whole by the
# hyphens of their names: « Pas-de-Calais » is no « pas »).
PROPER_NOUNS = ("ma cantine", "EGAlim", "annuaire des entreprises")

PAGES = [
    "/en/",
    "/en/resources/",
    "/en/diagnostic/",
    "/en/cantines/",
    "/en/donnees/",
    "/en/territoires/",
    "/en/compte/connexion/",
    "/en/compte/inscription/",
    "/en/compte/mot-de-passe/oubli/",
    "/en/compte/lien-de-connexion/",
]
LOGGED_IN_PAGES = ["/en/compte/profil/", "/en/compte/jetons/", "/en/mes-cantines/", "/en/mes-cantines/nouvelle/"]


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r'(?is)<p class="fr-logo">.*?</p>', " ", page)  # the Marianne block
    page = re.sub(r'(?is)<(\w+)[^>]*\blang="fr"[^>]*>.*?</\1>', " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    text = html.unescape(page)
    for noun in PROPER_NOUNS:
        text = text.replace(noun, " ")
    return " ".join(text.split())


def french_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[\wÀ-ÿ’'-]+", text.lower()) if word in FRENCH_WORDS}


@pytest.fixture
def site(home_page, locales):
    """The home page and the resource hub in English, with the taxonomy's English names (as `load_demo` makes)."""
    home_en = home_page.get_translation(locales["en"]).specific
    home_en.hero_text = "Resources to apply the EGAlim law."
    home_en.save_revision().publish()
    index = ResourceIndexPageFactory(parent=home_page, title="Ressources", slug="ressources")
    translation = index.copy_for_translation(locales["en"])
    translation.title, translation.slug = "Resources", "resources"
    translation.save_revision().publish()
    sync_taxonomy([locales["en"]])
    cache.clear()
    return home_page


def assert_english(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en"' in page, url
    text = visible_text(page)
    found = french_words(text)
    assert not found, f"{url}: French words {sorted(found)} in « {text[:400]} »"


@pytest.mark.parametrize("url", PAGES)
def test_public_english_pages_have_no_french_left(client, site, url):
    assert_english(client, url)


@pytest.mark.parametrize("url", LOGGED_IN_PAGES)
def test_account_english_pages_have_no_french_left(client, site, url):
    client.force_login(UserFactory())
    assert_english(client, url)


def test_api_documentation_in_english(client, site):
    """The documentation page is outside the /en/ prefix: English with ?locale=en or Accept-Language: en, the
    schema's own texts (summaries, descriptions, parameters, fields, errors) included, none marked lang="fr"."""
    assert_english(client, "/api/v1/docs/?locale=en")
    assert_english(client, "/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/api/v1/docs/?locale=en").content.decode()
    assert 'lang="fr"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "/api/v1/schema/?locale=en" in page


def test_api_schema_in_english(client, db):
    """Every title, summary and description of the schema requested in English."""
    schema = client.get("/api/v1/schema/?locale=en").json()
    texts = []

    def collect(value, key=None):
        if isinstance(value, dict):
            for name, item in value.items():
                collect(item, name)
        elif isinstance(value, list):
            for item in value:
                collect(item, key)
        elif isinstance(value, str) and key in ("title", "summary", "description"):
            texts.append(value)

    collect(schema)
    found = {text: french_words(text) for text in texts if french_words(text)}
    assert not found


def test_the_check_finds_french():
    """The check itself: a French sentence is caught, the proper nouns and the Marianne block are not."""
    page = (
        '<p class="fr-logo">Ministère<br>de l\'Agriculture</p><a lang="fr">Français</a>'
        "<p>ma cantine and EGAlim</p><script>var vous</script>"
    )
    assert french_words(visible_text(page)) == set()
    found = french_words(visible_text("<p>Créer un compte pour vos cantines, Pas-de-Calais</p>"))
    assert found == {"créer", "pour", "vos", "cantines"}
