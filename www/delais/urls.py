from django.urls import path

from . import views

app_name = "delais"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("cibles/nouvelle/", views.cible_nouvelle, name="cible-nouvelle"),
    path("cibles/<int:pk>/", views.cible_modifier, name="cible-modifier"),
]
