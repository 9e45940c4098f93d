"""Pages of a line's money: its commitments and payments, the funder's entries, the import of
a funder's payments file (www/financements/views.py)."""

from django.urls import path

from . import views

app_name = "financements"

urlpatterns = [
    path("lignes/<int:pk>/", views.ligne, name="ligne"),
    path("lignes/<int:pk>/engager/", views.engager, name="engager"),
    path("engagements/<int:pk>/payer/", views.payer, name="payer"),
    path("engagements/<int:pk>/ajuster/", views.ajuster, name="ajuster"),
    path("import/", views.importer, name="import"),
    path("import/modele.xlsx", views.modele, name="modele"),
]
