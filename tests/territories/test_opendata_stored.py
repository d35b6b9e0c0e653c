"""Whole-country downloads served from the files `export_open_data` wrote, while they hold the current data
(territories/opendata/stored.py), and the per-column formatters of the writers (same output as the generic ones)."""

import csv
import datetime
import io
import json
import types
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import load_workbook

from territories import opendata
from territories.models import CanteenStats, DeclarationStats, OpenDataFile
from territories.opendata import writers

from .test_opendata import body

URLS = {
    (slug, fmt): f"/donnees/{slug}.{fmt}"
    for slug in ("registre-cantines", "resultats-campagnes")
    for fmt in opendata.FORMATS
}


def settle():
    """Changes made long enough before the next snapshot (stored.SETTLE)."""
    past = timezone.now() - datetime.timedelta(minutes=5)
    CanteenStats.objects.update(updated_at=past)
    DeclarationStats.objects.update(updated_at=past)


def cells(content):
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content), read_only=True).active.rows]


@pytest.fixture
def live(client, world, published):
    """Every whole-country download computed live, before any file is written."""
    settle()
    return {key: body(client.get(url)) for key, url in URLS.items()}


def test_fresh_files_are_served_with_the_live_content(client, live):
    call_command("export_open_data", stdout=io.StringIO())
    for (slug, fmt), url in URLS.items():
        response = client.get(url)
        assert type(response) is FileResponse, url
        assert f'filename="{slug}.{fmt}"' in response["Content-Disposition"]
        assert response["Content-Type"] == opendata.FORMATS[fmt]
        content = body(response)
        if fmt == "xlsx":  # the ZIP carries its creation time: compare the cells
            assert cells(content) == cells(live[slug, fmt])
        else:
            assert content == live[slug, fmt]
    filtered = client.get("/donnees/registre-cantines.csv?region=53")  # a filtered download stays live
    assert type(filtered) is StreamingHttpResponse


def test_a_change_or_a_deletion_makes_the_download_live_again(client, live, world):
    call_command("export_open_data", stdout=io.StringIO())
    canteen = world["rennes"]
    canteen.name = "École Rennes renommée"
    canteen.save()
    response = client.get("/donnees/registre-cantines.csv")
    assert type(response) is StreamingHttpResponse
    assert "École Rennes renommée" in body(response).decode()
    assert type(client.get("/donnees/resultats-campagnes.json")) is StreamingHttpResponse  # its identity columns

    settle()
    call_command("export_open_data", stdout=io.StringIO())
    assert type(client.get("/donnees/registre-cantines.csv")) is FileResponse
    world["quimper"].delete()  # no timestamp left behind: the row count tells
    response = client.get("/donnees/registre-cantines.csv")
    assert type(response) is StreamingHttpResponse
    assert "Collège Quimper" not in body(response).decode()


def test_if_stale_rewrites_only_the_files_whose_data_changed(client, live):
    call_command("export_open_data", stdout=io.StringIO())
    before = dict(OpenDataFile.objects.values_list("format", "generated_at").filter(dataset="registre-cantines"))
    out = io.StringIO()
    call_command("export_open_data", "--if-stale", stdout=out)
    assert "lignes" not in out.getvalue()  # everything fresh: nothing written
    DeclarationStats.objects.update(updated_at=timezone.now())
    call_command("export_open_data", "--if-stale", stdout=out)
    assert "resultats-campagnes.csv" in out.getvalue()
    after = dict(OpenDataFile.objects.values_list("format", "generated_at").filter(dataset="registre-cantines"))
    assert after == before  # the registry does not read the declarations


WEIRD = [
    "=1+1", "-x", "@a", "\tt", "\rr", "+33", "a\x0bb", "é « x »\xa0y", "", None, 'a,b"c\nd', "\x85z", "ok",
    5, -3, 0, Decimal("-2.50"), Decimal("12.345"), Decimal("0"), True, False, 1.5,
    datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC),
]  # fmt: skip


@pytest.mark.parametrize("slug", list(opendata.DATASETS))
def test_column_formatters_write_what_the_generic_ones_write(slug):
    """Whatever value lands in whatever column: the typed formatters fall back to the generic ones."""
    dataset = opendata.DATASETS[slug]
    untyped = types.SimpleNamespace(slug=slug, names=dataset.names)  # no columns: the generic formatters
    width = len(dataset.names)
    rows = [[WEIRD[(i + j) % len(WEIRD)] for j in range(width)] for i in range(len(WEIRD))]
    assert b"".join(writers.iter_csv(dataset, rows)) == b"".join(writers.iter_csv(untyped, rows))
    expected = "[" + "".join(
        ("\n" if i == 0 else ",\n")
        + json.dumps({n: writers._json_value(v) for n, v in zip(dataset.names, row, strict=True)}, ensure_ascii=False)
        for i, row in enumerate(rows)
    )
    expected += "\n]\n"
    assert b"".join(writers.iter_json(dataset, rows)).decode() == expected
    assert b"".join(writers.iter_json(untyped, rows)).decode() == expected
    csv_text = b"".join(writers.iter_csv(dataset, rows)).decode()
    assert "'=1+1" in csv_text and "'@a" in csv_text and "\x0b" not in csv_text and "\x85" not in csv_text


def test_officer_export_writes_each_public_address_as_the_canteen_does(client, world, officer):
    from canteens.models import Canteen

    client.force_login(officer.user)
    text = body(client.get("/territoires/suivi/export.csv")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["nom"] for row in rows} == {"École Rennes", "EHPAD Brest", "Collège Quimper", "Lycée Vannes"}
    for row in rows:
        canteen = Canteen.objects.get(name=row["nom"])
        assert row["page_publique"] == "http://testserver" + canteen.get_public_url()
