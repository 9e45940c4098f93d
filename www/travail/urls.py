from django.urls import path

from . import views

app_name = "travail"

urlpatterns = [
    path("", views.file, name="file"),
    path("notifications/", views.preferences, name="preferences"),
]
