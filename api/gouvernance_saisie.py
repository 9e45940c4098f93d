"""Writes of the governance API, each through its domain function (gouvernance.services,
gouvernance.demandes, gouvernance.reunions): a meeting, its postponement or cancellation, an
agenda item, the decision on an item, a perimeter request (a split naming its territories and
their EPCI), the position of another Région concerned. Acts dated after the fact carry their
real date, within the domain's rules (gouvernance.dates).

A token is required (401). What the caller cannot see answers 404; a visible body, meeting or
item whose action is not the caller's answers 403; a postponement or cancellation sent with
an outdated `sequence` answers 409; a rule refusing answers 422 with its French message,
nothing written (api.auth.ecriture, api.erreurs). The endpoints join the
reads' router (api.gouvernance), so that a path has its GET and its POST together.
"""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Schema, Status

from fiches.selectors import fiche_par_reference
from gouvernance import demandes, permissions, reunions, services
from gouvernance.enums import NatureDemande, NaturePoint
from gouvernance.models import PointOrdreDuJour
from referentiel.models import EPCI

from .auth import Jeton, ecriture
from .erreurs import ERREURS_ECRITURE, Conflit, sans_ecraser
from .gouvernance import (
    decision_out,
    demande_detail,
    reunion_detail,
    router,
    territoire_du_code,
)
from .schemas import Cle, Identifiant, Jour, Moment
from .schemas.gouvernance import (
    AccordIn,
    AnnulationIn,
    DecisionOut,
    DemandeDetailOut,
    PartIn,
    ReportIn,
    ReunionDetailOut,
    ScissionIn,
)


class ReunionIn(Schema):
    debut: Moment = Field(description="Début (heure de Paris si sans fuseau).")
    fin: Moment | None = None
    lieu: Cle = ""


class PointIn(Schema):
    nature: NaturePoint
    intitule: Cle = ""
    fiche: Cle | None = Field(None, description="Référence de la fiche (ex. 8401-09).")
    demande: Identifiant | None = Field(None, description="Numéro de la demande de périmètre.")
    personne: Cle | None = Field(None, description="Désignation : adresse de la personne.")
    role: Cle = Field("", description="Désignation : rôle proposé.")
    territoire: Cle | None = Field(None, description="Validation d'un contrat : code.")
    phase: Identifiant | None = None


class DecisionIn(Schema):
    texte: Cle = ""
    intitule: Cle = ""
    accepter: bool | None = Field(None, description="Demande de périmètre : acceptée ou non.")
    mouvement: Cle = Field("", description="Fiche : le mouvement décidé.")
    avis: Cle = ""
    motif: Cle = ""


class DemandeIn(Schema):
    nature: NatureDemande
    territoire: Cle | None = Field(None, description="Code du territoire concerné.")
    phase: Identifiant | None = None
    region: Cle | None = Field(None, description="Nouveau territoire : la région du COPIL.")
    epci: Cle | None = Field(None, description="SIREN de l'intercommunalité ajoutée ou retirée.")
    justification: Cle = ""
    code_propose: Cle = ""
    nom_propose: Cle = ""
    epcis_proposes: list[Cle] = Field([], description="SIREN (nouveau territoire).")
    parts: list[PartIn] = Field([], description="Scission : les territoires issus.")
    date: Jour | None = Field(None, description="Déposée le ; aujourd'hui si absente.")


def _visible(qs, pk: int, message: str):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(message)
    return obj


def _a_paris(moment: datetime) -> datetime:
    # A time without its zone is a time of Paris, as on the meeting's form.
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _objets_du_point(user, data: PointIn) -> dict:
    """The fiche, request, person and territory named by the programme's identifiers."""
    objets = {}
    if data.fiche:
        objets["fiche"] = fiche_par_reference(user, data.fiche, data.phase)
        if objets["fiche"] is None:
            raise Http404(f"Fiche {data.fiche} introuvable.")
    if data.demande:
        objets["demande"] = _visible(
            permissions.demandes_visibles(user), data.demande, "Demande introuvable."
        )
    if data.personne:
        objets["personne"] = (
            permissions.personnes_nommables(user)
            .filter(email__iexact=data.personne.strip())
            .first()
        )
        if objets["personne"] is None:
            raise Http404(f"Personne {data.personne} introuvable.")
    if data.territoire:
        objets["territoire"] = territoire_du_code(data.territoire, data.phase)
    return objets


@router.post(
    "/gouvernance/comites/{comite_id}/reunions",
    auth=Jeton(),
    response={201: ReunionDetailOut, **ERREURS_ECRITURE},
    summary="Créer une réunion d'une instance",
)
def creer_reunion(request, comite_id: Identifiant, data: ReunionIn):
    """Par qui anime l'instance ; une réunion passée se saisit à sa vraie date."""
    user = request.auth
    c = _visible(permissions.comites_visibles(user), comite_id, "Instance introuvable.")
    debut, fin = _a_paris(data.debut), data.fin and _a_paris(data.fin)
    with ecriture(user):
        r = services.planifier_reunion(user=user, comite=c, debut=debut, fin=fin, lieu=data.lieu)
    return Status(201, reunion_detail(user, r))


@router.post(
    "/gouvernance/reunions/{reunion_id}/points",
    auth=Jeton(),
    response={201: ReunionDetailOut, **ERREURS_ECRITURE},
    summary="Ajouter un point à l'ordre du jour",
)
def ajouter_point(request, reunion_id: Identifiant, data: PointIn):
    """Une fiche par sa référence, une demande par son numéro, une personne par son adresse,
    un territoire par son code ; une demande inscrite passe « examinée »."""
    user = request.auth
    r = _visible(permissions.reunions_visibles(user), reunion_id, "Réunion introuvable.")
    objets = _objets_du_point(user, data)
    with ecriture(user):
        services.ajouter_point(
            user=user,
            reunion=r,
            nature=data.nature,
            intitule=data.intitule,
            role=data.role,
            **objets,
        )
    return Status(201, reunion_detail(user, r))


@router.post(
    "/gouvernance/points/{point_id}/decision",
    auth=Jeton(),
    response={201: DecisionOut, **ERREURS_ECRITURE},
    summary="Enregistrer la décision prise sur un point",
)
def decider(request, point_id: Identifiant, data: DecisionIn):
    """Datée du jour de la réunion, appliquée dans la même transaction (carte, fiche,
    désignation) : tout ou rien."""
    user = request.auth
    point = _visible(
        PointOrdreDuJour.objects.filter(
            reunion__in=permissions.reunions_visibles(user)
        ).select_related("reunion__comite", "fiche", "demande"),
        point_id,
        "Point introuvable.",
    )
    with ecriture(user):
        lien = services.decider(
            user=user,
            reunion=point.reunion,
            point=point,
            objet=services.OBJET_DU_POINT[point.nature],
            **data.dict(),
        )
    return Status(201, decision_out(lien))


@router.post(
    "/gouvernance/demandes",
    auth=Jeton(),
    response={201: DemandeDetailOut, **ERREURS_ECRITURE},
    summary="Déposer une demande de modification du périmètre",
)
def deposer_demande(request, data: DemandeIn):
    """Par l'équipe du territoire, une intercommunalité pour elle-même, ou le pilote de la
    Région ; le COPIL régional l'examinera."""
    user = request.auth
    t = territoire_du_code(data.territoire, data.phase) if data.territoire else None
    epci = None
    if data.epci:
        epci = EPCI.objects.filter(siren=data.epci.strip()).first()
        if epci is None:
            raise Http404(f"Intercommunalité {data.epci} introuvable.")
    champs = data.dict(exclude={"territoire", "phase", "epci"})
    with ecriture(user):
        d = demandes.deposer(
            user=user, territoire=t, epci=epci, **demandes.demandeur(user, t), **champs
        )
    return Status(201, demande_detail(d))


@router.post(
    "/gouvernance/territoires/{code}/scission",
    auth=Jeton(),
    response={201: DemandeDetailOut, **ERREURS_ECRITURE},
    summary="Demander la scission d'un territoire",
)
def demander_scission(request, code: Cle, data: ScissionIn):
    """Les territoires issus, chacun par son code, son nom et ses intercommunalités (SIREN) :
    chaque EPCI du territoire va à un seul d'entre eux. Le COPIL régional en décide
    (`POST /gouvernance/points/{point_id}/decision`) ; la carte change à la date de sa
    décision, l'historique de l'ancien territoire reste lisible."""
    user = request.auth
    t = territoire_du_code(code, data.phase)
    with ecriture(user):
        d = demandes.deposer(
            user=user,
            nature=NatureDemande.SCISSION,
            territoire=t,
            parts=[p.dict() for p in data.parts],
            justification=data.justification,
            date=data.date,
            **demandes.demandeur(user, t),
        )
    return Status(201, demande_detail(d))


@router.post(
    "/gouvernance/demandes/{demande_id}/accords",
    auth=Jeton(),
    response={201: DemandeDetailOut, **ERREURS_ECRITURE},
    summary="Enregistrer la position d'une autre Région concernée",
)
def donner_accord(request, demande_id: Identifiant, data: AccordIn):
    """Demande interrégionale (FAQ §2.3) : par le pilote d'une Région concernée autre que celle
    qui coordonne, hors réunion de son COPIL ; la Région qui coordonne n'accepte la demande
    qu'avec l'accord de chacune des autres."""
    user = request.auth
    d = _visible(permissions.demandes_visibles(user), demande_id, "Demande introuvable.")
    with ecriture(user):
        demandes.donner_accord(user=user, demande=d, **data.dict())
    d.refresh_from_db()
    return Status(201, demande_detail(d))


CONFLIT_REUNION = "Réunion modifiée entre-temps"


def _reunion_a_changer(user, reunion_id: int):
    return _visible(
        permissions.reunions_visibles(user).select_related("comite"),
        reunion_id,
        "Réunion introuvable.",
    )


@router.post(
    "/gouvernance/reunions/{reunion_id}/report",
    auth=Jeton(),
    response={200: ReunionDetailOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Reporter une réunion",
)
def reporter_reunion(request, reunion_id: Identifiant, data: ReportIn):
    """Une nouvelle date (et au besoin un autre lieu) ; les participants sont prévenus et le
    fichier d'agenda porte une SEQUENCE augmentée. Avec `sequence`, celle lue : 409 si la
    réunion a changé entre-temps, rien n'est écrasé."""
    user = request.auth
    r = _reunion_a_changer(user, reunion_id)
    debut, fin = _a_paris(data.debut), data.fin and _a_paris(data.fin)
    with sans_ecraser(CONFLIT_REUNION), ecriture(user):
        r = reunions.reporter(
            user=user, reunion=r, debut=debut, fin=fin, lieu=data.lieu, sequence=data.sequence
        )
    return reunion_detail(user, r)


@router.post(
    "/gouvernance/reunions/{reunion_id}/annulation",
    auth=Jeton(),
    response={200: ReunionDetailOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Annuler une réunion",
)
def annuler_reunion(request, reunion_id: Identifiant, data: AnnulationIn):
    """Avec son motif, envoyé aux participants ; le fichier d'agenda dit STATUS:CANCELLED."""
    user = request.auth
    r = _reunion_a_changer(user, reunion_id)
    with sans_ecraser(CONFLIT_REUNION), ecriture(user):
        r = reunions.annuler(user=user, reunion=r, motif=data.motif, sequence=data.sequence)
    return reunion_detail(user, r)
