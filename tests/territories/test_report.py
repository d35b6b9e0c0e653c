"""The campaign's statistical report: its figures recomputed here independently (pooled sums of the amounts
the test declared), published only with the campaign's results, as a page, a PDF, CSV and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from canteens import declaration
from territories.models import CampaignPublication
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db

# (sectors, management, production, total, bio, siqo, environmental, other_egalim, meat_fish_total, meat_egalim)
DECLARED = [
    (["school_primary"], "direct", "on_site", 100000, 25000, 15000, 5000, 10000, 30000, 20000),
    (["school_middle"], "conceded", "on_site", 200000, 20000, 10000, 0, 0, 50000, 10000),
    (["hospital"], "direct", "on_site", 50000, 5000, 5000, 5000, 5000, 10000, 2000),
    (["ehpad", "school_high"], "conceded", "on_site", 80000, 8000, 0, 0, 8000, 20000, 4000),
]


@pytest.fixture
def campaign():
    today = timezone.localdate()
    campaign = CampaignFactory(
        year=2024,
        declaration_start=today - datetime.timedelta(days=1),
        declaration_end=today + datetime.timedelta(days=1),
        correction_start=None,
        correction_end=None,
    )
    manager = UserFactory(email="gestion@example.org")
    for sectors, management, production, *amounts in DECLARED:
        canteen = CanteenFactory(
            sectors=sectors, management_type=management, production_type=production, managers=[manager]
        )
        names = ["total", "bio", "siqo", "environmental", "other_egalim", "meat_fish_total", "meat_fish_egalim"]
        diagnostic = YearlyDiagnosticFactory(
            canteen=canteen, year=2024, **{name: Decimal(value) for name, value in zip(names, amounts, strict=True)}
        )
        declaration.submit(canteen, diagnostic, manager)
    # An outlier (1 000 000 € for 30 000 meals: 33 € a meal), confirmed by its declarant: excluded from the rates.
    odd = CanteenFactory(managers=[manager])
    declaration.submit(
        odd,
        YearlyDiagnosticFactory(canteen=odd, year=2024, total=Decimal("1000000")),
        manager,
        confirmed=["cost_per_meal_high"],
    )
    CanteenFactory()  # registered, never declared
    campaign.closed_on = today
    campaign.save()
    return campaign


def pooled(rows, part, whole):
    return (Decimal(sum(row[part] for row in rows)) * 100 / Decimal(sum(row[whole] for row in rows))).quantize(
        Decimal("0.01")
    )


def test_report_figures_recomputed_independently(client, campaign):
    CampaignPublication.objects.create(campaign=campaign)
    from territories.report import campaign_report

    report = campaign_report(campaign)
    rows = [
        dict(zip(["total", "bio", "siqo", "env", "other", "mf", "mfe"], amounts, strict=True))
        for _s, _m, _p, *amounts in DECLARED
    ]
    for row in rows:
        row["egalim"] = row["bio"] + row["siqo"] + row["env"] + row["other"]
    assert (report["registered"], report["participating"], report["outliers"]) == (6, 5, 1)
    assert report["participation"] == Decimal("83.33")
    national = report["national"]
    assert national["declarations"] == 4
    assert national["rates"]["bio"] == pooled(rows, "bio", "total")  # 58 000 / 430 000
    assert national["rates"]["egalim"] == pooled(rows, "egalim", "total")
    assert national["rates"]["meat_fish_egalim"] == pooled(rows, "mfe", "mf")
    education = next(row for row in report["tables"]["category"] if row["code"] == "education")
    school_rows = [rows[0], rows[1], rows[3]]  # the EHPAD + lycée canteen counts in both categories
    assert education["declarations"] == 3 and education["rates"]["bio"] == pooled(school_rows, "bio", "total")
    conceded = next(row for row in report["tables"]["management"] if row["code"] == "conceded")
    assert conceded["rates"]["egalim"] == pooled([rows[1], rows[3]], "egalim", "total")
    bretagne = report["tables"]["region"]
    assert [row["label"] for row in bretagne] == ["Bretagne"] and bretagne[0]["declarations"] == 4


def test_published_only_with_the_campaigns_results(client, campaign):
    assert client.get("/territoires/bilan/2024/").status_code == 404
    assert client.get("/territoires/bilan/2024/bilan.csv").status_code == 404
    client.force_login(UserFactory(email="admin@example.org", is_staff=True))
    assert "Aperçu réservé" in client.get("/territoires/bilan/2024/").content.decode()
    client.logout()
    CampaignPublication.objects.create(campaign=campaign)
    html = client.get("/territoires/bilan/2024/").content.decode()
    assert "Bilan statistique de la campagne 2024" in html and "Méthode" in html and "<svg" in html
    response = client.get("/territoires/bilan/2024/bilan.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["groupe", "code", "libelle", "declarations"]
    assert rows[1][:4] == ["national", "", "France entière", "4"]
    assert client.get("/territoires/bilan/2024/bilan.xlsx").status_code == 200
    pdf = client.get("/territoires/bilan/2024/bilan.pdf")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/territoires/bilan/2024/bilan.doc").status_code == 404
