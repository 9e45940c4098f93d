"""Sign-in, one's account, the network's directory, organisations and firms."""

from django.urls import path

from ..commun import convertisseurs  # noqa: F401  (<entier:…>)
from . import views

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("compte/", views.compte, name="compte"),
    path("compte/annuaire/", views.annuaire_consentement, name="compte-annuaire"),
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
