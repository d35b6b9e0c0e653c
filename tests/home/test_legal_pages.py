"""The footer's legal pages created after `migrate` (home/legal_pages.py, run by home/apps.py's post_migrate
handler and by load_demo), and the accessibility statement's audit grid: the RGAA rate and level it gives the
page and the footer."""

import re
from html import unescape

import pytest
from wagtail.models import Page, Revision
from wagtail_localize.synctree import synchronize_tree

from home import accessibility, legal_pages
from home.accessibility import CONFORM, NON_CONFORM, NOT_APPLICABLE, NOT_TESTED, summarise, summarise_rows
from home.apps import ensure_legal_pages
from home.legal_pages import h, p
from home.models import AccessibilityStatementPage, AuditCriterion, StandardPage


def test_the_grid_has_rgaa_4_1_s_106_criteria():
    assert len(accessibility.CRITERIA) == 106 == len(set(accessibility.CRITERIA))
    assert accessibility.CRITERIA[:2] == ["1.1", "1.2"] and accessibility.CRITERIA[-1] == "13.12"
    assert "4.13" in accessibility.CRITERIA and "10.14" in accessibility.CRITERIA and "12.11" in accessibility.CRITERIA
    assert str(accessibility.topic_label("11.10")) == "Formulaires"


@pytest.mark.parametrize(
    "results, rate, level",
    [
        ([], None, "none"),  # no audit: not compliant
        ([NOT_TESTED] * 106, None, "none"),
        ([NOT_APPLICABLE] * 106, None, "none"),
        ([CONFORM] * 106, 100, "total"),
        ([CONFORM] * 100 + [NOT_APPLICABLE] * 6, 100, "total"),
        ([CONFORM] * 105 + [NOT_TESTED], 100, "partial"),  # partial audit: never « totalement »
        ([CONFORM] * 10, 100, "partial"),  # criteria missing from the grid: partial too
        ([CONFORM] * 105 + [NON_CONFORM], 99, "partial"),  # 99.05 shown 99, never rounded up to 100
        ([CONFORM, NON_CONFORM] + [NOT_TESTED] * 104, 50, "partial"),
        ([CONFORM] + [NON_CONFORM] * 2 + [NOT_TESTED] * 103, 33.3, "none"),
        ([NON_CONFORM] * 106, 0, "none"),
        ([CONFORM] * 6 + [NON_CONFORM] * 2 + [NOT_TESTED] * 98, 75, "partial"),
    ],
)
def test_rate_and_level(results, rate, level):
    summary = summarise(results)
    assert summary.rate == rate
    assert summary.level == level


def test_a_criterion_entered_twice_counts_once():
    assert summarise_rows([("1.1", CONFORM), ("1.1", NON_CONFORM), ("1.2", NON_CONFORM)]).conform == 1


def footer(html):
    return re.search(r'<footer class="fr-footer".*?</footer>', html, re.S).group(0)


def counts():
    return Page.objects.count(), Revision.objects.count(), AuditCriterion.objects.count()


@pytest.mark.django_db
def test_nothing_to_do_without_a_home_page():
    """A fresh database holds Wagtail's welcome page only: the pages come with the home page."""
    assert legal_pages.default_home() is None
    before = counts()
    ensure_legal_pages(sender=None, verbosity=0)
    assert legal_pages.ensure() == [] and counts() == before


@pytest.mark.django_db
def test_after_migrate_the_pages_exist_in_both_languages_and_a_rerun_changes_nothing(client, home_page):
    ensure_legal_pages(sender=None, verbosity=0)  # what `migrate` runs last
    for slug in legal_pages.SLUGS:
        page = Page.objects.get(slug=slug, locale__language_code="fr")
        assert page.live and page.live_revision_id and not page.has_unpublished_changes
        english = Page.objects.get(slug=slug, locale__language_code="en")
        assert english.alias_of_id == page.pk
        assert client.get(f"/{slug}/").status_code == 200 and client.get(f"/en/{slug}/").status_code == 200
    statement = AccessibilityStatementPage.objects.get(locale__language_code="fr")
    assert statement.audit_criteria.count() == 106
    before = counts()
    assert legal_pages.ensure() == []
    assert counts() == before

    html = unescape(client.get("/accessibilite/").content.decode())
    assert "est <strong>partiellement conforme</strong> avec le référentiel" in html
    assert "75 % des critères RGAA applicables sont respectés (6 sur 8)." in html
    assert (
        "L'audit est partiel : le taux est calculé sur les critères testés seulement (8 sur 106 ; 98 non testés)."
        in html
    )
    non_conformities = re.search(r'<ul data-testid="non-conformities">(.*?)</ul>', html, re.S).group(1)
    assert "Critère 1.3 (Images)" in non_conformities and "Critère 13.3 (Consultation)" in non_conformities
    assert non_conformities.count("<li>") == 2
    for text in (
        "Défenseur des droits",
        "09 69 39 00 00",
        "Libre réponse 71120, 75342 Paris CEDEX 07",
        "5 décembre 2026",
    ):
        assert text in html, text
    assert "totalement conforme" not in html
    english = unescape(client.get("/en/accessibilite/").content.decode())
    assert "is <strong>partially compliant</strong>" in english and "75 % of the applicable" in english


STUB = {
    "title": "Accessibilité",
    "introduction": "Déclaration d'accessibilité du site ma cantine — centre de ressources.",
    "body": [
        p(
            "<p>Le ministère s'engage à rendre ce site accessible conformément à l'article 47 de la "
            "loi n° 2005-102 du 11 février 2005. Ce site est partiellement conforme au référentiel "
            "général d'amélioration de l'accessibilité (RGAA 4.1). Pour signaler un défaut "
            "d'accessibilité, écrivez-nous à l'adresse de contact indiquée en pied de page.</p>"
        )
    ],
}


def add_statement(home, locales, **fields):
    page = StandardPage(slug="accessibilite", locale=home.locale, **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    synchronize_tree(locales["fr"], locales["en"])
    return page


@pytest.mark.django_db
def test_the_old_stub_is_replaced_in_place(client, admin_client, home_page, locales):
    stub = add_statement(home_page, locales, **STUB)
    alias = Page.objects.get(alias_of=stub)
    assert legal_pages.ensure()  # created the other pages, replaced the stub
    page = AccessibilityStatementPage.objects.get(pk=stub.pk)  # same page, same address, its history kept
    assert page.title == "Déclaration d'accessibilité" and page.audit_criteria.count() == 106
    assert page.revisions.count() == 2
    assert AccessibilityStatementPage.objects.get(pk=alias.pk).audit_criteria.count() == 106
    assert "6 sur 8" in client.get("/accessibilite/").content.decode()
    assert "6 of 8" in client.get("/en/accessibilite/").content.decode()
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("draft", [False, True])
def test_a_statement_edited_by_the_team_is_kept(client, home_page, locales, draft):
    if draft:  # the stub, with an unpublished draft on top
        page = add_statement(home_page, locales, **STUB)
        page.introduction = "Notre brouillon."
        page.save_revision()
        text = STUB["introduction"]
    else:
        text = "Notre déclaration, écrite par l'équipe."
        page = add_statement(home_page, locales, title="Accessibilité", introduction=text, body=[h("Notre audit")])
    legal_pages.ensure()
    kept = AccessibilityStatementPage.objects.get(pk=page.pk)
    assert kept.introduction == text and kept.title == "Accessibilité"
    assert kept.has_unpublished_changes is draft
    assert not kept.audit_criteria.exists()
    html = unescape(client.get("/accessibilite/").content.decode())
    assert text in html and "est <strong>non conforme</strong>" in html
    assert ">Accessibilité : non conforme</a>" in footer(html)  # no grid yet: no audit


@pytest.mark.django_db
def test_the_footer_says_the_level_computed_from_the_live_grid(client, home_page, locales):
    assert ">Accessibilité : non conforme</a>" in footer(client.get("/").content.decode())  # no statement
    legal_pages.ensure()
    assert ">Accessibilité : partiellement conforme</a>" in footer(client.get("/").content.decode())
    page = AccessibilityStatementPage.objects.get(locale__language_code="fr")
    page.audit_criteria = [AuditCriterion(number=row.number, result=CONFORM) for row in page.audit_criteria.all()]
    page.save_revision().publish()
    assert ">Accessibilité : totalement conforme</a>" in footer(client.get("/").content.decode())
    assert ">Accessibility: fully compliant</a>" in footer(client.get("/en/").content.decode())
    rows = list(page.audit_criteria.all())
    page.audit_criteria = [AuditCriterion(number=row.number, result=NON_CONFORM) for row in rows[:60]] + rows[60:]
    page.save_revision()  # a draft: the footer follows the live page
    assert ">Accessibilité : totalement conforme</a>" in footer(client.get("/").content.decode())
    page.get_latest_revision().publish()
    assert ">Accessibilité : non conforme</a>" in footer(client.get("/").content.decode())
    assert ">Accessibility: non-compliant</a>" in footer(client.get("/en/").content.decode())
