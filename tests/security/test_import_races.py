"""Finding 6: two identical purchase imports sent at the same moment both succeeded (the year's total doubled),
and an import racing a teledeclaration changed a declared year. Imports and declarations now take the
canteen's row lock before their checks (canteens/imports.py lock_canteen). Real threads, real PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from canteens import declaration, imports
from canteens.models import PurchaseImport, Teledeclaration, YearlyDiagnostic
from tests.factories import CampaignFactory, CanteenFactory, UserFactory, YearlyDiagnosticFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINES = "date;description;fournisseur;famille;labels;montant HT\n" + "\n".join(
    f"{day:02d}/01/2024;Carottes {day};Ferme;Fruits et légumes;Bio;100" for day in range(1, 21)
)


@pytest.fixture(autouse=True)
def territories():
    """A transactional test empties every table afterwards, the territories loaded by a migration included:
    load them again when an earlier transactional test removed them."""
    import importlib

    from django.apps import apps

    from territories.models import Department

    if not Department.objects.exists():
        importlib.import_module("territories.migrations.0002_load_territories").load(apps, None)


def parsed():
    return imports.parse(SimpleUploadedFile("achats.csv", LINES.encode(), content_type="text/csv"))


def run_together(*functions):
    """Each function in its own thread (and database connection), released at the same instant."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_same_file_sent_twice_at_once_is_imported_once():
    user = UserFactory()
    canteen = CanteenFactory(managers=[user])
    first, second = parsed(), parsed()
    assert imports.refusal(canteen, first) is None and imports.refusal(canteen, second) is None  # both pass alone
    outcomes = run_together(
        lambda: imports.save(canteen, first, user, "a.csv"), lambda: imports.save(canteen, second, user, "b.csv")
    )
    assert sum(isinstance(outcome, PurchaseImport) for outcome in outcomes) == 1
    refused = [outcome for outcome in outcomes if isinstance(outcome, imports.ImportRefused)]
    assert len(refused) == 1 and "déjà importés" in str(refused[0])
    assert PurchaseImport.objects.count() == 1
    assert YearlyDiagnostic.objects.get(canteen=canteen, year=2024).total == Decimal("2000")


def test_an_import_racing_a_declaration_never_changes_the_declared_year():
    user = UserFactory()
    canteen = CanteenFactory(managers=[user])
    today = timezone.localdate()
    CampaignFactory(
        year=2024, declaration_start=today, declaration_end=today, correction_start=None, correction_end=None
    )
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024, total=Decimal("1000"), bio=Decimal("100"))
    result = parsed()
    outcomes = run_together(
        lambda: declaration.submit(canteen, diagnostic, user), lambda: imports.save(canteen, result, user, "a.csv")
    )
    assert isinstance(outcomes[0], Teledeclaration), outcomes
    declared = Teledeclaration.objects.get(canteen=canteen, year=2024)
    saved = YearlyDiagnostic.objects.get(canteen=canteen, year=2024)
    # whichever came first, what is declared is what the diagnostic holds
    assert declared.snapshot["inputs"]["purchases"]["total"] == f"{saved.total:.2f}"
    if isinstance(outcomes[1], imports.ImportRefused):
        assert "déjà télédéclarée" in str(outcomes[1]) and PurchaseImport.objects.count() == 0


def test_two_declarations_sent_at_once_make_one():
    """Already defended (kept under test): the canteen's lock makes the second submission see the first."""
    user = UserFactory()
    canteen = CanteenFactory(managers=[user])
    today = timezone.localdate()
    CampaignFactory(
        year=2024, declaration_start=today, declaration_end=today, correction_start=None, correction_end=None
    )
    diagnostic = YearlyDiagnosticFactory(canteen=canteen, year=2024)
    outcomes = run_together(
        lambda: declaration.submit(canteen, diagnostic, user), lambda: declaration.submit(canteen, diagnostic, user)
    )
    assert sum(isinstance(outcome, Teledeclaration) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, declaration.DeclarationRefused) for outcome in outcomes) == 1
    assert Teledeclaration.objects.filter(canteen=canteen, year=2024).count() == 1
