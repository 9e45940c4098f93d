"""The network's news and their Atom feeds (FAQ §7.4)."""

from django.urls import path

from . import flux, views

app_name = "actualites"

urlpatterns = [
    path("actualites/", views.liste, name="liste"),
    path("actualites/nouvelle/", views.nouvelle, name="nouvelle"),
    path("actualites/<int:pk>/", views.detail, name="detail"),
    path("actualites/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("actualites/flux.atom", flux.Actualites(), name="flux"),
    path("actualites/nationales.atom", flux.ActualitesNationales(), name="flux-national"),
    path("actualites/regions/<str:code>.atom", flux.ActualitesRegion(), name="flux-region"),
]
