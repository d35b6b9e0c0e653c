"""Kits: the ZIP holds every attached file with sane names and is streamed chunk by chunk."""

import io
import os
import zipfile

import pytest
from django.http import StreamingHttpResponse

from resources.models.kits import UniqueNames
from resources.zipstream import CHUNK_SIZE, ZipEntry, iter_zip
from tests.factories import (
    DocumentFactory,
    KitPageFactory,
    MailTemplateFactory,
    ResourcePageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(resource_index):
    big = os.urandom(3 * 1024 * 1024 + 17)  # incompressible, much larger than a chunk
    brochure = DocumentFactory(title="Plaquette ma cantine", file__filename="plaquette.pdf", file__data=big)
    deck = DocumentFactory(title="Support de présentation", file__filename="support.pdf", file__data=b"%PDF deck")
    sheet = DocumentFactory(title="Tableau de suivi", file__filename="suivi.xlsx", file__data=b"xlsx data")
    same_title = DocumentFactory(title="Plaquette ma cantine", file__filename="autre.pdf", file__data=b"%PDF other")
    resource = ResourcePageFactory(
        parent=resource_index,
        title="Présenter ma cantine",
        slug="presenter-ma-cantine",
        files=[{"document": brochure}, {"document": same_title}, {"url": "https://ma-cantine.agriculture.gouv.fr/"}],
    )
    draft = ResourcePageFactory(parent=resource_index, title="Brouillon", live=False, files=[{"document": deck}])
    template = MailTemplateFactory(name="cantine non inscrite", code="cantine-non-inscrite")
    page = KitPageFactory(
        parent=resource_index,
        items=[
            {"resource": resource},
            {"document": deck, "title": "../../etc/passwd Support"},
            {"mail_template": template},
            {"resource": draft},
            {"document": sheet},
        ],
    )
    return {"page": page, "big": big}


def read_zip(response):
    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    return chunks, zipfile.ZipFile(io.BytesIO(b"".join(chunks)))


def test_kit_zip_contains_every_file_with_sane_names(client, kit):
    response = client.get("/ressources/kit-ambassadeur/zip/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="kit-ambassadeur-embarquer-les-communes.zip"'
    chunks, archive = read_zip(response)
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == [
        "LISEZMOI.txt",
        "01-presenter-ma-cantine/plaquette-ma-cantine.pdf",
        "01-presenter-ma-cantine/plaquette-ma-cantine-2.pdf",
        "02-etc-passwd-support.pdf",
        "modeles-de-mail/03-cantine-non-inscrite.txt",
        "04-tableau-de-suivi.xlsx",
    ]
    for name in names:
        assert name.isascii() and ".." not in name and not name.startswith("/")
    assert archive.read("01-presenter-ma-cantine/plaquette-ma-cantine.pdf") == kit["big"]
    assert archive.read("02-etc-passwd-support.pdf") == b"%PDF deck"
    mail = archive.read("modeles-de-mail/03-cantine-non-inscrite.txt").decode()
    assert mail.startswith("Objet : Votre cantine {{ nom_cantine }} sur ma cantine")
    readme = archive.read("LISEZMOI.txt").decode()
    assert "Kit ambassadeur : embarquer les communes" in readme
    assert "https://ma-cantine.agriculture.gouv.fr/" in readme  # external links are listed
    assert "Brouillon" not in readme  # unpublished resources are left out
    # Streamed: no chunk is anywhere near the size of the big file.
    assert len(chunks) > 10
    assert max(len(chunk) for chunk in chunks) < 4 * CHUNK_SIZE


class RecordingFile(io.BytesIO):
    """A file that records how it is read."""

    def __init__(self, data):
        super().__init__(data)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def test_iter_zip_reads_files_in_chunks_only():
    payload = os.urandom(5 * CHUNK_SIZE + 3)
    source = RecordingFile(payload)
    entries = [ZipEntry(name="a.txt", data=b"hello"), ZipEntry(name="big.bin", open=lambda: source, size=None)]
    data = b"".join(iter_zip(entries))
    assert source.reads and all(0 < size <= CHUNK_SIZE for size in source.reads)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("a.txt") == b"hello"
    assert archive.read("big.bin") == payload
    assert source.closed


def test_unique_names():
    names = UniqueNames()
    assert names("", "Étude « gaspillage » 2024", "PDF") == "etude-gaspillage-2024.pdf"
    assert names("", "Étude gaspillage 2024", "pdf") == "etude-gaspillage-2024-2.pdf"
    assert names("dossier/../x", "", "") == "dossier-x/document"
    assert names("", "...", "docx") == "document.docx"


def test_kit_zip_in_english_alias(client, kit, locales, home_page):
    from wagtail_localize.synctree import synchronize_tree

    synchronize_tree(locales["fr"], locales["en"])
    response = client.get("/en/ressources/kit-ambassadeur/zip/")
    assert response.status_code == 200
    _chunks, archive = read_zip(response)
    assert "LISEZMOI.txt" in archive.namelist()


def test_kit_zip_leaves_out_a_document_whose_file_is_missing(client, kit):
    from wagtail.documents import get_document_model

    sheet = get_document_model().objects.get(title="Tableau de suivi")
    sheet.file.storage.delete(sheet.file.name)
    response = client.get("/ressources/kit-ambassadeur/zip/")
    assert response.status_code == 200
    _chunks, archive = read_zip(response)
    assert archive.testzip() is None  # a complete, valid archive, not one cut in the middle
    assert "04-tableau-de-suivi.xlsx" not in archive.namelist()
    assert archive.read("01-presenter-ma-cantine/plaquette-ma-cantine.pdf") == kit["big"]


def test_kit_zip_does_not_save_documents_without_a_stored_size(client, kit):
    from wagtail.documents import get_document_model

    get_document_model().objects.update(file_size=None)
    response = client.get("/ressources/kit-ambassadeur/zip/")
    _chunks, archive = read_zip(response)
    assert archive.read("01-presenter-ma-cantine/plaquette-ma-cantine.pdf") == kit["big"]
    assert not get_document_model().objects.filter(file_size__isnull=False).exists()
