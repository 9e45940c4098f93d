"""A meeting's participants, minutes and attachments, as on the meeting's page: read by
whoever sees the meeting (gouvernance.permissions), written by whoever runs its body, through
the domain's functions (gouvernance.services, gouvernance.seances).

People are picked by e-mail address or « Prénom Nom » among those the caller sees (the
page's list), organisations by SIREN or name; an ambiguous name answers 422. The minutes are
written under an optimistic lock (409 with the differences); attachments follow the pages'
limits (comptes.pieces) and are downloaded through the meeting's scope only.
"""

from django.http import Http404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from comptes.pieces import reponse_piece
from gouvernance import permissions, seances, services
from gouvernance.models import Participant, PieceJointe, Reunion

from .auth import Jeton, ecriture, utilisateur
from .erreurs import ERREURS_ECRITURE, Conflit, Erreur, sans_ecraser
from .schemas import Cle, Identifiant
from .schemas.gouvernance_reunions import (
    CompteRenduIn,
    CompteRenduOut,
    ParticipantDetailOut,
    ParticipantIn,
    PieceOut,
)

router = Router(tags=["Gouvernance"])
LECTURE = {401: Erreur, 404: Erreur}
SANS_NOM = Form("")  # the file's own name then
CONFLIT = "Le compte rendu a été modifié entre-temps : rien n'a été écrasé."


def _reunion(user, reunion_id: int) -> Reunion:
    r = (
        permissions.reunions_visibles(user)
        .select_related("comite", "comite__territoire", "comite__region")
        .filter(pk=reunion_id)
        .first()
    )
    if r is None:
        raise Http404("Réunion introuvable.")
    return r


def _participants(r: Reunion) -> list[dict]:
    return [
        {
            "id": p.pk,
            "personne": str(p.personne) if p.personne_id else None,
            "organisation": p.organisation.nom if p.organisation_id else None,
            "siren": (p.organisation.siren or None) if p.organisation_id else None,
            "presence": p.presence,
            "libelle_presence": p.get_presence_display(),
        }
        for p in r.participants.select_related("personne", "organisation")
    ]


def _compte_rendu(user, r: Reunion) -> dict:
    return {
        "reunion": r.pk,
        "texte": r.compte_rendu,
        "version": seances.version_du_compte_rendu(r),
        "peut_rediger": permissions.peut_animer(user, r.comite),
    }


def _piece(p: PieceJointe) -> dict:
    return {"id": p.pk, "nom": p.nom, "taille": p.fichier.size, "ajoutee_le": p.ajoutee_le}


def _piece_visible(user, piece_id: int) -> PieceJointe:
    p = (
        PieceJointe.objects.filter(reunion__in=permissions.reunions_visibles(user))
        .select_related("reunion__comite")
        .filter(pk=piece_id)
        .first()
    )
    if p is None:
        raise Http404("Pièce jointe introuvable.")
    return p


# --- Participants ---------------------------------------------------------------------------


@router.get(
    "/gouvernance/reunions/{reunion_id}/participants",
    response={200: list[ParticipantDetailOut], **LECTURE},
    summary="Participants d'une réunion",
)
def participants(request, reunion_id: Identifiant):
    return _participants(_reunion(utilisateur(request), reunion_id))


@router.post(
    "/gouvernance/reunions/{reunion_id}/participants",
    auth=Jeton(),
    response={201: list[ParticipantDetailOut], **ERREURS_ECRITURE},
    summary="Inviter une personne ou une organisation, ou noter sa présence",
)
def inviter(request, reunion_id: Identifiant, data: ParticipantIn):
    """Par qui anime l'instance. Une personne déjà invitée voit sa présence mise à jour.
    Renvoie la liste des participants."""
    user = request.auth
    r = _reunion(user, reunion_id)
    with ecriture(user):
        seances.inviter(
            user=user,
            reunion=r,
            personne=data.personne or "",
            organisation=data.organisation or "",
            presence=data.presence,
        )
    return Status(201, _participants(r))


@router.delete(
    "/gouvernance/reunions/{reunion_id}/participants/{participant_id}",
    auth=Jeton(),
    response={204: None, **ERREURS_ECRITURE},
    summary="Retirer un participant",
)
def retirer(request, reunion_id: Identifiant, participant_id: Identifiant):
    user = request.auth
    r = _reunion(user, reunion_id)
    p = Participant.objects.filter(reunion=r, pk=participant_id).select_related("reunion").first()
    if p is None:
        raise Http404("Participant introuvable.")
    with ecriture(user):
        seances.retirer_participant(user=user, participant=p)
    return Status(204, None)


# --- Minutes --------------------------------------------------------------------------------


@router.get(
    "/gouvernance/reunions/{reunion_id}/compte-rendu",
    response={200: CompteRenduOut, **LECTURE},
    summary="Le compte rendu d'une réunion et sa version",
)
def compte_rendu(request, reunion_id: Identifiant):
    user = utilisateur(request)
    return _compte_rendu(user, _reunion(user, reunion_id))


@router.put(
    "/gouvernance/reunions/{reunion_id}/compte-rendu",
    auth=Jeton(),
    response={200: CompteRenduOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Rédiger le compte rendu (version obligatoire)",
)
def rediger(request, reunion_id: Identifiant, data: CompteRenduIn):
    """Par qui anime l'instance, une fois la réunion commencée. Verrou optimiste : envoyer la
    `version` lue ; si le compte rendu a changé entre-temps, 409 et rien n'est écrasé."""
    user = request.auth
    r = _reunion(user, reunion_id)
    with sans_ecraser(CONFLIT), ecriture(user):
        r = seances.rediger_compte_rendu(
            user=user, reunion=r, texte=data.texte, version=data.version
        )
    return _compte_rendu(user, r)


# --- Attachments ----------------------------------------------------------------------------


@router.get(
    "/gouvernance/reunions/{reunion_id}/pieces",
    response={200: list[PieceOut], **LECTURE},
    summary="Pièces jointes d'une réunion",
)
def pieces(request, reunion_id: Identifiant):
    return [_piece(p) for p in _reunion(utilisateur(request), reunion_id).pieces.all()]


@router.post(
    "/gouvernance/reunions/{reunion_id}/pieces",
    auth=Jeton(),
    response={201: PieceOut, **ERREURS_ECRITURE},
    summary="Joindre une pièce (formulaire multipart : fichier, nom)",
)
def joindre(request, reunion_id: Identifiant, fichier: File[UploadedFile], nom: Cle = SANS_NOM):
    """Par qui anime l'instance ; la même limite de taille que sur la page."""
    user = request.auth
    r = _reunion(user, reunion_id)
    with ecriture(user):
        p = services.joindre_piece(user=user, reunion=r, fichier=fichier, nom=nom)
    return Status(201, _piece(p))


@router.get(
    "/gouvernance/pieces/{piece_id}",
    response=LECTURE,
    summary="Télécharger une pièce jointe",
    openapi_extra={"responses": {200: {"description": "Le fichier, en pièce jointe."}}},
)
def telecharger(request, piece_id: Identifiant):
    """Par qui voit la réunion ; jamais depuis une adresse publique."""
    p = _piece_visible(utilisateur(request), piece_id)
    return reponse_piece(p.fichier, p.nom)


@router.delete(
    "/gouvernance/pieces/{piece_id}",
    auth=Jeton(),
    response={204: None, **ERREURS_ECRITURE},
    summary="Supprimer une pièce jointe",
)
def supprimer(request, piece_id: Identifiant):
    user = request.auth
    p = _piece_visible(user, piece_id)
    with ecriture(user):
        seances.supprimer_piece(user=user, piece=p)
    return Status(204, None)
