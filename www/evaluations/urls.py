"""Pages of the evaluation framework and of the territories' evaluations (namespace
« evaluations »)."""

from django.urls import path

from ..commun import convertisseurs  # noqa: F401  (<entier:…>)
from . import views, views_cadres

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("cadres/nouveau/", views_cadres.cadre_nouveau, name="cadre-nouveau"),
    path("cadres/<int:pk>/", views_cadres.cadre, name="cadre"),
    path("cadres/<int:pk>/modifier/", views_cadres.cadre_modifier, name="cadre-modifier"),
    path("cadres/<int:pk>/publier/", views_cadres.cadre_publier, name="cadre-publier"),
    path("cadres/<int:pk>/version/", views_cadres.cadre_version, name="cadre-version"),
    path("cadres/<int:pk>/<slug:genre>/", views_cadres.cadre_element, name="cadre-ajouter"),
    path(
        "cadres/<int:pk>/<slug:genre>/<int:element>/",
        views_cadres.cadre_element,
        name="cadre-element",
    ),
    path(
        "cadres/<int:pk>/<slug:genre>/<int:element>/supprimer/",
        views_cadres.cadre_supprimer,
        name="cadre-supprimer",
    ),
    path("consolidation/", views.consolider, name="consolidation"),
    path("indicateurs/", views.comparer_indicateurs, name="indicateurs"),
    path("territoires/<entier:phase>/<str:code>/", views.territoire, name="territoire"),
    path(
        "territoires/<entier:phase>/<str:code>/nouvelle/<slug:nature>/",
        views.nouvelle,
        name="nouvelle",
    ),
    path("<int:pk>/", views.evaluation, name="evaluation"),
    path("<int:pk>/reponses/", views.modifier, name="modifier"),
    path("<int:pk>/revue/", views.revue, name="revue"),
    path("<int:pk>/document.<slug:format>", views.telecharger, name="document"),
    path("<int:pk>/<slug:nom>/", views.mouvement, name="mouvement"),
]
