"""The platform's search, reached from the header's search bar."""

from django.urls import path

from . import views

app_name = "recherche"

urlpatterns = [
    path("recherche/", views.recherche, name="index"),
]
