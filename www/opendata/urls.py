"""The open-data package: its page, its files at stable addresses, and the national register
of aid to firms (national delegation only)."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("donnees-ouvertes/", views.index, name="index"),
    path("donnees-ouvertes/aides-aux-entreprises/", views.registre, name="registre"),
    path(
        "donnees-ouvertes/aides-aux-entreprises.<str:format>",
        views.registre_export,
        name="registre-export",
    ),
    path("donnees-ouvertes/<str:nom>", views.fichier, name="fichier"),
]
