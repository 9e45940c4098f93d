from django.urls import path

from . import views

app_name = "tableaux"

urlpatterns = [
    path("", views.index, name="national"),
    path("deploiement/", views.suivi_deploiement, name="deploiement"),
    path("regions/<str:code>/", views.region, name="region"),
    path("territoires/<entier:phase>/<str:code>/", views.territoire, name="territoire"),
]
