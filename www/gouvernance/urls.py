"""Governance: bodies, meetings, decisions, perimeter requests, CNI versions, calendars."""

from django.urls import path

from . import views

app_name = "gouvernance"

urlpatterns = [
    path("gouvernance/", views.gouvernance, name="index"),
    path("gouvernance/comites/<int:pk>/", views.comite, name="comite"),
    path("gouvernance/reunions/<int:pk>/", views.reunion, name="reunion"),
    path("gouvernance/reunions/<int:pk>.ics", views.reunion_ics, name="reunion-ics"),
    path("gouvernance/reunions/<int:pk>/points/", views.reunion_point, name="reunion-point"),
    path(
        "gouvernance/reunions/<int:pk>/participants/",
        views.reunion_participant,
        name="reunion-participant",
    ),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/",
        views.reunion_compte_rendu,
        name="reunion-compte-rendu",
    ),
    path("gouvernance/reunions/<int:pk>/pieces/", views.reunion_piece, name="reunion-piece"),
    path("gouvernance/pieces/<int:pk>/", views.piece, name="piece"),
    path("gouvernance/points/<int:pk>/decision/", views.decision, name="decision"),
    path("gouvernance/agenda/", views.mon_agenda, name="agenda"),
    path("gouvernance/agenda/<str:jeton>.ics", views.agenda_ics, name="agenda-ics"),
    path("gouvernance/demandes/", views.demandes_liste, name="demandes"),
    path("gouvernance/demandes/nouvelle/", views.demande_nouvelle, name="demande-nouvelle"),
    path("gouvernance/demandes/<int:pk>/", views.demande, name="demande"),
    path(
        "gouvernance/demandes/<int:pk>/inscrire/", views.demande_inscrire, name="demande-inscrire"
    ),
    path("gouvernance/versions/", views.versions_liste, name="versions"),
    path("gouvernance/versions/<int:pk>/", views.version, name="version"),
]
