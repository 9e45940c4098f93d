from django.urls import path

from . import views

app_name = "instantanes"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("figer/", views.figer, name="figer"),
    path("comparer/", views.comparer, name="comparer"),
    path("<int:pk>/", views.detail, name="detail"),
]
