from django.urls import path
from django.views.generic import TemplateView

from . import views, views_comptes

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
]
