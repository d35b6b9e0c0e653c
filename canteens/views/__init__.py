"""The canteen manager's pages, by feature: canteens (`canteen_pages`), yearly diagnostics and their poster
(`diagnostics`), purchase files (`purchase_files`), teledeclarations (`declarations`). The URLs (`canteens/urls.py`)
name the views from this package."""

from .canteen_pages import (
    canteen_create,
    canteen_detail,
    canteen_edit,
    canteen_list,
    central_kitchen_agreement,
    join_request,
)
from .declarations import declaration, declaration_cancel, declaration_export, receipt
from .diagnostics import (
    diagnostic_detail,
    diagnostic_edit,
    diagnostic_prefill,
    diagnostic_publish,
    poster,
)
from .purchase_files import import_template, purchase_import

__all__ = [
    "canteen_list",
    "canteen_create",
    "canteen_detail",
    "central_kitchen_agreement",
    "canteen_edit",
    "join_request",
    "diagnostic_detail",
    "diagnostic_edit",
    "diagnostic_prefill",
    "diagnostic_publish",
    "poster",
    "purchase_import",
    "import_template",
    "declaration",
    "declaration_cancel",
    "declaration_export",
    "receipt",
]
