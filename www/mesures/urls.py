"""The panier de services (FAQ §5)."""

from django.urls import path

from . import views

app_name = "mesures"

urlpatterns = [
    path("mesures/", views.mesures, name="liste"),
    path("mesures/nouvelle/", views.mesure_nouvelle, name="nouvelle"),
    path("mesures/<int:pk>/", views.mesure, name="detail"),
    path("mesures/<int:pk>/modifier/", views.mesure_modifier, name="modifier"),
]
