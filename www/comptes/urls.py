"""Sign-in, one's account, the network's directory, organisations and firms."""

from django.urls import path

from ..commun import convertisseurs  # noqa: F401  (<entier:…>)
from . import mot_de_passe, views

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("mot-de-passe/oublie/", mot_de_passe.Oublie.as_view(), name="mot-de-passe-oublie"),
    path("mot-de-passe/envoye/", mot_de_passe.Envoye.as_view(), name="mot-de-passe-envoye"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        mot_de_passe.Nouveau.as_view(),
        name="mot-de-passe-nouveau",
    ),
    path("mot-de-passe/change/", mot_de_passe.Change.as_view(), name="mot-de-passe-change"),
    path("compte/", views.compte, name="compte"),
    path("compte/annuaire/", views.annuaire_consentement, name="compte-annuaire"),
    path("compte/jetons/<int:pk>/revoquer/", views.jeton_revoquer, name="jeton-revoquer"),
    path("compte/export/", views.compte_export, name="compte-export"),
    path("compte/effacer/", views.compte_effacer, name="compte-effacer"),
    path("annuaire/", views.annuaire, name="annuaire"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path(
        "organisations/<int:pk>/modifier/",
        views.organisation_modifier,
        name="organisation-modifier",
    ),
    # Who read the firms' secrets of a territory, for its team.
    path(
        "territoires/<entier:phase>/<str:code>/secrets/",
        views.journal_secrets,
        name="journal-secrets",
    ),
]
