import csv
import email
import email.policy
import io
import re
import zipfile

import pytest

from tests.factories import MailTemplateFactory, TerritoryOfficerFactory, UserFactory


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def template(db):
    return MailTemplateFactory(
        name="Cantine inscrite",
        code="cantine-inscrite",
        subject="{{ nom_cantine }} : votre télédéclaration",
        body=(
            "Bonjour,\n\nLa cantine {{ nom_cantine }} ({{ commune }}) n'a pas encore télédéclaré.\n\n"
            "{{ nom_signataire }}"
        ),
    )


class TestAccess:
    def test_login_required(self, client, db):
        response = client.get("/territoires/suivi/")
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]

    def test_a_user_without_the_role_gets_403(self, client, db):
        client.force_login(UserFactory())
        assert client.get("/territoires/suivi/").status_code == 403
        assert client.get("/territoires/suivi/export.csv").status_code == 403
        assert client.get("/territoires/suivi/widgets/").status_code == 403

    def test_officer_sees_every_canteen_of_their_territory_only(self, client, world, officer):
        client.force_login(officer.user)
        html = client.get("/territoires/suivi/").content.decode()
        for name in ("École Rennes", "EHPAD Brest", "Collège Quimper", "Lycée Vannes"):  # published or not
            assert name in html
        assert "Cuisine Fort-de-France" not in html and "Restaurant Paris" not in html
        assert "4 cantines" in html

    def test_department_officer(self, client, world):
        officer = TerritoryOfficerFactory(departments=["972"])
        client.force_login(officer.user)
        html = client.get("/territoires/suivi/").content.decode()
        assert "Cuisine Fort-de-France" in html and "École Rennes" not in html
        # a department outside the territory is not a valid filter (ignored)
        html = client.get("/territoires/suivi/?departement=35").content.decode()
        assert "École Rennes" not in html

    @pytest.mark.parametrize(
        "status, expected",
        [
            ("declared", {"École Rennes", "EHPAD Brest"}),
            ("not_declared", {"Lycée Vannes"}),
            ("no_manager", {"Collège Quimper"}),
        ],
    )
    def test_status_filter(self, client, world, officer, status, expected):
        client.force_login(officer.user)
        rows = list(
            csv.DictReader(
                io.StringIO(body(client.get(f"/territoires/suivi/export.csv?statut={status}")).decode("utf-8-sig"))
            )
        )
        assert {row["nom"] for row in rows} == expected

    def test_export_lists_the_status_and_the_managers(self, client, world, officer):
        client.force_login(officer.user)
        response = client.get("/territoires/suivi/export.csv")
        rows = {row["nom"]: row for row in csv.DictReader(io.StringIO(body(response).decode("utf-8-sig")))}
        assert set(rows) == {"École Rennes", "EHPAD Brest", "Collège Quimper", "Lycée Vannes"}
        assert rows["École Rennes"]["statut_teledeclaration"] == "Télédéclarée"
        assert rows["Lycée Vannes"]["statut_teledeclaration"] == "Inscrite, non télédéclarée"
        assert rows["École Rennes"]["gestionnaires"] == "gestion@example.org"
        assert rows["École Rennes"]["campagne"] == "2024"
        response = client.get("/territoires/suivi/export.xlsx?statut=declared")
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
        assert len(list(sheet.iter_rows())) == 3


class TestMailMerge:
    def post(self, client, template, **data):
        payload = {"template": template.pk, "signatory": "Claire DRAAF", "scope": "selection", "format": "csv"}
        payload.update(data)
        return client.post("/territoires/suivi/publipostage/", payload)

    def test_csv_of_the_selected_canteens(self, client, world, officer, template):
        client.force_login(officer.user)
        response = self.post(client, template, canteens=[world["vannes"].pk, world["rennes"].pk])
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert {row["nom_cantine"] for row in rows} == {"Lycée Vannes", "École Rennes"}
        vannes = next(row for row in rows if row["nom_cantine"] == "Lycée Vannes")
        assert vannes["objet"] == "Lycée Vannes : votre télédéclaration"
        assert "La cantine Lycée Vannes (Vannes) n'a pas encore" in vannes["corps"]
        assert vannes["corps"].endswith("Claire DRAAF")
        assert vannes["destinataires"] == "gestion@example.org"

    def test_whole_filtered_list_as_eml_drafts(self, client, world, officer, template):
        client.force_login(officer.user)
        response = self.post(client, template, scope="filter", statut="not_declared", format="eml")
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        assert len(archive.namelist()) == 1 and archive.namelist()[0].endswith(".eml")
        message = email.message_from_bytes(archive.read(archive.namelist()[0]), policy=email.policy.default)
        assert message["Subject"] == "Lycée Vannes : votre télédéclaration"
        assert message["To"] == "gestion@example.org" and message["X-Unsent"] == "1"
        assert "Lycée Vannes (Vannes)" in message.get_content()

    def test_canteens_outside_the_territory_are_dropped(self, client, world, officer, template):
        client.force_login(officer.user)
        response = self.post(client, template, canteens=[world["paris"].pk, world["brest"].pk])
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert [row["nom_cantine"] for row in rows] == ["EHPAD Brest"]

    def test_nothing_selected_shows_the_error_and_keeps_the_choices(self, client, world, officer, template):
        client.force_login(officer.user)
        response = self.post(client, template, statut="declared", signatory_role="DRAAF")
        assert response.status_code == 400
        html = response.content.decode()
        assert "Cochez au moins une cantine" in html and 'role="alert"' in html
        assert (
            '<a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/territoires/suivi/?status=declared">'
            in html
        )
        assert 'value="Claire DRAAF"' in html and 'value="DRAAF"' in html
        assert f'<option value="{template.pk}" selected>' in html

    def test_the_check_page_shows_each_canteens_status_before_generating(self, client, world, officer, template):
        client.force_login(officer.user)
        chosen = [world["vannes"].pk, world["rennes"].pk, world["quimper"].pk]
        response = self.post(client, template, canteens=chosen, step="check")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        statuses = dict(re.findall(r'data-status="(\w+)">([^<]+)<', html))
        assert statuses == {
            "not_declared": "Inscrite, non télédéclarée",
            "declared": "Télédéclarée",
            "no_manager": "Sans gestionnaire",
        }
        # the template is for registered canteens that have not declared: the two others are pointed out
        assert "2 cantines ne sont pas dans le cas du modèle « Cantine inscrite »" in html
        assert "Les champs marqués d'un astérisque (*) sont obligatoires." in html
        for pk in chosen:
            assert f'<input type="hidden" name="canteens" value="{pk}">' in html
        # the same choices, without step=check, give the file
        response = self.post(client, template, canteens=chosen)
        assert response["Content-Type"] == "text/csv; charset=utf-8"

    def test_nothing_is_sent(self, client, world, officer, template, mailoutbox):
        client.force_login(officer.user)
        body(self.post(client, template, scope="filter", format="eml"))
        assert mailoutbox == []

    def test_the_form_posts_english_names(self, client, world, officer, template):
        """Field names and values are English identifiers (issue 20): the labels stay French."""
        client.force_login(officer.user)
        html = client.get("/territoires/suivi/").content.decode()
        for name in ("signatory", "signatory_role", "scope", "format", "template"):
            assert f'name="{name}"' in html
        assert 'value="selection"' in html and 'value="filter"' in html
        assert 'name="signataire"' not in html and 'name="perimetre"' not in html and 'name="fonction"' not in html
        assert "Nom du signataire" in html and "Toutes les cantines de la liste filtrée" in html

    def test_get_is_not_allowed(self, client, world, officer):
        client.force_login(officer.user)
        assert client.get("/territoires/suivi/publipostage/").status_code == 405


class TestMailMergeWithTheContentTemplates:
    """The two templates of the content issue, as the resources demo creates them."""

    @pytest.fixture
    def templates(self, db):
        from resources.demo_content import MAIL_TEMPLATES

        made = {}
        for data in MAIL_TEMPLATES:
            if data["code"] in ("cantine-inscrite", "cantine-non-inscrite"):
                made[data["code"]] = MailTemplateFactory(
                    code=data["code"],
                    name=data["name"],
                    subject=data["subject"],
                    body=data["body"],
                    placeholders=data["placeholders"],
                )
        return made

    def post(self, client, template, **data):
        payload = {"template": template.pk, "signatory": "Claire DRAAF", "scope": "filter", "format": "csv"}
        payload.update(data)
        return client.post("/territoires/suivi/publipostage/", payload)

    def test_registered_canteen_template_is_filled_from_the_canteen_the_campaign_and_the_form(
        self, client, world, officer, templates
    ):
        manager = world["manager"]
        manager.first_name, manager.last_name = "Jeanne", "Martin"
        manager.save()
        client.force_login(officer.user)
        response = self.post(
            client, templates["cantine-inscrite"], statut="not_declared", signatory_role="Chargée de mission, DRAAF"
        )
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert [row["nom_cantine"] for row in rows] == ["Lycée Vannes"]
        row = rows[0]
        assert row["objet"] == "Lycée Vannes : votre télédéclaration EGAlim 2024 sur ma cantine"
        assert row["corps"].startswith("Bonjour Jeanne Martin,")
        assert "Lycée Vannes (Vannes)" in row["corps"]
        assert "ouverte jusqu'au 15 avril 2025" in row["corps"]  # the campaign's deadline
        assert row["corps"].endswith("Claire DRAAF\nChargée de mission, DRAAF")
        assert "{{" not in row["objet"] + row["corps"]  # every placeholder is filled

    def test_unregistered_canteen_template_as_eml(self, client, world, officer, templates):
        client.force_login(officer.user)
        response = self.post(client, templates["cantine-non-inscrite"], statut="no_manager", format="eml")
        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        [name] = archive.namelist()
        message = email.message_from_bytes(archive.read(name), policy=email.policy.default)
        assert message["Subject"] == "Quimper : inscrivez la cantine Collège Quimper sur ma cantine"
        assert message["To"] is None  # no manager: the officer adds the recipient
        text = message.get_content()
        assert "la cantine Collège Quimper de Quimper n'y est pas encore inscrite" in text
        # the elected official's name is not known to the site: left for the officer to fill
        assert "{{ nom_destinataire }}" in text and "{{ nom_cantine }}" not in text


def test_follow_up_and_widget_query_counts_do_not_grow(client, world, officer, django_assert_max_num_queries):
    from tests.factories import CanteenFactory, WidgetFactory, YearlyDiagnosticFactory

    widget = WidgetFactory(owner=officer.user, region_id="53")
    client.force_login(officer.user)
    client.get("/territoires/suivi/")
    client.get(f"/widget/{widget.pk}/")
    with django_assert_max_num_queries(20) as follow_up:  # 40 before the list was read by ids (issue 21)
        assert client.get("/territoires/suivi/").status_code == 200
    # the session is not written again on each visit, the campaigns are read once
    assert not [q for q in follow_up.captured_queries if q["sql"].startswith("UPDATE")]
    assert sum('FROM "canteens_campaign"' in q["sql"] for q in follow_up.captured_queries) == 1
    with django_assert_max_num_queries(20) as framed:
        assert client.get(f"/widget/{widget.pk}/").status_code == 200
    for number in range(12):
        canteen = CanteenFactory(name=f"Cantine {number}", city_insee_code="35238", managers=[UserFactory()])
        YearlyDiagnosticFactory(canteen=canteen, year=2024, is_published=True)
    with django_assert_max_num_queries(len(follow_up.captured_queries)):
        html = client.get("/territoires/suivi/").content.decode()
    assert "16 cantines" in html
    with django_assert_max_num_queries(len(framed.captured_queries)):
        html = client.get(f"/widget/{widget.pk}/").content.decode()
    assert "Cantine 11" in html


def test_follow_up_pages_keep_the_order_and_statuses(client, world, officer, monkeypatch):
    """The list is read by ids, then those rows (territories.officers.page_of): same order, same statuses."""
    from territories import officers

    monkeypatch.setattr(officers, "PAGE_SIZE", 3)
    client.force_login(officer.user)
    first = client.get("/territoires/suivi/").content.decode()
    second = client.get("/territoires/suivi/?page=2").content.decode()
    from canteens.models import Canteen

    names = list(  # by name, as the database's collation sorts them
        Canteen.objects.filter(name__in=["Collège Quimper", "EHPAD Brest", "Lycée Vannes", "École Rennes"])
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    assert all(name in first for name in names[:3]) and names[3] not in first
    assert [first.index(name) for name in names[:3]] == sorted(first.index(name) for name in names[:3])
    assert names[3] in second and not any(name in second for name in names[:3])
    assert "4 cantines" in first and "4 cantines" in second
    assert names[3] in client.get("/territoires/suivi/?page=99").content.decode()  # out of range: the last page
    everything = client.get("/territoires/suivi/?page=1", {"statut": "declared"}).content.decode()
    assert "École Rennes" in everything and "Collège Quimper" not in everything
