from django.urls import include, path, register_converter
from django.urls.converters import IntConverter
from django.views.generic import TemplateView

from referentiel import saisie

from . import (
    views,
    views_comptes,
    views_contrats,
    views_fiches,
    views_gouvernance,
    views_mesures,
)


class EntierConverter(IntConverter):
    """An integer the database can hold: a larger one names no page (404). Identifiers need
    it only where they are compared as foreign keys (`phase_id`): Django already bounds
    primary-key lookups."""

    def to_python(self, value):
        n = saisie.entier(value)
        if n is None:
            raise ValueError(value)
        return n


register_converter(EntierConverter, "entier")

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("carte/", views.carte, name="carte"),
    path("territoires/", views.territoires, name="territoires"),
    path("territoires/<entier:phase>/<str:code>/", views.territoire, name="territoire"),
    path(
        "territoires/<entier:phase>/<str:code>/secrets/",
        views_comptes.journal_secrets,
        name="journal-secrets",
    ),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("api/", TemplateView.as_view(template_name="www/api.html"), name="api-doc"),
    path("connexion/", views_comptes.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views_comptes.deconnexion, name="deconnexion"),
    path("compte/", views_comptes.compte, name="compte"),
    path("compte/annuaire/", views_comptes.annuaire_consentement, name="compte-annuaire"),
    path("compte/export/", views_comptes.compte_export, name="compte-export"),
    path("compte/effacer/", views_comptes.compte_effacer, name="compte-effacer"),
    path("annuaire/", views_comptes.annuaire, name="annuaire"),
    path("organisations/<int:pk>/", views_comptes.organisation, name="organisation"),
    path(
        "organisations/<int:pk>/modifier/",
        views_comptes.organisation_modifier,
        name="organisation-modifier",
    ),
    path("mesures/", views_mesures.mesures, name="mesures"),
    path("mesures/nouvelle/", views_mesures.mesure_nouvelle, name="mesure-nouvelle"),
    path("mesures/<int:pk>/", views_mesures.mesure, name="mesure"),
    path("mesures/<int:pk>/modifier/", views_mesures.mesure_modifier, name="mesure-modifier"),
    path("fiches/", views_fiches.fiches, name="fiches"),
    path("fiches/simplification/", views_fiches.simplification, name="simplification"),
    path("fiches/export.xlsx", views_fiches.fiches_export, name="fiches-export"),
    path("fiches/nouvelle/", views_fiches.fiche_nouvelle, name="fiche-nouvelle"),
    path(
        "fiches/nouvelle/<str:cle>/<slug:etape>/",
        views_fiches.fiche_nouvelle_etape,
        name="fiche-nouvelle-etape",
    ),
    path("fiches/<uuid:uuid>/", views_fiches.fiche, name="fiche"),
    path("fiches/<uuid:uuid>/modifier/", views_fiches.fiche_modifier, name="fiche-modifier"),
    path(
        "fiches/<uuid:uuid>/mouvement/<slug:nom>/",
        views_fiches.fiche_mouvement,
        name="fiche-mouvement",
    ),
    path("fiches/<uuid:uuid>/commentaires/", views_fiches.fiche_commenter, name="fiche-commenter"),
    path(
        "fiches/<uuid:uuid>/decision-ligne/",
        views_fiches.fiche_decider_ligne,
        name="fiche-decider-ligne",
    ),
    # Governance: bodies, meetings, decisions, perimeter requests, CNI versions, calendars.
    path("gouvernance/", views_gouvernance.gouvernance, name="gouvernance"),
    path("gouvernance/comites/<int:pk>/", views_gouvernance.comite, name="gouvernance-comite"),
    path("gouvernance/reunions/<int:pk>/", views_gouvernance.reunion, name="gouvernance-reunion"),
    path(
        "gouvernance/reunions/<int:pk>.ics",
        views_gouvernance.reunion_ics,
        name="gouvernance-reunion-ics",
    ),
    path(
        "gouvernance/reunions/<int:pk>/points/",
        views_gouvernance.reunion_point,
        name="gouvernance-reunion-point",
    ),
    path(
        "gouvernance/reunions/<int:pk>/participants/",
        views_gouvernance.reunion_participant,
        name="gouvernance-reunion-participant",
    ),
    path(
        "gouvernance/reunions/<int:pk>/compte-rendu/",
        views_gouvernance.reunion_compte_rendu,
        name="gouvernance-reunion-compte-rendu",
    ),
    path(
        "gouvernance/reunions/<int:pk>/pieces/",
        views_gouvernance.reunion_piece,
        name="gouvernance-reunion-piece",
    ),
    path("gouvernance/pieces/<int:pk>/", views_gouvernance.piece, name="gouvernance-piece"),
    path(
        "gouvernance/points/<int:pk>/decision/",
        views_gouvernance.decision,
        name="gouvernance-decision",
    ),
    path("gouvernance/agenda/", views_gouvernance.mon_agenda, name="gouvernance-agenda"),
    path(
        "gouvernance/agenda/<str:jeton>.ics",
        views_gouvernance.agenda_ics,
        name="gouvernance-agenda-ics",
    ),
    path("gouvernance/demandes/", views_gouvernance.demandes_liste, name="gouvernance-demandes"),
    path(
        "gouvernance/demandes/nouvelle/",
        views_gouvernance.demande_nouvelle,
        name="gouvernance-demande-nouvelle",
    ),
    path("gouvernance/demandes/<int:pk>/", views_gouvernance.demande, name="gouvernance-demande"),
    path(
        "gouvernance/demandes/<int:pk>/inscrire/",
        views_gouvernance.demande_inscrire,
        name="gouvernance-demande-inscrire",
    ),
    path("gouvernance/versions/", views_gouvernance.versions_liste, name="gouvernance-versions"),
    path("gouvernance/versions/<int:pk>/", views_gouvernance.version, name="gouvernance-version"),
    path("fiches/<uuid:uuid>/suivi/", views_fiches.fiche_suivre, name="fiche-suivre"),
    path(
        "fiches/<uuid:uuid>/indicateurs/<int:pk>/mesure/",
        views_fiches.fiche_mesurer,
        name="fiche-mesurer",
    ),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/",
        views_fiches.fiche_piece_ajouter,
        name="fiche-piece-ajouter",
    ),
    path(
        "fiches/<uuid:uuid>/pieces-jointes/<int:pk>/",
        views_fiches.fiche_piece_jointe,
        name="fiche-piece-jointe",
    ),
    # Contracts (FAQ §4) and deployment tracking (FAQ §6).
    path("contrats/", views_contrats.contrats, name="contrats"),
    path(
        "territoires/<entier:phase>/<str:code>/contrat/",
        views_contrats.territoire,
        name="contrats-territoire",
    ),
    path(
        "territoires/<entier:phase>/<str:code>/contrat/nouveau/<slug:genre>/",
        views_contrats.nouveau,
        name="contrat-nouveau",
    ),
    path("contrats/<slug:genre>/<int:pk>/", views_contrats.document, name="contrat-document"),
    path(
        "contrats/<slug:genre>/<int:pk>/modifier/",
        views_contrats.modifier,
        name="contrat-modifier",
    ),
    path("contrats/<slug:genre>/<int:pk>/annexer/", views_contrats.annexer, name="contrat-annexer"),
    path(
        "contrats/<slug:genre>/<int:pk>/signataires/",
        views_contrats.signataire_ajouter,
        name="contrat-signataire",
    ),
    path("contrats/<slug:genre>/<int:pk>/valider/", views_contrats.valider, name="contrat-valider"),
    path(
        "contrats/<slug:genre>/<int:pk>/document.<slug:format>",
        views_contrats.telecharger,
        name="contrat-telecharger",
    ),
    path(
        "contrats/contrat/<int:pk>/avenant/",
        views_contrats.avenant_nouveau,
        name="avenant-nouveau",
    ),
    path("contrats/signature/<int:pk>/enregistrer/", views_contrats.signer, name="contrat-signer"),
    path("suivi/", views_contrats.suivi_national, name="suivi"),
    path("suivi/regions/<str:code>/", views_contrats.suivi_region, name="suivi-region"),
    path("tableaux/", include("www.tableaux.urls")),
]
