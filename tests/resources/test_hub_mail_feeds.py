"""Mail templates as .eml and .txt files (placeholders filled, no header injection), the « Copier » button,
kits, and the RSS / Atom feeds of the hub."""

import datetime
import email
import io
import re
import zipfile
from email import policy
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from resources.models import ResourcePage
from tests.factories import (
    DocumentFactory,
    KitPageFactory,
    MailTemplateFactory,
    ResourcePageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(locales):
    return MailTemplateFactory(name="Cantine non inscrite", code="cantine-non-inscrite")


# --- mail templates -------------------------------------------------------------------------------------


def test_eml_parses_and_has_the_filled_subject(client, template):
    response = client.get(
        f"/ressources/modeles-de-mail/{template.pk}.eml",
        {"nom_cantine": "Les Tilleuls", "commune": "Rennes", "nom_signataire": "Camille Martin"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == 'attachment; filename="cantine-non-inscrite.eml"'
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert message["Subject"] == "Votre cantine Les Tilleuls sur ma cantine"
    assert message["X-Unsent"] == "1"
    body = message.get_content()
    assert "La cantine Les Tilleuls de Rennes..." in body and "Camille Martin" in body


def test_eml_with_accents_and_missing_values(client, template):
    response = client.get(f"/ressources/modeles-de-mail/{template.pk}.eml", {"nom_cantine": "École Jean-Zay"})
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert message["Subject"] == "Votre cantine École Jean-Zay sur ma cantine"
    assert "{{ commune }}" in message.get_content()  # not filled: left for the sender


@pytest.mark.parametrize(
    "value",
    [
        "Tilleuls\r\nBcc: victime@example.org",
        "Tilleuls\nBcc: victime@example.org",
        "Tilleuls\rBcc: victime@example.org",
        "Tilleuls\u2028Bcc: victime@example.org",
        "Tilleuls\x00\x0bBcc: victime@example.org",
    ],
)
def test_no_header_injection_through_placeholders(client, template, value):
    response = client.get(f"/ressources/modeles-de-mail/{template.pk}.eml", {"nom_cantine": value})
    assert response.status_code == 200
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert message["Bcc"] is None
    assert list(message.keys()) == ["Subject", "X-Unsent", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"]
    assert message["Subject"] == "Votre cantine Tilleuls Bcc: victime@example.org sur ma cantine"


def test_values_are_limited_in_length(client, template):
    response = client.get(f"/ressources/modeles-de-mail/{template.pk}.eml", {"nom_cantine": "x" * 5000})
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert len(message["Subject"]) < 300


def test_txt_version(client, template):
    response = client.get(f"/ressources/modeles-de-mail/{template.pk}.txt", {"nom_cantine": "Les Tilleuls"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cantine-non-inscrite.txt"'
    text = response.content.decode()
    assert text.startswith("Objet : Votre cantine Les Tilleuls sur ma cantine\n\nBonjour,")
    assert client.get("/ressources/modeles-de-mail/999999.txt").status_code == 404


def test_mail_template_block_has_copy_button_script_and_fill_form(client, resource_index, template):
    page = ResourcePageFactory(
        parent=resource_index,
        body=[("mail_template", {"mail_template": template, "introduction": "À envoyer aux communes."})],
    )
    html = client.get(page.url).content.decode()
    # « Copier »: a static script (no inline script), which adds the button only when it can work.
    assert re.search(r'<script src="/static/resources/hub/copy\.js[^"]*" defer></script>', html)
    assert 'data-copy-mail data-copy-label="Copier"' in html
    assert "<button" not in html.split("data-copy-mail", 1)[1].split("</ul>", 1)[0]
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", main)
    # The fill form: one field per placeholder, .eml by default, .txt with formaction.
    assert f'action="/ressources/modeles-de-mail/{template.pk}.eml"' in html
    assert f'formaction="/ressources/modeles-de-mail/{template.pk}.txt"' in html
    for name in ["nom_cantine", "commune", "nom_signataire"]:
        assert f'name="{name}"' in html


# --- kits -----------------------------------------------------------------------------------------------


def test_kit_page_lists_contents_and_zip_holds_them(client, resource_index, template):
    document = DocumentFactory(title="Plaquette", file__filename="plaquette.pdf", file__data=b"%PDF plaquette")
    resource = ResourcePageFactory(parent=resource_index, title="Présenter ma cantine", files=[{"document": document}])
    kit = KitPageFactory(parent=resource_index, items=[{"resource": resource}, {"mail_template": template}])
    html = client.get(kit.url).content.decode()
    assert "Télécharger le kit (ZIP)" in html and f'href="{kit.url}zip/"' in html
    assert "Présenter ma cantine" in html and "Cantine non inscrite" in html
    response = client.get(f"{kit.url}zip/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names[0] == "LISEZMOI.txt"
    pdf = next(name for name in names if name.endswith(".pdf"))
    assert archive.read(pdf) == b"%PDF plaquette"
    mail = next(name for name in names if name.startswith("modeles-de-mail/"))
    assert "Votre cantine {{ nom_cantine }} sur ma cantine" in archive.read(mail).decode()


# --- feeds ----------------------------------------------------------------------------------------------


@pytest.fixture
def published(resource_index):
    pages = []
    for days, title, measures in [(1, "Gaspillage : peser", ["waste"]), (2, "Bio : calculer", ["quality"])]:
        page = ResourcePageFactory(parent=resource_index, title=title, measures=measures, summary=f"Résumé {title}")
        moment = timezone.now() - datetime.timedelta(days=days)
        ResourcePage.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
        pages.append(page)
    return pages


def test_rss_feed_filtered_like_the_hub(client, published):
    response = client.get("/ressources/feed.xml?measure=waste")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("link") == "http://testserver/ressources/?measure=waste"  # the request host (issue 15)
    title = "ma cantine — nouvelles ressources : Lutte contre le gaspillage alimentaire et dons"
    assert channel.findtext("title") == title
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href").endswith("/ressources/feed.xml?measure=waste")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Gaspillage : peser"]
    assert items[0].findtext("link") == "http://testserver" + published[0].url
    assert items[0].findtext("description") == "Résumé Gaspillage : peser"
    assert items[0].findtext("category") == "Lutte contre le gaspillage alimentaire et dons"


def test_atom_feed_lists_new_and_updated_first(client, published):
    response = client.get("/ressources/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext("atom:title", namespaces=namespace) for entry in feed.findall("atom:entry", namespace)]
    assert titles == ["Gaspillage : peser", "Bio : calculer"]
    assert feed.find("atom:entry/atom:updated", namespace) is not None


def test_feed_with_invalid_parameters_is_not_an_error(client, published):
    response = client.get("/ressources/feed.xml?measure=nope&page=abc&sort=zzz")
    assert response.status_code == 200
    assert len(ElementTree.fromstring(response.content).find("channel").findall("item")) == 2


def test_hub_page_advertises_its_feeds(client, published):
    html = client.get("/ressources/?measure=waste").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/ressources/feed.xml?measure=waste"' in html
    assert 'href="/ressources/atom.xml?measure=waste"' in html
