from django.urls import path
from django.views.generic import TemplateView

from . import views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("carte/", views.carte, name="carte"),
    path("territoires/", views.territoires, name="territoires"),
    path("territoires/<int:phase>/<str:code>/", views.territoire, name="territoire"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("api/", TemplateView.as_view(template_name="www/api.html"), name="api-doc"),
]
