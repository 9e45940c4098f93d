"""The former tracking pages, kept as permanent redirections to /tableaux/deploiement/."""

from django.urls import path

from . import views

app_name = "suivi"

urlpatterns = [
    path("suivi/", views.national, name="national"),
    path("suivi/regions/<str:code>/", views.region, name="region"),
]
