"""The officer's exports and the mail merge read `values_list` rows (no Canteen instance, managers per batch, the
template compiled once: territories/officers.py, issue 21 goal 3). They write the same bytes as the code they
replaced, kept here as the reference: model instances, prefetched managers, `MailTemplate.render` per canteen."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Prefetch

from home.spreadsheets import csv_row
from territories import officers
from territories.opendata import _Line, _text, iter_csv
from territories.opendata.writers import write_xlsx
from tests.factories import CanteenFactory, MailTemplateFactory, UserFactory


def in_order_added(canteen):
    """The canteen's prefetched managers in the order they were added (the through table's id), as the new code
    writes them: the old code's prefetch had no ORDER BY, so PostgreSQL chose (a run of 5 December 2026 gave
    « c@…, b@… »). The reference keeps everything else as it was."""
    added = dict(canteen.managers.through.objects.filter(canteen=canteen).values_list("user_id", "pk"))
    return sorted(canteen.managers.all(), key=lambda user: added[user.pk])


def reference_list_rows(queryset, year, base_url):
    """territories.officers.list_rows before issue 21 goal 3 (managers in a defined order: `in_order_added`)."""
    from django.urls import reverse

    from canteens.models import Canteen

    managers = Prefetch("managers", queryset=Canteen.managers.field.related_model.objects.only("email"))
    public_url = base_url + reverse("territories:canteen", args=[987654321, "slug-modele"]).replace(
        "987654321", "{pk}"
    ).replace("slug-modele", "{slug}")
    for canteen in queryset.prefetch_related(managers).iterator(chunk_size=500):
        stats = getattr(canteen, "stats", None)
        yield [
            canteen.siret,
            canteen.siren_unite_legale,
            canteen.name,
            canteen.city_insee_code,
            canteen.city,
            canteen.department,
            canteen.territory_department.name if canteen.territory_department else "",
            "|".join(canteen.sectors or []),
            ", ".join(user.email for user in in_order_added(canteen)),
            str(officers.STATUSES[officers.status_of(canteen)]),
            year,
            stats.published_year if stats else None,
            stats.bio_rate if stats else None,
            stats.egalim_rate if stats else None,
            public_url.format(pk=canteen.pk, slug=canteen.slug),
        ]


def reference_merge_csv(template, canteens, signatory, base_url, common=None):
    """territories.officers.iter_merge_csv (and merged, merge_values) before issue 21 goal 3 (managers: see
    `in_order_added`)."""
    from canteens.models import Canteen

    managers = Prefetch(
        "managers", queryset=Canteen.managers.field.related_model.objects.only("email", "first_name", "last_name")
    )
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(officers.MERGE_COLUMNS)
    yield ("\ufeff" + line.pop()).encode("utf-8")
    for canteen in canteens.prefetch_related(managers).iterator(chunk_size=500):
        values = {
            **(common or {}),
            "nom_cantine": canteen.name,
            "commune": canteen.city or canteen.city_insee_code,
            "nom_signataire": signatory,
            "nom_gestionnaire": ", ".join(
                name for name in (user.get_full_name() for user in in_order_added(canteen)) if name
            ),
            "siret": canteen.siret or canteen.siren_unite_legale,
            "departement": canteen.department,
            "lien_cantine": base_url + canteen.get_public_url(),
        }
        subject, body = template.render(values)
        recipients = [user.email for user in in_order_added(canteen) if user.email]
        status = officers.STATUSES[officers.status_of(canteen)]
        writer.writerow(
            csv_row(
                [
                    ", ".join(recipients),
                    canteen.name,
                    canteen.siret or canteen.siren_unite_legale,
                    canteen.city or canteen.city_insee_code,
                    canteen.department,
                    _text(str(status)),
                    subject,
                    body,
                ]
            )
        )
        yield line.pop().encode("utf-8")


@pytest.fixture
def crowd(world, officer):
    """The world, plus canteens that exercise every column: two managers (one without a name, one without an
    e-mail address), a formula-like name, a control character, accents, a canteen identified by its SIREN."""
    first = UserFactory(email="b@example.org", first_name="Anne", last_name="Le Goff")
    second = UserFactory(email="", first_name=" ", last_name="Kerjean")
    unnamed = UserFactory(email="c@example.org", first_name="", last_name="")
    CanteenFactory(name="=1+1 Cantine", city_insee_code="35238", city="", managers=[second, first, unnamed])
    CanteenFactory(name="Crèche  Œillet\x0b — n°2", city_insee_code="29019", city="Brest", managers=[first])
    CanteenFactory(name="Site sans SIRET", siret="", siren_unite_legale="356000000", city_insee_code="56260")
    return officers.scope_for(officer.user)


@pytest.mark.parametrize("data", [{}, {"status": "declared"}, {"q": "cant"}])
def test_the_follow_up_export_writes_the_same_bytes(crowd, data, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(officers, "MANAGER_BATCH", 2)  # several batches of managers
    _form, queryset, year = officers.filtered(crowd, data)
    expected = b"".join(iter_csv(officers.OfficerList, reference_list_rows(queryset, year, "http://t"), bom=True))
    rows = list(reference_list_rows(queryset, year, "http://t"))
    assert len(rows) >= (3 if not data else 1)
    with django_assert_max_num_queries(1 + (len(rows) + 1) // 2):  # the rows, then one query per batch
        written = b"".join(iter_csv(officers.OfficerList, officers.list_rows(queryset, year, "http://t"), bom=True))
    assert written == expected
    sheet = write_xlsx(officers.OfficerList, officers.list_rows(queryset, year, "http://t")).read()
    assert sheet[:2] == b"PK"


@pytest.mark.parametrize("fmt", ["csv", "eml"])
def test_the_mail_merge_writes_the_same_text(crowd, fmt, monkeypatch):
    monkeypatch.setattr(officers, "MANAGER_BATCH", 2)
    template = MailTemplateFactory(
        code="relance",
        subject="{{ nom_cantine }} ({{ departement }}) {{inconnu}}",
        body="Bonjour {{ nom_gestionnaire }},\n{{ commune }} {{ siret }} {{ lien_cantine }}\n{{ annee_donnees }}"
        "\n{{ nom_signataire }}, {{ fonction_signataire }}{{ vide }}",
    )
    _form, queryset, year = officers.filtered(crowd, {})
    common = {"annee_donnees": 2024, "fonction_signataire": "DRAAF", "vide": ""}
    expected = b"".join(reference_merge_csv(template, queryset, "Claire", "http://t", common))
    written = b"".join(officers.iter_merge_csv(template, queryset, "Claire", "http://t", common, batch=2))
    assert written == expected
    rows = list(csv.DictReader(io.StringIO(written.decode("utf-8-sig"))))
    crowded = next(row for row in rows if row["nom_cantine"] == "'=1+1 Cantine")
    greeting = crowded["corps"].split("\n")[0]  # the managers with a name (in the order they were added)
    assert set(greeting.removeprefix("Bonjour ").removesuffix(",").split(", ")) == {"Kerjean", "Anne Le Goff"}
    assert crowded["corps"].split("\n")[1].startswith("35238 ")  # no commune name: its INSEE code
    assert set(crowded["destinataires"].split(", ")) == {"b@example.org", "c@example.org"}
    assert crowded["objet"].endswith("{{inconnu}}") and crowded["corps"].endswith("DRAAF{{ vide }}")
    if fmt == "eml":
        names = _names(officers.iter_merge_zip(template, queryset, "Claire", "http://t"))
        assert len(names) == len(rows) and all(name.endswith(".eml") for name in names)


def _names(chunks):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(b"".join(chunks))).namelist()


@pytest.mark.parametrize(
    "subject, body",
    [
        ("{{ a }}{{b}}", "{{  a  }} {{ c }} {{}} {{ a"),
        ("sans variable", ""),
        ("{{ zero }}", "{{ none }}{{ vide }}{{ a }}"),
    ],
)
def test_the_compiled_template_renders_as_render(db, subject, body):
    template = MailTemplateFactory(code="t", subject=subject, body=body)
    values = {"a": "A", "b": "B", "zero": 0, "none": None, "vide": ""}
    assert template.renderer()(values) == template.render(values)


WEIRD = ["=1+1", "-x", "\tt", "a\x0bb", "é « x »", "", None, 'a,b"c\nd', 5, -3, Decimal("-2.50"), True, 1.5]


@pytest.mark.parametrize("slug", ["registre-cantines", "resultats-campagnes"])
def test_the_generated_row_functions_are_the_columns_functions(slug):
    """Dataset.row_builder and writers.csv_row_formatter (one generated list display each) give what the
    columns' getters and formatters give one cell at a time."""
    import datetime

    from territories import opendata
    from territories.opendata import writers
    from territories.opendata.columns import Context

    dataset = opendata.DATASETS[slug]
    index = {path: position for position, path in enumerate(dataset.paths)}
    getters = [column.getter(index) for column in dataset.columns]
    context = Context(url="http://t/{pk}/{slug}", tz=datetime.UTC)
    build = dataset.row_builder(index)
    row = []
    for path in dataset.paths:  # a value of the kind each path holds
        row.append(
            {"canteen__sectors": ["school_primary", "ehpad"], "sector_mask": 5, "canteen_id": 7}.get(path)
            or (datetime.datetime(2024, 5, 6, 23, 30, tzinfo=datetime.UTC) if path.endswith("_at") else "Crèche")
        )
    assert build(row, context) == [get(row, context) for get in getters]
    cells = writers.formatters(dataset, writers._CSV_FORMATTERS, writers._csv_string)
    format_row = writers.csv_row_formatter(cells)
    for shift in range(len(WEIRD)):
        values = [WEIRD[(shift + i) % len(WEIRD)] for i in range(len(cells))]
        assert format_row(values) == [cell(value) for cell, value in zip(cells, values, strict=True)]
    with pytest.raises(ValueError):
        list(writers.iter_csv(dataset, [values[:-1]]))
