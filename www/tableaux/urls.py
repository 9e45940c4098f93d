from django.urls import path

from . import annonces, views

app_name = "tableaux"

urlpatterns = [
    path("", views.index, name="national"),
    path("deploiement/", views.suivi_deploiement, name="deploiement"),
    path("regions/<str:code>/", views.region, name="region"),
    path("engagements-annonces/", annonces.liste, name="annonces"),
    path("engagements-annonces/nouveau/", annonces.nouvelle, name="annonce-nouvelle"),
    path("engagements-annonces/<int:pk>/", annonces.modifier, name="annonce"),
    path("territoires/<entier:phase>/<str:code>/", views.territoire, name="territoire"),
]
