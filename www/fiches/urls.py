"""The fiches-actions (FAQ §4.6, §4.7)."""

from django.urls import path

from . import creation, liste, modification, mouvements, page, suivi

app_name = "fiches"

urlpatterns = [
    path("fiches/", liste.fiches, name="liste"),
    path("fiches/simplification/", liste.simplification, name="simplification"),
    path("fiches/export.xlsx", liste.fiches_export, name="export"),
    path("fiches/exports/<uuid:pk>/", liste.fiches_export_prepare, name="export-prepare"),
    path(
        "fiches/exports/<uuid:pk>/fichier.xlsx", liste.fiches_export_fichier, name="export-fichier"
    ),
    path("fiches/export.csv", liste.fiches_export_csv, name="export-csv"),
    path("fiches/nouvelle/", creation.fiche_nouvelle, name="nouvelle"),
    path("fiches/nouvelle/<str:cle>/<slug:etape>/", creation.fiche_nouvelle_etape, name="etape"),
    path("fiches/<uuid:uuid>/", page.fiche, name="detail"),
    path("fiches/<uuid:uuid>/modifier/", modification.fiche_modifier, name="modifier"),
    path("fiches/<uuid:uuid>/mouvement/<slug:nom>/", mouvements.fiche_mouvement, name="mouvement"),
    path("fiches/<uuid:uuid>/commentaires/", mouvements.fiche_commenter, name="commenter"),
    path(
        "fiches/<uuid:uuid>/decision-ligne/", mouvements.fiche_decider_ligne, name="decider-ligne"
    ),
    path("fiches/<uuid:uuid>/suivi/", suivi.fiche_suivre, name="suivre"),
    path("fiches/<uuid:uuid>/indicateurs/<int:pk>/mesure/", suivi.fiche_mesurer, name="mesurer"),
    path("fiches/<uuid:uuid>/pieces-jointes/", suivi.fiche_piece_ajouter, name="piece-ajouter"),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/<int:pk>/",
        suivi.fiche_piece_jointe,
        name="piece-jointe",
    ),
]
