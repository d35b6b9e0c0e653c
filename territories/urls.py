from django.urls import path, register_converter

from . import report_views, views

app_name = "territories"

# The first path segments this app owns (mounted at "" by config/urls.py; docs/decisions/0011-url-prefixes.md):
# the public face of the canteens (registry, map, each canteen's page), the territories' pages, open data, widgets.
PREFIXES = ("cantines/", "territoires/", "donnees/", "widget/")


class TerritoryCode:
    regex = r"(?:\d{2,3}|2[ABab])"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)


register_converter(TerritoryCode, "territory")

urlpatterns = [
    path("cantines/", views.registry_view, name="registry"),
    path("cantines/carte/", views.map_view, name="map"),
    path("cantines/<int:pk>-<slug:slug>/", views.canteen_page, name="canteen"),
    path("territoires/cantines/<int:pk>/position/", views.canteen_position, name="canteen_position"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/schemas/<slug:dataset>.json", views.schema, name="schema"),
    path("donnees/fichiers/<slug:dataset>.<str:fmt>", views.national_file, name="national_file"),
    path("donnees/national/schema-<slug:name>.json", views.national_schema, name="national_schema"),
    path("donnees/national/registre-cantines.<str:fmt>", views.national_registry, name="national_registry"),
    path("donnees/national/campagne-td-<int:year>.<str:fmt>", views.national_campaign, name="national_campaign"),
    path("donnees/<slug:dataset>.<str:fmt>", views.export, name="export"),
    path("territoires/", views.territory_index, name="index"),
    path("territoires/bilan/<int:year>/", report_views.report_page, name="report"),
    path("territoires/bilan/<int:year>/bilan.<str:fmt>", report_views.report_file, name="report_file"),
    path("territoires/region/<territory:code>/", views.region_dashboard, name="region"),
    path("territoires/departement/<territory:code>/", views.department_dashboard, name="department"),
    path("territoires/epci/<str:code>/", views.epci_dashboard, name="epci"),
    path("territoires/suivi/", views.follow_up, name="follow_up"),
    path("territoires/accueil/", views.after_login, name="after_login"),
    # A bare INSEE code: a redirect when it names one territory, a choice when it names a region and a department.
    path("territoires/<territory:code>/", views.territory_by_code, name="by_code"),
    path("territoires/suivi/export.<str:fmt>", views.follow_up_export, name="follow_up_export"),
    path("territoires/suivi/publipostage/", views.mail_merge, name="mail_merge"),
    path("territoires/suivi/widgets/", views.widget_list, name="widget_list"),
    path("territoires/suivi/widgets/<uuid:pk>/", views.widget_edit, name="widget_edit"),
    path("territoires/suivi/widgets/<uuid:pk>/supprimer/", views.widget_delete, name="widget_delete"),
    path("widget/<uuid:pk>/", views.widget, name="widget"),
    path("widget/<uuid:pk>/logo", views.widget_logo, name="widget_logo"),
]
