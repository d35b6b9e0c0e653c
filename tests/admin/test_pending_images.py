"""Images uploaded by a Rédacteur (issue 14): Wagtail serves images by their address, with no permission check, so
a pending image is listed nowhere public and its addresses cannot be guessed from the uploaded file's name; it
is listed once a Relecteur publishes a page that uses it."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from api import content
from resources import review

from .test_publish_bypass import MARKER, live_page

TOKEN_NAME = re.compile(r"^[0-9a-f]{32}-")


@pytest.fixture
def editor(client, editorial_site):
    client.force_login(editorial_site["users"]["redacteur"])
    return client


def png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def api_image_ids(client):
    return {item["id"] for item in client.get("/api/v1/images/?limit=100").json()["items"]}


def test_pending_image_has_an_unguessable_name_and_is_listed_only_once_published(editor, editorial_site):
    response = editor.post("/admin/images/multiple/add/", {"files[]": png(f"menu-{MARKER}.png")})
    assert response.status_code == 200, response.content[:500]
    image = get_image_model().objects.get(title__icontains=MARKER)
    assert image.collection.name == review.PENDING_COLLECTION

    # Its original and its renditions (the admin's thumbnails, a page's width-800) start with 128 random bits.
    original = image.file.name.rsplit("/", 1)[-1]
    assert TOKEN_NAME.match(original) and original.endswith(f"menu-{MARKER}.png"), image.file.name
    assert not image.file.storage.exists(f"original_images/menu-{MARKER}.png")
    for spec in ("max-165x165", "width-800"):
        rendition = image.get_rendition(spec)
        assert TOKEN_NAME.match(rendition.file.name.rsplit("/", 1)[-1]), rendition.file.name

    anonymous = Client()
    assert image.pk not in api_image_ids(anonymous)
    assert content.image(image) is None  # the API's pages and resources leave it out of their blocks
    image.title = "renamed"
    image.save()  # a later save keeps the stored name (the renditions are named after it)
    image.refresh_from_db()
    assert image.file.name.rsplit("/", 1)[-1] == original

    # A Relecteur publishes a page that uses it: listed, at the same address.
    page = live_page(editorial_site).specific
    page.body = [*[(block.block_type, block.value) for block in page.body], ("image", {"image": image, "alt": ""})]
    page.save_revision(user=editorial_site["users"]["relecteur"]).publish(user=editorial_site["users"]["relecteur"])
    image.refresh_from_db()
    assert image.collection.is_root()
    assert image.pk in api_image_ids(anonymous)
    assert content.image(image)["url"].endswith(original)
    assert f"menu-{MARKER}" in anonymous.get(page.url).content.decode()  # the page shows its rendition
