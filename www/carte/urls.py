"""The map, the territories and the régions, the home page and the API's documentation."""

from django.urls import path
from django.views.generic import TemplateView

from ..commun import convertisseurs  # noqa: F401  (<entier:…>)
from . import views

app_name = "carte"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("carte/", views.carte, name="carte"),
    path("territoires/", views.territoires, name="territoires"),
    path("territoires/<entier:phase>/<str:code>/", views.territoire, name="territoire"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("api/", TemplateView.as_view(template_name="carte/api.html"), name="api"),
]
