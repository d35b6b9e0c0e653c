"""Uploads in the Wagtail admin: documents checked by extension, declared type and content (home/uploads.py);
images by Wagtail itself (format must match the extension, no SVG, 10 MB at most)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(width=4, height=4):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def package(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = package({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def upload_document(client, name, content, content_type):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Document téléversé",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_document_multiple(client, name, content, content_type):
    return client.post(
        "/admin/documents/multiple/add/",
        # the collection chosen in the uploader's select (there are two: the public root and the files
        # awaiting review), as the browser sends it
        {
            "files[]": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def upload_image(client, name, content, content_type):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Image téléversée",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("guide.pdf", PDF, PDF_TYPE),
        ("guide.pdf", PDF, "application/octet-stream"),
        ("modele.docx", DOCX, DOCX_TYPE),
        ("tableur.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("courrier.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("achats.csv", b"date;montant\n2024-01-02;12,50\n", "application/vnd.ms-excel"),
    ],
)
def test_genuine_documents_are_accepted(admin_client, name, content, content_type):
    response = upload_document(admin_client, name, content, content_type)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_document_model().objects.filter(title="Document téléversé").exists()


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("page.html", HTML, "text/html", "Format non accepté"),
        ("dessin.svg", SVG, "image/svg+xml", "Format non accepté"),
        ("programme.exe", b"MZ\x90\x00", "application/x-msdownload", "Format non accepté"),
        ("faux.pdf", HTML, PDF_TYPE, "Le contenu du fichier ne correspond pas"),  # an HTML page named .pdf
        ("faux.pdf", PDF, "text/html", "Le type du fichier (text/html) ne correspond pas"),
        ("faux.pdf", SVG, "image/svg+xml", "Le type du fichier (image/svg+xml) ne correspond pas"),
        ("faux.docx", PDF, DOCX_TYPE, "Le contenu du fichier ne correspond pas"),
        ("faux.docx", XLSX, DOCX_TYPE, "Le contenu du fichier ne correspond pas"),  # a spreadsheet named .docx
        ("faux.odt", DOCX, "application/vnd.oasis.opendocument.text", "Le contenu du fichier ne correspond pas"),
        ("notes.txt", HTML, "text/plain", "Le contenu du fichier ne correspond pas"),
        ("achats.csv", b"a;b\x00\x01\x02", "text/csv", "Le contenu du fichier ne correspond pas"),
    ],
)
def test_disguised_or_unexpected_documents_are_refused(admin_client, name, content, content_type, message):
    response = upload_document(admin_client, name, content, content_type)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_document_model().objects.exists()


def test_the_multiple_uploader_checks_the_content_too(admin_client):
    response = upload_document_multiple(admin_client, "faux.pdf", HTML, PDF_TYPE)
    assert response.json()["success"] is False
    assert "Le contenu du fichier ne correspond pas" in str(response.json())
    response = upload_document_multiple(admin_client, "vrai.pdf", PDF, PDF_TYPE)
    assert response.json()["success"] is True
    assert get_document_model().objects.count() == 1


def test_documents_are_limited_to_20_mb(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024  # read when the form is built: the 20 MB of the settings, scaled
    response = upload_document(admin_client, "gros.pdf", PDF + b"0" * 2048, PDF_TYPE)
    assert response.status_code == 200
    assert not get_document_model().objects.exists()


def test_the_real_document_size_limit_is_20_mb():
    from django.conf import settings

    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024


def test_images_accept_a_real_png(admin_client):
    response = upload_image(admin_client, "photo.png", png(), "image/png")
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("logo.svg", SVG, "image/svg+xml"),  # SVG can carry scripts: refused
        ("logo.png", SVG, "image/png"),  # an SVG named .png
        ("photo.jpg", png(), "image/jpeg"),  # a PNG named .jpg: the format must match
        ("page.png", HTML, "image/png"),
    ],
)
def test_images_refuse_svg_and_disguised_files(admin_client, name, content, content_type):
    response = upload_image(admin_client, name, content, content_type)
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_images_are_limited_to_10_mb(admin_client):
    from django.conf import settings

    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    big = png() + b"\x00" * (settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1)
    response = upload_image(admin_client, "enorme.png", big, "image/png")
    assert response.status_code == 200
    assert "trop" in response.content.decode()  # « Ce fichier est trop gros »
    assert not get_image_model().objects.exists()


def test_svg_is_not_an_accepted_image_extension():
    from django.conf import settings

    assert "svg" not in [extension.lower() for extension in settings.WAGTAILIMAGES_EXTENSIONS]
