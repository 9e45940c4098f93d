"""Writes of the governance API, each through its domain function (gouvernance.services,
gouvernance.demandes): a meeting, an agenda item, the decision on an item, a perimeter
request. Acts dated after the fact carry their real date, within the domain's rules.

A token is required (401). What the caller cannot see answers 404; a visible body, meeting or
item whose action is not the caller's answers 403; a rule refusing answers 422 with its
French message, nothing written (api.auth.ecriture, api.erreurs). The endpoints join the
reads' router (api.gouvernance), so that a path has its GET and its POST together.
"""

from datetime import date as Date
from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Schema, Status

from comptes.models import Personne
from comptes.permissions import organisations_visibles
from fiches.selectors import fiche_par_reference
from gouvernance import demandes, permissions, services
from gouvernance.enums import NatureDemande, NaturePoint
from gouvernance.models import PointOrdreDuJour
from referentiel.models import EPCI

from .auth import Jeton, ecriture
from .erreurs import ERREURS_ECRITURE
from .gouvernance import (
    decision_out,
    demande_detail,
    reunion_detail,
    router,
    territoire_du_code,
)
from .schemas import Cle, Identifiant
from .schemas.gouvernance import DecisionOut, DemandeDetailOut, ReunionDetailOut


class ReunionIn(Schema):
    debut: datetime = Field(description="Début (heure de Paris si sans fuseau).")
    fin: datetime | None = None
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
    parts: list[dict] = Field(
        [], description="Scission : [{code, nom, epcis: [SIREN…]}] des territoires issus."
    )
    date: Date | None = Field(None, description="Déposée le ; aujourd'hui si absente.")


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
            Personne.objects.filter(organisation__in=organisations_visibles(user))
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
