"""Governance: bodies, meetings, decisions, perimeter requests, CNI versions, calendars."""

from django.urls import path

from . import agenda, demandes, reunions, seances, versions

app_name = "gouvernance"

urlpatterns = [
    path("gouvernance/", reunions.gouvernance, name="index"),
    path("gouvernance/comites/<int:pk>/", reunions.comite, name="comite"),
    path("gouvernance/reunions/<int:pk>/", reunions.reunion, name="reunion"),
    path("gouvernance/reunions/<int:pk>.ics", reunions.reunion_ics, name="reunion-ics"),
    path("gouvernance/reunions/<int:pk>/points/", reunions.reunion_point, name="reunion-point"),
    path(
        "gouvernance/reunions/<int:pk>/participants/",
        reunions.reunion_participant,
        name="reunion-participant",
    ),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/",
        reunions.reunion_compte_rendu,
        name="reunion-compte-rendu",
    ),
    path("gouvernance/reunions/<int:pk>/pieces/", reunions.reunion_piece, name="reunion-piece"),
    path("gouvernance/reunions/<int:pk>/report/", reunions.reunion_report, name="reunion-report"),
    path(
        "gouvernance/reunions/<int:pk>/annulation/",
        reunions.reunion_annulation,
        name="reunion-annulation",
    ),
    path("gouvernance/pieces/<int:pk>/", reunions.piece, name="piece"),
    path("gouvernance/pieces/<int:pk>/supprimer/", seances.piece_supprimer, name="piece-supprimer"),
    path(
        "gouvernance/participants/<int:pk>/retirer/",
        seances.participant_retirer,
        name="participant-retirer",
    ),
    path("gouvernance/points/<int:pk>/decision/", reunions.decision, name="decision"),
    path("gouvernance/agenda/", agenda.mon_agenda, name="agenda"),
    path("gouvernance/agenda/<str:jeton>.ics", agenda.agenda_ics, name="agenda-ics"),
    path("gouvernance/demandes/", demandes.demandes_liste, name="demandes"),
    path("gouvernance/demandes/nouvelle/", demandes.demande_nouvelle, name="demande-nouvelle"),
    path("gouvernance/demandes/<int:pk>/", demandes.demande, name="demande"),
    path(
        "gouvernance/demandes/<int:pk>/inscrire/",
        demandes.demande_inscrire,
        name="demande-inscrire",
    ),
    path("gouvernance/demandes/<int:pk>/accord/", demandes.demande_accord, name="demande-accord"),
    path("gouvernance/versions/", versions.versions_liste, name="versions"),
    path("gouvernance/versions/<int:pk>/", versions.version, name="version"),
]
