"""The territories' pages, by feature: public registry and map (`registry`), a canteen's public page
(`canteen_page`), open data (`open_data`), dashboards (`dashboards`), officers' follow-up (`follow_up`), widgets
(`widgets`). `territories/urls.py` names them from here."""

from .canteen_page import canteen_page
from .dashboards import department_dashboard, epci_dashboard, region_dashboard, territory_by_code, territory_index
from .follow_up import OFFICER_SESSION_KEY, after_login, follow_up, follow_up_export, mail_merge
from .open_data import (
    NATIONAL_FORMATS,
    export,
    national_campaign,
    national_file,
    national_registry,
    national_schema,
    open_data,
    schema,
)
from .registry import canteen_position, map_context, map_view, registry_view
from .shared import pagination_links
from .widgets import WIDGET_PAGE_SIZE, widget, widget_delete, widget_edit, widget_list, widget_logo

__all__ = [
    "pagination_links",
    "registry_view",
    "map_context",
    "map_view",
    "canteen_page",
    "canteen_position",
    "NATIONAL_FORMATS",
    "open_data",
    "national_registry",
    "national_campaign",
    "national_schema",
    "export",
    "schema",
    "national_file",
    "territory_index",
    "territory_by_code",
    "region_dashboard",
    "department_dashboard",
    "epci_dashboard",
    "OFFICER_SESSION_KEY",
    "after_login",
    "follow_up",
    "follow_up_export",
    "mail_merge",
    "WIDGET_PAGE_SIZE",
    "widget_list",
    "widget_edit",
    "widget_delete",
    "widget",
    "widget_logo",
]
