"""The canteens app's models, one module per subject; every name is importable from `canteens.models`."""

from .canteen import (
    DECLARATION_ANSWER_FIELDS,
    EXTRA_PURCHASE_FIELDS,
    LOCATION_FIELDS,
    MIN_DAILY_MEALS,
    MIN_YEARLY_MEALS,
    POSTER_NOTE_MAX_LENGTH,
    SPLIT_MEAT_FISH_FIELDS,
    Canteen,
    CanteenQuerySet,
    YearlyDiagnostic,
    amount_field,
    quantity_field,
)
from .declarations import (
    Campaign,
    CampaignReminder,
    ManagerInvitation,
    Purchase,
    PurchaseImport,
    Teledeclaration,
    TeledeclarationQuerySet,
)

__all__ = [
    "DECLARATION_ANSWER_FIELDS",
    "EXTRA_PURCHASE_FIELDS",
    "LOCATION_FIELDS",
    "MIN_DAILY_MEALS",
    "MIN_YEARLY_MEALS",
    "POSTER_NOTE_MAX_LENGTH",
    "SPLIT_MEAT_FISH_FIELDS",
    "Campaign",
    "CampaignReminder",
    "Canteen",
    "CanteenQuerySet",
    "ManagerInvitation",
    "Purchase",
    "PurchaseImport",
    "Teledeclaration",
    "TeledeclarationQuerySet",
    "YearlyDiagnostic",
    "amount_field",
    "quantity_field",
]
