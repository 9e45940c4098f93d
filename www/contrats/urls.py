"""Protocols, contracts and avenants (FAQ §4)."""

from django.urls import path

from ..commun import convertisseurs  # noqa: F401  (<entier:…>)
from . import retraits, views

app_name = "contrats"

urlpatterns = [
    path("contrats/", views.contrats, name="liste"),
    path("territoires/<entier:phase>/<str:code>/contrat/", views.territoire, name="territoire"),
    path(
        "territoires/<entier:phase>/<str:code>/contrat/nouveau/<slug:genre>/",
        views.nouveau,
        name="nouveau",
    ),
    path("contrats/<slug:genre>/<int:pk>/", views.document, name="document"),
    path("contrats/<slug:genre>/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("contrats/<slug:genre>/<int:pk>/annexer/", views.annexer, name="annexer"),
    path(
        "contrats/<slug:genre>/<int:pk>/signataires/", views.signataire_ajouter, name="signataire"
    ),
    path("contrats/<slug:genre>/<int:pk>/valider/", views.valider, name="valider"),
    path(
        "contrats/<slug:genre>/<int:pk>/fiches/<int:fiche>/retirer/",
        retraits.fiche_retirer,
        name="fiche-retirer",
    ),
    path(
        "contrats/<slug:genre>/<int:pk>/signataires/<int:signataire>/retirer/",
        retraits.signataire_retirer,
        name="signataire-retirer",
    ),
    path(
        "contrats/<slug:genre>/<int:pk>/document.<slug:format>",
        views.telecharger,
        name="telecharger",
    ),
    path("contrats/contrat/<int:pk>/avenant/", views.avenant_nouveau, name="avenant-nouveau"),
    path("contrats/signature/<int:pk>/enregistrer/", views.signer, name="signer"),
]
