"""The network's information (FAQ §7.4): news and their Atom feeds, the library of
resources, the events and their calendar files."""

from django.urls import path

from . import evenements, flux, ressources, views

app_name = "actualites"

urlpatterns = [
    path("actualites/", views.liste, name="liste"),
    path("actualites/nouvelle/", views.nouvelle, name="nouvelle"),
    path("actualites/<int:pk>/", views.detail, name="detail"),
    path("actualites/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("actualites/flux.atom", flux.Actualites(), name="flux"),
    path("actualites/nationales.atom", flux.ActualitesNationales(), name="flux-national"),
    path("actualites/regions/<str:code>.atom", flux.ActualitesRegion(), name="flux-region"),
    path("ressources/", ressources.liste, name="ressources"),
    path("ressources/nouvelle/", ressources.nouvelle, name="ressource-nouvelle"),
    path("ressources/<int:pk>/", ressources.detail, name="ressource"),
    path("ressources/<int:pk>/fichier/", ressources.fichier, name="ressource-fichier"),
    path("ressources/<int:pk>/modifier/", ressources.modifier, name="ressource-modifier"),
    path("evenements/", evenements.liste, name="evenements"),
    path("evenements/flux.atom", flux.Evenements(), name="flux-evenements"),
    path("evenements/nouveau/", evenements.nouveau, name="evenement-nouveau"),
    path("evenements/<int:pk>/", evenements.detail, name="evenement"),
    path("evenements/<int:pk>/evenement.ics", evenements.ics, name="evenement-ics"),
    path("evenements/<int:pk>/modifier/", evenements.modifier, name="evenement-modifier"),
]
