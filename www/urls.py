from django.urls import path
from django.views.generic import TemplateView

from . import views, views_comptes, views_fiches, views_mesures

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("carte/", views.carte, name="carte"),
    path("territoires/", views.territoires, name="territoires"),
    path("territoires/<int:phase>/<str:code>/", views.territoire, name="territoire"),
    path(
        "territoires/<int:phase>/<str:code>/secrets/",
        views_comptes.journal_secrets,
        name="journal-secrets",
    ),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("api/", TemplateView.as_view(template_name="www/api.html"), name="api-doc"),
    path("connexion/", views_comptes.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views_comptes.deconnexion, name="deconnexion"),
    path("compte/", views_comptes.compte, name="compte"),
    path("compte/annuaire/", views_comptes.annuaire_consentement, name="compte-annuaire"),
    path("compte/export/", views_comptes.compte_export, name="compte-export"),
    path("compte/effacer/", views_comptes.compte_effacer, name="compte-effacer"),
    path("annuaire/", views_comptes.annuaire, name="annuaire"),
    path("organisations/<int:pk>/", views_comptes.organisation, name="organisation"),
    path(
        "organisations/<int:pk>/modifier/",
        views_comptes.organisation_modifier,
        name="organisation-modifier",
    ),
    path("mesures/", views_mesures.mesures, name="mesures"),
    path("mesures/nouvelle/", views_mesures.mesure_nouvelle, name="mesure-nouvelle"),
    path("mesures/<int:pk>/", views_mesures.mesure, name="mesure"),
    path("mesures/<int:pk>/modifier/", views_mesures.mesure_modifier, name="mesure-modifier"),
    path("fiches/", views_fiches.fiches, name="fiches"),
    path("fiches/simplification/", views_fiches.simplification, name="simplification"),
    path("fiches/export.xlsx", views_fiches.fiches_export, name="fiches-export"),
    path("fiches/nouvelle/", views_fiches.fiche_nouvelle, name="fiche-nouvelle"),
    path(
        "fiches/nouvelle/<str:cle>/<slug:etape>/",
        views_fiches.fiche_nouvelle_etape,
        name="fiche-nouvelle-etape",
    ),
    path("fiches/<uuid:uuid>/", views_fiches.fiche, name="fiche"),
    path("fiches/<uuid:uuid>/modifier/", views_fiches.fiche_modifier, name="fiche-modifier"),
    path(
        "fiches/<uuid:uuid>/mouvement/<slug:nom>/",
        views_fiches.fiche_mouvement,
        name="fiche-mouvement",
    ),
    path("fiches/<uuid:uuid>/commentaires/", views_fiches.fiche_commenter, name="fiche-commenter"),
    path(
        "fiches/<uuid:uuid>/decision-ligne/",
        views_fiches.fiche_decider_ligne,
        name="fiche-decider-ligne",
    ),
    path("fiches/<uuid:uuid>/suivi/", views_fiches.fiche_suivre, name="fiche-suivre"),
    path(
        "fiches/<uuid:uuid>/indicateurs/<int:pk>/mesure/",
        views_fiches.fiche_mesurer,
        name="fiche-mesurer",
    ),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/",
        views_fiches.fiche_piece_ajouter,
        name="fiche-piece-ajouter",
    ),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/<int:pk>/",
        views_fiches.fiche_piece_jointe,
        name="fiche-piece-jointe",
    ),
]
