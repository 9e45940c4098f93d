"""The fiches-actions (FAQ §4.6, §4.7)."""

from django.urls import path

from . import views

app_name = "fiches"

urlpatterns = [
    path("fiches/", views.fiches, name="liste"),
    path("fiches/simplification/", views.simplification, name="simplification"),
    path("fiches/export.xlsx", views.fiches_export, name="export"),
    path("fiches/nouvelle/", views.fiche_nouvelle, name="nouvelle"),
    path("fiches/nouvelle/<str:cle>/<slug:etape>/", views.fiche_nouvelle_etape, name="etape"),
    path("fiches/<uuid:uuid>/", views.fiche, name="detail"),
    path("fiches/<uuid:uuid>/modifier/", views.fiche_modifier, name="modifier"),
    path("fiches/<uuid:uuid>/mouvement/<slug:nom>/", views.fiche_mouvement, name="mouvement"),
    path("fiches/<uuid:uuid>/commentaires/", views.fiche_commenter, name="commenter"),
    path("fiches/<uuid:uuid>/decision-ligne/", views.fiche_decider_ligne, name="decider-ligne"),
    path("fiches/<uuid:uuid>/suivi/", views.fiche_suivre, name="suivre"),
    path("fiches/<uuid:uuid>/indicateurs/<int:pk>/mesure/", views.fiche_mesurer, name="mesurer"),
    path("fiches/<uuid:uuid>/pieces-jointes/", views.fiche_piece_ajouter, name="piece-ajouter"),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/<int:pk>/",
        views.fiche_piece_jointe,
        name="piece-jointe",
    ),
]
