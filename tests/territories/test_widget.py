import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from territories.forms import contrast, text_colour_on
from territories.models import Widget
from tests.factories import TerritoryOfficerFactory, WidgetFactory


def png(size=(60, 30), kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#000091").save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def widget(officer):
    return WidgetFactory(owner=officer.user, region_id="53")


class TestFraming:
    def test_only_the_widget_may_be_framed(self, client, world, widget):
        response = client.get(f"/widget/{widget.pk}/")
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
        for url in ("/cantines/", "/donnees/", "/territoires/region/53/", "/"):
            other = client.get(url)
            assert other["X-Frame-Options"] == "DENY", url
            assert "frame-ancestors 'none'" in other["Content-Security-Policy"], url

    def test_lists_the_published_canteens_of_the_territory(self, client, world, widget):
        html = client.get(f"/widget/{widget.pk}/").content.decode()
        assert "École Rennes" in html and "EHPAD Brest" in html and "Lycée Vannes" in html
        assert "Collège Quimper" not in html  # nothing published
        assert "Restaurant Paris" not in html  # elsewhere
        assert f'href="http://testserver/cantines/{world["brest"].pk}-ehpad-brest/"' in html
        assert "20,0\u00a0%" in html  # Brest's bio rate
        assert "--widget-primary: #000091" in html and "<script" not in html.split("</head>")[1]

    def test_unknown_widget_is_404(self, client, db):
        assert client.get("/widget/3f1e3d8e-0000-4000-8000-000000000000/").status_code == 404


class TestConfiguration:
    def form(self, **data):
        return {
            "title": "Cantines de Bretagne",
            "territory": "region:53",
            "primary_colour": "#000091",
            "secondary_colour": "#3558a2",
            **data,
        }

    def test_officer_creates_a_widget_and_gets_the_iframe_snippet(self, client, officer):
        client.force_login(officer.user)
        response = client.post("/territoires/suivi/widgets/", self.form(logo=SimpleUploadedFile("logo.png", png())))
        widget = Widget.objects.get()
        assert response.status_code == 302 and widget.region_id == "53" and widget.owner == officer.user
        assert widget.logo_type == "image/png"
        html = client.get(response["Location"]).content.decode()
        assert f"&lt;iframe src=&quot;http://testserver/widget/{widget.pk}/&quot;" in html
        logo = client.get(f"/widget/{widget.pk}/logo")
        assert logo.status_code == 200 and logo["Content-Type"] == "image/png"

    @pytest.mark.parametrize("colour", ["#12345", "blue", "#GGGGGG", "#0000911", "000091"])
    def test_colours_must_be_hex(self, client, officer, colour):
        client.force_login(officer.user)
        response = client.post("/territoires/suivi/widgets/", self.form(primary_colour=colour))
        assert response.status_code == 200 and not Widget.objects.exists()
        assert "primary_colour" in response.context["form"].errors

    def test_link_colour_needs_contrast_on_white(self, client, officer):
        client.force_login(officer.user)
        response = client.post("/territoires/suivi/widgets/", self.form(secondary_colour="#ffff00"))
        assert not Widget.objects.exists() and "pas assez contrastée" in response.content.decode()
        assert contrast("#000000", "#ffffff") == pytest.approx(21)
        assert text_colour_on("#000091") == "#ffffff" and text_colour_on("#ffe552") == "#161616"

    @pytest.mark.parametrize(
        "name, data",
        [
            ("logo.png", b"not an image at all"),
            ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            ("logo.gif", None),  # a real image, in a format not accepted
            ("logo.png", png(size=(2500, 10))),
            ("logo.png", b"\x89PNG" + b"0" * 600_000),
        ],
    )
    def test_logo_validation(self, client, officer, name, data):
        if data is None:
            data = png(kind="GIF")
        client.force_login(officer.user)
        response = client.post("/territoires/suivi/widgets/", self.form(logo=SimpleUploadedFile(name, data)))
        assert response.status_code == 200 and not Widget.objects.exists()
        assert "Le logo" in response.content.decode()

    def test_territory_must_be_the_officers(self, client, officer):
        client.force_login(officer.user)
        response = client.post("/territoires/suivi/widgets/", self.form(territory="department:75"))
        assert response.status_code == 200 and not Widget.objects.exists()
        assert client.post("/territoires/suivi/widgets/", self.form(territory="department:35")).status_code == 302

    def test_another_officer_cannot_see_or_change_the_widget(self, client, widget):
        other = TerritoryOfficerFactory(regions=["53"])
        client.force_login(other.user)
        assert client.get(f"/territoires/suivi/widgets/{widget.pk}/").status_code == 404
        assert client.post(f"/territoires/suivi/widgets/{widget.pk}/", {"delete": "1"}).status_code == 404
        assert Widget.objects.filter(pk=widget.pk).exists()

    def test_owner_edits_and_deletes(self, client, officer, widget):
        client.force_login(officer.user)
        response = client.post(
            f"/territoires/suivi/widgets/{widget.pk}/", self.form(title="Nouveau titre", territory="department:29")
        )
        assert response.status_code == 302
        widget.refresh_from_db()
        assert (widget.title, widget.region_id, widget.department_id) == ("Nouveau titre", None, "29")
        client.post(f"/territoires/suivi/widgets/{widget.pk}/", {"delete": "1"})
        assert not Widget.objects.exists()


def test_the_snippet_escapes_the_title(client, officer):
    widget = WidgetFactory(owner=officer.user, title='Cantines "bio" <b>')
    client.force_login(officer.user)
    html = client.get(f"/territoires/suivi/widgets/{widget.pk}/").content.decode()
    # escaped once for the embedding page's HTML, once more by this page's template
    assert "title=&quot;Cantines &amp;quot;bio&amp;quot; &amp;lt;b&amp;gt;&quot;" in html
