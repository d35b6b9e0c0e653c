"""Finding 8: a widget logo kept the uploader's extension (a PNG+HTML polyglot named logo.html was stored as
<uuid>.html and served as text/html from the site's origin). Uploads are stored under the extension of their
verified type; the app's own media responses carry nosniff, a restrictive CSP and a Content-Disposition
(production's /media/ headers: docs/exploitation.md). Also finding 12's widget colours (500 before)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from territories.models import Widget
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def polyglot():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#000091").save(buffer, "PNG")
    return buffer.getvalue() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def form(**data):
    return {
        "title": "Cantines de Bretagne",
        "territory": "region:53",
        "primary_colour": "#000091",
        "secondary_colour": "#3558a2",
        **data,
    }


@pytest.mark.parametrize("name", ["logo.html", "logo.svg", "logo", "logo.png.html"])
def test_a_logo_is_stored_under_its_verified_type(client, officer, name):
    client.force_login(officer.user)
    response = client.post("/territoires/suivi/widgets/", form(logo=SimpleUploadedFile(name, polyglot())))
    assert response.status_code == 302
    widget = Widget.objects.get()
    assert widget.logo_type == "image/png" and widget.logo.name.endswith(f"{widget.pk}.png")
    logo = client.get(f"/widget/{widget.pk}/logo")
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert logo["Content-Disposition"] == 'inline; filename="logo.png"'
    assert "default-src 'none'" in logo["Content-Security-Policy"] and "sandbox" in logo["Content-Security-Policy"]


def test_a_served_document_is_never_rendered_by_the_browser(client, db):
    document = DocumentFactory(title="Tableur", file__filename="suivi.csv", file__data=b"=1+1;<script>x</script>")
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("field", ["primary_colour", "secondary_colour"])
@pytest.mark.parametrize("colour", ["#zzzzzz", "red", "#12", ""])
def test_an_invalid_widget_colour_is_a_form_error(client, officer, field, colour):
    client.force_login(officer.user)
    response = client.post("/territoires/suivi/widgets/", form(**{field: colour}))
    assert response.status_code == 200 and not Widget.objects.exists()
    assert field in response.context["form"].errors
