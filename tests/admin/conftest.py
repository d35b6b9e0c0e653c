"""The editorial demo site of the admin tests: every page type in every state, the four roles.

Built once per test package (an outer transaction, each test in a savepoint, like `TestCase.setUpTestData`).

States, one page per type and state (leaf types: standard, measure, guide, resource, kit):
- « brouillon »: never published;
- « en ligne »: published;
- « en ligne + brouillon »: published, with a newer draft revision;
- « en relecture »: a draft submitted to « Relecture DGAL »;
- « traduite »: the English translation of the live page (wagtail-localize, editor enabled);
- « alias »: the English aliases of the rest (the tree is synchronised).
The index pages and the home page are live and translated or aliased. « Nouvelle » pages are the add views.
"""

import copy
import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from resources.models import MailTemplate, Measure
from tests.conftest import make_home_page, make_locales, shared_transaction
from tests.factories import (
    CanteenFactory,
    DocumentFactory,
    GuideIndexPageFactory,
    GuidePageFactory,
    KitPageFactory,
    MailTemplateFactory,
    MeasureIndexPageFactory,
    MeasurePageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
    UserFactory,
    taxonomy_term,
)

STATES = ["draft", "live", "live_draft", "moderation"]
MEASURES = {"draft": "waste", "live": "quality", "live_draft": "diversification", "moderation": "plastic"}


@pytest.fixture(scope="package")
def package_transaction(django_db_setup, django_db_blocker):
    """`shared_transaction` (tests/conftest.py) around the package: the editorial site is built once for it."""
    with shared_transaction(django_db_blocker):
        yield


@pytest.fixture(scope="package")
def shared_editorial_site(package_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        return build_editorial_site()


@pytest.fixture
def editorial_site(shared_editorial_site, db):
    return copy.deepcopy(shared_editorial_site)


def make_users():
    editor = UserFactory(
        username="redactrice", email="redactrice@agriculture.gouv.fr", first_name="Rita", last_name="Rédac"
    )
    editor.groups.add(Group.objects.get(name="Rédacteurs"))
    reviewer = UserFactory(
        username="relecteur", email="relecteur@agriculture.gouv.fr", first_name="Rémi", last_name="Relecteur"
    )
    reviewer.groups.add(Group.objects.get(name="Relecteurs DGAL"))
    admin = UserFactory(username="admin", email="admin@agriculture.gouv.fr", is_superuser=True, is_staff=True)
    manager = UserFactory(username="gestionnaire", email="gestionnaire@example.org")
    CanteenFactory(name="École des Lilas", managers=[manager])
    return {"redacteur": editor, "relecteur": reviewer, "admin": admin, "gestionnaire": manager}


def publish(page):
    page.save_revision().publish()
    return page


def translate(page, locale, title, user=None):
    """A real wagtail-localize translation (the editor opens on it), published."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale)
    translation.save_target(user=user, publish=False)  # publish=True would wait for a commit
    translated = page.get_translation(locale).specific
    translated.title = title
    translated.save_revision(user=user).publish()
    return translated, translation


def build_editorial_site():
    locales = make_locales()
    home = make_home_page(locales)
    users = make_users()
    workflow = Workflow.objects.get(name="Relecture DGAL")
    pdf = DocumentFactory(title="Guide PDF", file__filename="guide.pdf")
    template = MailTemplateFactory(name="Cantine inscrite", code="cantine-inscrite")
    template.measures.set([taxonomy_term(Measure, "quality")])
    template.save()

    measure_index = publish(MeasureIndexPageFactory(parent=home))
    guide_index = publish(GuideIndexPageFactory(parent=home))
    resource_index = publish(ResourceIndexPageFactory(parent=home))

    def leaf(kind, state):
        title = f"{kind} {state}"
        slug = f"{kind}-{state}".replace("_", "-")
        if kind == "standard":
            return StandardPageFactory(parent=home, title=title, slug=slug)
        if kind == "measure":
            return MeasurePageFactory(
                parent=measure_index, title=title, slug=slug, measure=taxonomy_term(Measure, MEASURES[state])
            )
        if kind == "guide":
            return GuidePageFactory(
                parent=guide_index,
                title=title,
                slug=slug,
                measures=["waste"],
                body=json.dumps(
                    [
                        {"type": "heading", "value": {"text": "Peser les restes", "level": "h2"}},
                        {"type": "document_link", "value": {"document": pdf.pk, "title": "Le guide"}},
                    ]
                ),
            )
        if kind == "resource":
            return ResourcePageFactory(
                parent=resource_index,
                title=title,
                slug=slug,
                measures=["waste"],
                files=[{"document": pdf}, {"url": "https://www.youtube.com/watch?v=x"}],
            )
        return KitPageFactory(parent=resource_index, title=title, slug=slug, items=[{"mail_template": template}])

    pages = {}
    for kind in ["standard", "measure", "guide", "resource", "kit"]:
        for state in STATES:
            page = leaf(kind, state)
            if state == "draft" or state == "moderation":
                page.live = False
                page.save()
                page.title = f"{kind} {state} (révisé)"
                page.save_revision(user=users["redacteur"])
                if state == "moderation":
                    workflow.start(page, users["redacteur"])
            else:
                publish(page)
                if state == "live_draft":
                    page.title = f"{kind} {state} (brouillon)"
                    page.save_revision(user=users["redacteur"])
            pages[(kind, state)] = page

    # The live resource is related to the others (preview of its relations on a revision: issue 14).
    live_resource = pages[("resource", "live")]
    live_resource.related_resources.set([pages[("resource", "live_draft")]])
    publish(live_resource)

    translated = {}
    for kind in ["standard", "measure", "guide", "resource", "kit"]:
        page = pages[(kind, "live")]
        translated[kind], _translation = translate(page, locales["en"], f"{kind} translated")
    synchronize_tree(locales["fr"], locales["en"])
    for kind in ["standard", "measure", "guide", "resource", "kit"]:
        for state in ["live_draft"]:
            pages[(kind, "alias")] = pages[(kind, state)].get_translation(locales["en"]).specific
        pages[(kind, "translated")] = translated[kind]
    for index in (home, measure_index, guide_index, resource_index):
        pages[(index.specific_class.__name__, "live")] = index.specific
        pages[(index.specific_class.__name__, "alias")] = index.get_translation(locales["en"]).specific
    return {
        "locales": locales,
        "home": home,
        "users": users,
        "pages": pages,
        "pdf": pdf,
        "template": template,
        "workflow": workflow,
        "mail_template_en": None,
        "page_ids": {key: page.pk for key, page in pages.items()},
        "template_model": MailTemplate,
        "root": Page.get_first_root_node(),
    }
