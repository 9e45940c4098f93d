"""The pages, one package per domain, each with its namespace (docs/adr/0011)."""

from django.urls import include, path

urlpatterns = [
    path("", include("www.carte.urls")),
    path("", include("www.comptes.urls")),
    path("", include("www.mesures.urls")),
    path("", include("www.fiches.urls")),
    path("", include("www.gouvernance.urls")),
    path("", include("www.contrats.urls")),
    path("", include("www.suivi.urls")),
    path("", include("www.programme.urls")),
    path("", include("www.actualites.urls")),
    path("", include("www.opendata.urls")),
    path("", include("www.recherche.urls")),
    path("financements/", include("www.financements.urls")),
    path("travail/", include("www.travail.urls")),
    path("instantanes/", include("www.instantanes.urls")),
    path("delais/", include("www.delais.urls")),
    path("evaluations/", include("www.evaluations.urls")),
    path("tableaux/", include("www.tableaux.urls")),
]
