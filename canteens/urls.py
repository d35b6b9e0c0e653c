"""The canteen manager's pages, mounted at /mes-cantines/ (and /en/mes-cantines/) by config/urls.py: the app owns
that prefix (docs/decisions/0011-url-prefixes.md). A canteen's public page, /cantines/<id>-<slug>/, is territories'."""

from django.urls import path

from . import import_views, manager_views, views

app_name = "canteens"

urlpatterns = [
    path("", views.canteen_list, name="list"),
    path("nouvelle/", views.canteen_create, name="create"),
    path("importer/", import_views.standard_import, name="standard_import"),
    path(
        "importer/<uuid:token>/confirmer/",
        import_views.standard_import_confirm,
        name="standard_import_confirm",
    ),
    path(
        "importer/<uuid:token>/erreurs.<str:fmt>",
        import_views.standard_import_report,
        name="standard_import_report",
    ),
    path("importer/schemas/<str:name>.json", import_views.import_schema, name="import_schema"),
    path("rejoindre/", views.join_request, name="join"),
    path("modele-achats.<str:extension>", views.import_template, name="import_template"),
    path("<int:pk>/", views.canteen_detail, name="detail"),
    path("<int:pk>/modifier/", views.canteen_edit, name="edit"),
    path("<int:pk>/gestionnaires/", manager_views.managers, name="managers"),
    path(
        "<int:pk>/gestionnaires/<int:user_pk>/retirer/",
        manager_views.manager_remove,
        name="manager_remove",
    ),
    path("<int:pk>/cuisine-centrale/", views.central_kitchen_agreement, name="central_kitchen"),
    path("<int:pk>/import/", views.purchase_import, name="import"),
    path("<int:pk>/diagnostics/<int:year>/", views.diagnostic_detail, name="diagnostic"),
    path("<int:pk>/diagnostics/<int:year>/modifier/", views.diagnostic_edit, name="diagnostic_edit"),
    path(
        "<int:pk>/diagnostics/<int:year>/reprendre/",
        views.diagnostic_prefill,
        name="diagnostic_prefill",
    ),
    path(
        "<int:pk>/diagnostics/<int:year>/publication/",
        views.diagnostic_publish,
        name="diagnostic_publish",
    ),
    path("<int:pk>/diagnostics/<int:year>/affiche.pdf", views.poster, name="poster"),
    path("<int:pk>/diagnostics/<int:year>/teledeclaration/", views.declaration, name="declaration"),
    path(
        "<int:pk>/diagnostics/<int:year>/teledeclaration/annuler/",
        views.declaration_cancel,
        name="declaration_cancel",
    ),
    path(
        "<int:pk>/diagnostics/<int:year>/teledeclaration/justificatif-v<int:version>.pdf",
        views.receipt,
        name="receipt",
    ),
    path(
        "<int:pk>/teledeclarations.<str:extension>",
        views.declaration_export,
        name="declaration_export",
    ),
]
