import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from canteens import imports
from canteens.models import Purchase, PurchaseImport, YearlyDiagnostic

pytestmark = pytest.mark.django_db

HEADER = "date;description;fournisseur;famille;labels;montant HT"
GOOD_LINES = [
    "15/01/2024;Carottes;Ferme des Prés;Fruits et légumes;Bio;1 000,00",
    "16/01/2024;Poulet fermier;Volailles d'ici;Viandes et volailles;Label Rouge, fermier;2000",
    "17/01/2024;Comté;Fromagerie;Produits laitiers (beurre, œufs, fromages);AOP;500,50",
    "18/01/2024;Pain;Boulangerie Martin;Boulangerie;;499,50",
    "19/01/2024;Cabillaud;Marée;Poissons et produits de la mer;Écolabel pêche durable;1000",
    "20/01/2024;Pommes;Verger;Fruits et légumes;local;1000",
]


def csv_file(lines, name="achats.csv", encoding="utf-8", header=HEADER):
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode(encoding), content_type="text/csv")


def upload(client, canteen, file):
    return client.post(f"/mes-cantines/{canteen.pk}/import/", {"file": file})


def test_good_file_fills_the_detailed_diagnostic(client, manager_a, canteen_a):
    client.force_login(manager_a)
    response = upload(client, canteen_a, csv_file(GOOD_LINES))
    assert response.status_code == 302
    assert response["Location"] == f"/mes-cantines/{canteen_a.pk}/diagnostics/2024/"
    assert Purchase.objects.filter(canteen=canteen_a).count() == 6
    batch = PurchaseImport.objects.get()
    assert (batch.line_count, batch.total, batch.years) == (6, Decimal("6000.00"), [2024])
    diagnostic = YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024)
    assert diagnostic.mode == "detailed"
    assert diagnostic.total == Decimal("6000.00")
    assert diagnostic.bio == Decimal("1000.00")
    assert diagnostic.siqo == Decimal("2500.50")  # Label Rouge counts before "fermier"; AOP
    assert diagnostic.other_egalim == Decimal("1000.00")  # écolabel pêche
    assert diagnostic.meat_fish_total == Decimal("3000.00")
    assert diagnostic.meat_fish_egalim == Decimal("3000.00")
    assert diagnostic.family_detail["fruits_vegetables"]["total"] == "2000.00"
    # The dashboard shows the rates computed by the rules.
    html = client.get(response["Location"]).content.decode()
    assert "16,6\u00a0%" in html  # bio 1000 / 6000


def test_errors_on_lines_3_and_7_save_nothing_and_are_all_reported(client, manager_a, canteen_a):
    lines = list(GOOD_LINES)
    lines[1] = "16/01/2024;Poulet;Volailles d'ici;Viandes et volailles;Label Rouge;douze euros"  # file line 3
    lines.append("32/01/2024;Riz;Épicerie;Céréales;Bio;10")  # file line 8... made line 7 below
    lines.insert(5, lines.pop())  # now file line 7
    client.force_login(manager_a)
    response = upload(client, canteen_a, csv_file(lines))
    assert response.status_code == 400
    html = response.content.decode()
    assert "aucun achat n&#x27;a été enregistré" in html or "aucun achat n'a été enregistré" in html
    assert "Ligne 3 : montant HT invalide." in html
    assert "Ligne 7 : date invalide (attendu JJ/MM/AAAA); famille inconnue « Céréales » (familles possibles :" in html
    assert "Ligne 2 " not in html and "Ligne 4 " not in html
    assert not Purchase.objects.exists() and not PurchaseImport.objects.exists()
    assert not YearlyDiagnostic.objects.exists()


def test_windows_1252_semicolon_csv(client, manager_a, canteen_a):
    client.force_login(manager_a)
    lines = ["03/02/2025;Crème fraîche;Laiterie;Produits laitiers;AB;150,25"]
    response = upload(client, canteen_a, csv_file(lines, encoding="cp1252"))
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert purchase.description == "Crème fraîche"
    assert purchase.family == "dairy" and purchase.labels == ["agriculture_biologique"]
    assert YearlyDiagnostic.objects.get(year=2025).bio == Decimal("150.25")


def test_comma_separated_utf8_with_bom_and_other_header_order(canteen_a):
    text = '\ufeffMontant HT,Famille,Date,Fournisseur,Description,Labels\n"1234,5",Boissons,2024-03-01,Brasseur,Jus,\n'
    result = imports.parse(SimpleUploadedFile("a.csv", text.encode("utf-8")))
    assert result.error_count == 0
    assert result.rows[0].amount == Decimal("1234.5") and result.rows[0].family == "drinks"


def test_xlsx_file(client, manager_a, canteen_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Description", "Fournisseur", "Famille", "Labels", "Montant HT"])
    import datetime

    sheet.append([datetime.datetime(2024, 5, 2), "Yaourts", "Laiterie", "Produits laitiers", "Bio", 300])
    sheet.append(["03/05/2024", "Steaks", "Boucherie", "Viandes et volailles", "Label Rouge", "700,00"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(manager_a)
    file = SimpleUploadedFile("achats.xlsx", buffer.getvalue())
    response = upload(client, canteen_a, file)
    assert response.status_code == 302
    diagnostic = YearlyDiagnostic.objects.get(year=2024)
    assert (diagnostic.total, diagnostic.bio, diagnostic.siqo) == (Decimal("1000"), Decimal("300"), Decimal("700"))


def test_file_over_10_mb_is_refused_before_parsing(client, manager_a, canteen_a, monkeypatch):
    def no_parsing(upload):
        raise AssertionError("the file must not be read")

    monkeypatch.setattr(imports, "_rows", no_parsing)
    client.force_login(manager_a)
    big = csv_file(["x" * 1000] * 10_500)
    assert big.size > 10 * 1024 * 1024
    response = upload(client, canteen_a, big)
    assert response.status_code == 400
    assert "Le fichier dépasse 10 Mo" in response.content.decode()
    assert not Purchase.objects.exists()


def test_more_than_50000_lines_is_refused(canteen_a, monkeypatch):
    monkeypatch.setattr(imports, "MAX_LINES", 3)
    with pytest.raises(imports.ImportRefused, match="50 000 lignes"):
        imports.parse(csv_file(GOOD_LINES[:4]))


def test_missing_columns_and_empty_files(canteen_a):
    with pytest.raises(imports.ImportRefused, match="Colonnes manquantes : fournisseur, montant HT"):
        imports.parse(csv_file(["a;b;c"], header="date;description;famille"))
    with pytest.raises(imports.ImportRefused, match="vide"):
        imports.parse(SimpleUploadedFile("a.csv", b"\n\n"))
    with pytest.raises(imports.ImportRefused, match="aucune ligne"):
        imports.parse(csv_file([]))
    with pytest.raises(imports.ImportRefused, match="Excel"):
        imports.parse(SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not really a zip"))


def test_unknown_label_and_negative_amount(canteen_a):
    result = imports.parse(csv_file(["01/01/2024;Riz;Épicerie;Autres produits;Bio, Nutri-score;-5"]))
    assert result.error_count == 1
    line, message = result.errors[0]
    assert line == 2
    assert "label inconnu « Nutri-score »" in message and "négatif" in message


def test_template_files_are_accepted_by_the_import(client):
    for extension in ("csv", "xlsx"):
        response = client.get(f"/mes-cantines/modele-achats.{extension}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        result = imports.parse(SimpleUploadedFile(f"modele.{extension}", response.content))
        assert result.error_count == 0 and len(result.rows) == len(imports.TEMPLATE_ROWS)
    assert (
        load_workbook(io.BytesIO(client.get("/mes-cantines/modele-achats.xlsx").content)).active["A1"].value == "date"
    )
    assert client.get("/mes-cantines/modele-achats.pdf").status_code == 404


def test_import_into_a_declared_year_is_refused(client, manager_a, canteen_a, diagnostic_a):
    from django.utils import timezone

    from canteens import declaration
    from tests.factories import CampaignFactory

    today = timezone.localdate()
    CampaignFactory(year=2024, declaration_start=today, declaration_end=today)
    declaration.submit(canteen_a, diagnostic_a, manager_a)
    client.force_login(manager_a)
    response = upload(client, canteen_a, csv_file(GOOD_LINES))
    assert response.status_code == 400
    assert "déjà télédéclarée" in response.content.decode()
    assert not Purchase.objects.exists()


def test_unreadable_csv_line_is_refused_with_its_number(client, manager_a, canteen_a, csv_limit):
    """A cell over the import's limit (here an unterminated quote swallowing the rest) is a 400, not a 500."""
    lines = [GOOD_LINES[0], '16/01/2024;"Poulet' + "x" * 200_000 + ";Volailles;Viandes et volailles;;10"]
    client.force_login(manager_a)
    response = upload(client, canteen_a, csv_file(lines))
    assert response.status_code == 400
    assert "Ligne 3 illisible" in response.content.decode()
    assert not Purchase.objects.exists() and not PurchaseImport.objects.exists()


def test_xlsx_with_a_broken_sheet_is_refused(client, manager_a, canteen_a):
    import zipfile

    source = io.BytesIO(imports.template_xlsx())
    broken = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]  # truncated XML
            copy.writestr(item, data)
    client.force_login(manager_a)
    response = upload(client, canteen_a, SimpleUploadedFile("achats.xlsx", broken.getvalue()))
    assert response.status_code == 400
    assert "Ce fichier Excel ne peut pas être lu" in response.content.decode()
    assert not Purchase.objects.exists()


def test_the_same_file_twice_is_refused_instead_of_doubling_the_amounts(client, manager_a, canteen_a):
    client.force_login(manager_a)
    assert upload(client, canteen_a, csv_file(GOOD_LINES)).status_code == 302
    response = upload(client, canteen_a, csv_file(GOOD_LINES[::-1], name="copie.csv"))  # same lines, other order
    assert response.status_code == 400
    assert "Ces achats sont déjà importés (fichier « achats.csv »" in response.content.decode()
    assert PurchaseImport.objects.count() == 1 and Purchase.objects.count() == 6
    assert YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024).total == Decimal("6000.00")
    # Another file with the same count and total but other purchases is imported.
    other = [line.replace("Carottes", "Navets") for line in GOOD_LINES]
    assert upload(client, canteen_a, csv_file(other)).status_code == 302
    assert YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024).total == Decimal("12000.00")


@pytest.mark.parametrize("row, column", [(1_048_576, 16_384), (3_000, 16_384), (200_000, 702)])
def test_xlsx_declaring_a_far_away_cell_is_refused_before_parsing(canteen_a, row, column):
    """A 5 KB XLSX with a cell at XFD1048576 made openpyxl pad a million rows to 16,384 columns (hours of CPU),
    and python-calamine allocate the whole dense range (ZZ200000: 40 s, 4.3 GB): the sheet's extent is read
    from its XML first (home/spreadsheets.py) and the file refused with a French message (tests/security/)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.TEMPLATE_HEADERS)
    sheet.append(["15/01/2024", "Carottes", "Ferme", "Fruits et légumes", "Bio", 10])
    sheet.cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("achats.xlsx", buffer.getvalue())
    with pytest.raises(imports.ImportRefused, match="La feuille dépasse 60 000 lignes ou 200 colonnes"):
        imports.parse(file)


def test_xlsx_with_a_cell_within_bounds_is_read(canteen_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.TEMPLATE_HEADERS)
    sheet.append(["15/01/2024", "Carottes", "Ferme", "Fruits et légumes", "Bio", 10])
    sheet.cell(row=3_000, column=120, value="x")  # columns after the 50th are not read: an empty row
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.parse(SimpleUploadedFile("achats.xlsx", buffer.getvalue()))
    assert result.error_count == 0 and len(result.rows) == 1


def test_errors_in_english(client, manager_a, canteen_a):
    client.force_login(manager_a)
    file = csv_file(["32/01/2024;Riz;Épicerie;Céréales;Bio;10", GOOD_LINES[0]])
    response = client.post(f"/en/mes-cantines/{canteen_a.pk}/import/", {"file": file})
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 line contains an error: no purchase was saved." in html
    assert "Line 2: invalid date (expected DD/MM/YYYY); unknown family" in html
    # The French names of families and labels are accepted whatever the page's language (English ones too).
    assert "Line 3" not in html
    assert not Purchase.objects.exists()
    english = csv_file(["15/01/2024;Carrots;Farm;Fruit and vegetables;Organic farming;100"])
    assert client.post(f"/en/mes-cantines/{canteen_a.pk}/import/", {"file": english}).status_code == 302
    assert YearlyDiagnostic.objects.get(canteen=canteen_a, year=2024).bio == Decimal("100.00")
