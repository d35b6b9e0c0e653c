"""Purchases (`achats_siret`, `achats_id` and their `_old` variants) → Purchase rows and the yearly figures they
fill."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from egalim.rules import FIRST_YEAR, LAST_YEAR

from .. import imports as purchase_imports
from ..models import Purchase, PurchaseImport, YearlyDiagnostic
from ..permissions import SUPPLY
from . import codes
from .core import CENT, ConcurrentChange, Error, _split, find_canteens


def purchase_of(record, old: bool) -> Purchase:
    values = record.values
    labels, origin, local, short_circuit = [], "", bool(values.get("est_local")), bool(values.get("est_circuit_court"))
    characteristics = _split(values.get("caracteristiques" if old else "categories_egalim"))
    for code in characteristics:
        if code in codes.LABELS:
            if codes.LABELS[code] not in labels:
                labels.append(codes.LABELS[code])
        elif code in codes.ORIGINS:
            origin = code
        elif code == codes.LOCAL:
            local = True
        elif code == codes.SHORT_CIRCUIT:
            short_circuit = True
    if not old and values.get("origine"):
        origin = values["origine"].strip()
    amount = values["prix_ht"].quantize(CENT, rounding=ROUND_HALF_UP)
    km = values.get("definition_local_km")
    return Purchase(
        date=values["date"],
        description=str(values.get("description") or "").strip()[:255],
        supplier=str(values.get("fournisseur") or "").strip()[:255],
        family=codes.FAMILIES[values["famille_produits"].strip()],
        labels=labels,
        amount=amount,
        origin=origin,
        short_circuit=short_circuit,
        local=local,
        local_definition=str(values.get("definition_local") or "").strip(),
        local_km=km.quantize(CENT) if km is not None else None,
    )


def plan_purchases(records, report, user, digest):
    fmt = report.format
    key = "siret" if "siret" in fmt else "cantine_id"
    old = fmt.endswith("_old")
    canteens = find_canteens(records, key, report, user, SUPPLY)
    by_canteen = defaultdict(list)
    for record in records:
        canteen = canteens.get(record.row)
        if canteen is None:
            continue
        purchase = purchase_of(record, old)
        if not FIRST_YEAR <= purchase.date.year <= LAST_YEAR:
            report.error(
                _("Année hors de %(first)s–%(last)s : ces achats ne peuvent remplir aucun bilan.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                record,
                "date",
            )
            continue
        if purchase.amount < 0:
            report.error(_("Le montant ne peut pas être négatif."), record, "prix_ht")
            continue
        by_canteen[canteen].append((record, purchase))
    if digest and PurchaseImport.objects.filter(digest=digest, canteen__in=list(by_canteen)).exists():
        report.errors.insert(0, Error(_("Ce fichier a déjà été utilisé pour un import")))
    from ..declaration import current  # declared years cannot change

    for canteen, items in by_canteen.items():
        years = sorted({purchase.date.year for _record, purchase in items})
        declared = [year for year in years if current(canteen, year)]
        if declared:
            report.error(
                _("La cantine « %(name)s » a déjà télédéclaré %(years)s : annulez la déclaration avant d'importer.")
                % {"name": canteen.name, "years": ", ".join(map(str, declared))},
                items[0][0],
                key,
            )
        before = {
            d.year: d.total for d in YearlyDiagnostic.objects.filter(canteen=canteen, year__in=years).only("total")
        }
        for year in years:
            added = [p.amount for _r, p in items if p.date.year == year]
            report.preview.append(
                {
                    "canteen_id": canteen.pk,
                    "canteen": canteen.name,
                    "siret": canteen.siret,
                    "year": year,
                    "purchases": len(added),
                    "amount": str(sum(added, Decimal(0))),
                    "total_before": str(before.get(year) or Decimal(0)),
                    "total_after": str((before.get(year) or Decimal(0)) + sum(added, Decimal(0))),
                }
            )
    count = sum(len(items) for items in by_canteen.values())
    report.created = {"purchases": count}
    report.updated = {"diagnostics": len(report.preview)}

    def save():
        # Under the canteens' row locks (the lock teledeclarations take), the checks above hold again: a file
        # sent twice at the same moment, or a declaration made meanwhile, stops the save (issue 15).
        for canteen in sorted(by_canteen, key=lambda canteen: canteen.pk):
            purchase_imports.lock_canteen(canteen)
        if digest and PurchaseImport.objects.filter(digest=digest, canteen__in=list(by_canteen)).exists():
            raise ConcurrentChange(_("Ce fichier a déjà été utilisé pour un import"))
        for canteen, items in by_canteen.items():
            if any(current(canteen, year) for year in {purchase.date.year for _record, purchase in items}):
                raise ConcurrentChange(
                    _("La cantine « %(name)s » a déjà télédéclaré : annulez la déclaration avant d'importer.")
                    % {"name": canteen.name}
                )
        for canteen, items in by_canteen.items():
            purchases = [purchase for _record, purchase in items]
            batch = PurchaseImport.objects.create(
                canteen=canteen,
                filename=report.filename[:255],
                line_count=len(purchases),
                total=sum((p.amount for p in purchases), Decimal(0)),
                years=sorted({p.date.year for p in purchases}),
                imported_by=user,
                digest=digest,
                file_format=fmt,
            )
            for purchase in purchases:
                purchase.canteen, purchase.batch = canteen, batch
            Purchase.objects.bulk_create(purchases, batch_size=2000)
            for year in batch.years:
                diagnostic, _created = YearlyDiagnostic.objects.get_or_create(canteen=canteen, year=year)
                diagnostic.mode = YearlyDiagnostic.Mode.DETAILED
                diagnostic.set_purchases_from_detail(purchase_imports.aggregate(canteen, year))
                diagnostic.updated_by = user
                diagnostic.save()

    return save
