from django.urls import path

from . import import_views, manager_views, views

app_name = "canteens"

urlpatterns = [
    path("mes-cantines/", views.canteen_list, name="list"),
    path("mes-cantines/nouvelle/", views.canteen_create, name="create"),
    path("mes-cantines/importer/", import_views.standard_import, name="standard_import"),
    path(
        "mes-cantines/importer/<uuid:token>/confirmer/",
        import_views.standard_import_confirm,
        name="standard_import_confirm",
    ),
    path(
        "mes-cantines/importer/<uuid:token>/erreurs.<str:fmt>",
        import_views.standard_import_report,
        name="standard_import_report",
    ),
    path("mes-cantines/importer/schemas/<str:name>.json", import_views.import_schema, name="import_schema"),
    path("mes-cantines/rejoindre/", views.join_request, name="join"),
    path("mes-cantines/modele-achats.<str:extension>", views.import_template, name="import_template"),
    path("mes-cantines/<int:pk>/", views.canteen_detail, name="detail"),
    path("mes-cantines/<int:pk>/modifier/", views.canteen_edit, name="edit"),
    path("mes-cantines/<int:pk>/gestionnaires/", manager_views.managers, name="managers"),
    path(
        "mes-cantines/<int:pk>/gestionnaires/<int:user_pk>/retirer/",
        manager_views.manager_remove,
        name="manager_remove",
    ),
    path("mes-cantines/<int:pk>/cuisine-centrale/", views.central_kitchen_agreement, name="central_kitchen"),
    path("mes-cantines/<int:pk>/import/", views.purchase_import, name="import"),
    path("mes-cantines/<int:pk>/diagnostics/<int:year>/", views.diagnostic_detail, name="diagnostic"),
    path("mes-cantines/<int:pk>/diagnostics/<int:year>/modifier/", views.diagnostic_edit, name="diagnostic_edit"),
    path(
        "mes-cantines/<int:pk>/diagnostics/<int:year>/reprendre/",
        views.diagnostic_prefill,
        name="diagnostic_prefill",
    ),
    path(
        "mes-cantines/<int:pk>/diagnostics/<int:year>/publication/",
        views.diagnostic_publish,
        name="diagnostic_publish",
    ),
    path("mes-cantines/<int:pk>/diagnostics/<int:year>/affiche.pdf", views.poster, name="poster"),
    path("mes-cantines/<int:pk>/diagnostics/<int:year>/teledeclaration/", views.declaration, name="declaration"),
    path(
        "mes-cantines/<int:pk>/diagnostics/<int:year>/teledeclaration/annuler/",
        views.declaration_cancel,
        name="declaration_cancel",
    ),
    path(
        "mes-cantines/<int:pk>/diagnostics/<int:year>/teledeclaration/justificatif-v<int:version>.pdf",
        views.receipt,
        name="receipt",
    ),
    path(
        "mes-cantines/<int:pk>/teledeclarations.<str:extension>",
        views.declaration_export,
        name="declaration_export",
    ),
    path("cantines/<int:pk>-<slug:slug>/", views.public_canteen, name="public"),
    # The anonymous diagnostic's poster (its answers are in the session): /diagnostic/resultats/affiche.pdf
    path("diagnostic/resultats/affiche.pdf", views.anonymous_poster, name="anonymous_poster"),
]
