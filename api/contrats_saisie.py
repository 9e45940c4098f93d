"""Writes of the contracting (FAQ §4), as the document's pages make them: a draft protocol or
contract for a territory (by its code), an avenant to a signed contract, the canvas of a draft
under an optimistic lock, fiches annexed or withdrawn (by reference, 8401-09), signatories
added or withdrawn (organisation by SIREN, région by code, EPCI by SIREN), and the validation
on the regional COPIL's decision, or without a meeting on each party's recorded agreement.
Each through its domain function (contrats.services, contrats.cycle, contrats.projets), which
checks the right and the state.

A token is required (401). A document the caller cannot see answers 404; a visible one whose
action is not the caller's answers 403; a rule refusing answers 422 with its French message,
nothing written; a stale canvas version answers 409 with the differences. The answer of a
write is the document as GET /contrats/{genre}/{id} gives it.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Status

from comptes.permissions import exiger, organisations_visibles
from contrats import cycle, projets, services
from contrats import permissions as droits
from contrats.models import Avenant, Contrat, Protocole, Signataire
from fiches.selectors import fiche_par_reference
from referentiel.models import EPCI, Region
from territoires.selectors import trouver_territoire

from .auth import Jeton, ecriture, utilisateur
from .contrats import VISIBLES, _document_out
from .erreurs import ERREURS_ECRITURE, Conflit, Erreur, sans_ecraser
from .schemas import Cle, Identifiant
from .schemas.contrats import DocumentOut
from .schemas.contrats_saisie import (
    AnnexeIn,
    AvenantIn,
    CanevasIn,
    CanevasOut,
    CanevasPatch,
    DocumentIn,
    SignataireIn,
    ValidationIn,
)

router = Router(tags=["Contrats"])
Genre = Literal["protocole", "contrat", "avenant"]
MODELES = {"protocole": Protocole, "contrat": Contrat, "avenant": Avenant}
CONFLIT = "Le document a été modifié entre-temps : rien n'a été écrasé."


def _document(user, genre: str, document_id: int):
    d = VISIBLES[genre](user).filter(pk=document_id).first()
    if d is None:
        raise Http404("Document introuvable.")
    return d


def _repondre(user, genre: str, d, status: int = 200):
    return Status(status, _document_out(user, VISIBLES[genre](user).get(pk=d.pk)))


def _champs(genre: str, data: CanevasIn) -> tuple[dict, list[str] | None]:
    """The sections sent, those of the document's kind only; the EPCIs apart."""
    envoyes = data.dict(exclude_unset=True, exclude={"version", "phase", "epcis"})
    admis = projets.CHAMPS[MODELES[genre]]
    autres = sorted(set(envoyes) - set(admis))
    if autres:
        raise ValidationError(f"Pas de « {', '.join(autres)} » au canevas d'un {genre}.")
    epcis = data.epcis
    if epcis is not None and genre == "protocole":
        raise ValidationError("Un protocole d'accord ne liste pas d'intercommunalités.")
    return {k: v for k, v in envoyes.items() if v is not None}, epcis


def _canevas(user, genre: str, d) -> dict:
    valeurs = projets.canevas(d)
    epcis = valeurs.pop("epcis", None)
    return {
        "genre": genre,
        "id": d.pk,
        "etat": d.etat,
        "sections": valeurs,
        "epcis": epcis,
        "version": projets.version(d),
        "peut_modifier": droits.peut_modifier(user, d),
    }


def _fiche(user, d, reference: str):
    f = fiche_par_reference(user, reference, d.le_territoire.phase_id)
    if f is None:
        raise Http404(f"Fiche {reference} introuvable.")
    return f


def _un(qs, champ: str, cle: str | None, quoi: str):
    if not cle:
        return None
    obj = qs.filter(**{champ: cle.strip()}).first()
    if obj is None:
        raise ValidationError(f"{quoi} {cle} introuvable.")
    return obj


# --- Drafts ---------------------------------------------------------------------------------


@router.post(
    "/contrats/territoires/{code}/{genre}",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Préparer le protocole d'accord ou le contrat d'un territoire",
)
def creer(request, code: Cle, genre: Literal["protocole", "contrat"], data: DocumentIn):
    """Par l'équipe du territoire ; un contrat couvre au moins une de ses intercommunalités."""
    user = request.auth
    t = trouver_territoire(code, data.phase)
    if t is None:
        raise Http404(f"Territoire {code} introuvable.")
    donnees, epcis = _champs(genre, data)
    with ecriture(user):
        if genre == "protocole":
            d = services.creer_protocole(user=user, territoire=t, donnees=donnees)
        else:
            d = services.creer_contrat(user=user, territoire=t, donnees=donnees, epcis=epcis or [])
    return _repondre(user, genre, d, 201)


@router.post(
    "/contrats/contrat/{document_id}/avenants",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Préparer un avenant à un contrat signé",
)
def creer_avenant(request, document_id: Identifiant, data: AvenantIn):
    user = request.auth
    c = _document(user, "contrat", document_id)
    with ecriture(user):
        a = services.creer_avenant(user=user, contrat=c, objet=data.objet, epcis=data.epcis)
    return _repondre(user, "avenant", a, 201)


@router.get(
    "/contrats/{genre}/{document_id}/canevas",
    response={200: CanevasOut, 401: Erreur, 404: Erreur},
    summary="Le canevas d'un document et sa version",
)
def canevas(request, genre: Genre, document_id: Identifiant):
    user = utilisateur(request)
    return _canevas(user, genre, _document(user, genre, document_id))


@router.patch(
    "/contrats/{genre}/{document_id}/canevas",
    auth=Jeton(),
    response={200: CanevasOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Modifier le canevas d'un projet (version obligatoire)",
)
def modifier(request, genre: Genre, document_id: Identifiant, data: CanevasPatch):
    """Seules les sections envoyées changent. Verrou optimiste : envoyer la `version` lue ;
    si quelqu'un a enregistré entre-temps, 409 liste ce qui a changé et rien n'est écrasé.
    Un document validé ou signé ne se modifie plus (422) : un avenant le complète."""
    user = request.auth
    d = _document(user, genre, document_id)
    donnees, epcis = _champs(genre, data)
    with sans_ecraser(CONFLIT), ecriture(user):
        d = projets.modifier(
            user=user, document=d, version=data.version, donnees=donnees, epcis=epcis
        )
    return _canevas(user, genre, type(d).objects.get(pk=d.pk))


# --- Annexed fiches -------------------------------------------------------------------------


@router.post(
    "/contrats/{genre}/{document_id}/fiches",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Annexer une fiche-action (par sa référence)",
)
def annexer(request, genre: Genre, document_id: Identifiant, data: AnnexeIn):
    """Au contrat ou à l'avenant : une fiche retenue, inscrite à la signature. Au protocole :
    une fiche présentée au comité de projet local, sans aucune mention financière."""
    user = request.auth
    d = _document(user, genre, document_id)
    f = _fiche(user, d, data.fiche)
    with ecriture(user):
        if genre == "protocole":
            services.annexer_au_protocole(user=user, protocole=d, fiche=f, resume=data.resume)
        else:
            if data.resume:
                raise ValidationError("Le résumé ne vaut que pour l'annexe d'un protocole.")
            cycle.annexer(user=user, document=d, fiche=f)
    return _repondre(user, genre, d, 201)


@router.delete(
    "/contrats/{genre}/{document_id}/fiches/{reference}",
    auth=Jeton(),
    response={204: None, **ERREURS_ECRITURE},
    summary="Retirer une fiche de l'annexe d'un projet",
)
def retirer_fiche(request, genre: Genre, document_id: Identifiant, reference: Cle):
    user = request.auth
    d = _document(user, genre, document_id)
    f = _fiche(user, d, reference)
    with ecriture(user):
        projets.retirer_fiche(user=user, document=d, fiche=f)
    return Status(204, None)


# --- Signatories ----------------------------------------------------------------------------


@router.post(
    "/contrats/{genre}/{document_id}/signataires",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Ajouter un signataire à un projet",
)
def ajouter_signataire(request, genre: Genre, document_id: Identifiant, data: SignataireIn):
    """L'organisation par son SIREN, la région par son code, l'intercommunalité par son SIREN ;
    les signataires qu'exige la FAQ (§4.3) sont vérifiés à la validation."""
    user = request.auth
    d = _document(user, genre, document_id)
    with ecriture(user):
        services.ajouter_signataire(
            user=user,
            document=d,
            nature=data.nature,
            nom=data.nom,
            qualite=data.qualite,
            organisation=_un(organisations_visibles(user), "siren", data.organisation, "SIREN"),
            region=_un(Region.objects.all(), "code", data.region, "Région"),
            epci=_un(EPCI.objects.all(), "siren", data.epci, "Intercommunalité"),
            motif_ministre=data.motif_ministre,
        )
    return _repondre(user, genre, d, 201)


@router.delete(
    "/contrats/{genre}/{document_id}/signataires/{signataire_id}",
    auth=Jeton(),
    response={204: None, **ERREURS_ECRITURE},
    summary="Retirer un signataire d'un projet",
)
def retirer_signataire(request, genre: Genre, document_id: Identifiant, signataire_id: Identifiant):
    user = request.auth
    d = _document(user, genre, document_id)
    s = Signataire.objects.filter(pk=signataire_id, **{genre: d}).first()
    if s is None:
        raise Http404("Signataire introuvable.")
    with ecriture(user):
        projets.retirer_signataire(user=user, signataire=s)
    return Status(204, None)


# --- Validation -----------------------------------------------------------------------------


@router.post(
    "/contrats/{genre}/{document_id}/validation",
    auth=Jeton(),
    response={201: DocumentOut, **ERREURS_ECRITURE},
    summary="Valider un contrat ou un avenant : par le COPIL régional, ou sans réunion",
)
def valider(
    request, genre: Literal["contrat", "avenant"], document_id: Identifiant, data: ValidationIn
):
    """Par le référent de l'État ou le pilote de la Région, comme sur la page : sur la
    décision que le COPIL régional a prise sur ce contrat (sa date et sa manière sont
    reprises), ou enregistrée ici à sa date ; sans réunion (`reunion: false`), sur l'accord
    de chaque Région et de chaque partie, qui l'a donné et quand (FAQ §4.2) : une personne
    seule ne valide pas. Le document peut alors être signé."""
    user = request.auth
    d = _document(user, genre, document_id)
    exiger(droits.peut_valider_document(user, d))
    accords = [a.dict() for a in data.accords]
    if data.decision is None:
        with ecriture(user):
            cycle.valider(
                user=user,
                document=d,
                date=data.date,
                reunion=data.reunion,
                texte=data.texte,
                accords=accords,
            )
        return _repondre(user, genre, d, 201)
    lien = cycle.decisions_a_rattacher(d.le_territoire).filter(pk=data.decision).first()
    if lien is None:
        raise ValidationError(
            f"La décision {data.decision} n'est pas une décision du COPIL régional sur le "
            "contrat de ce territoire, encore libre."
        )
    with ecriture(user):
        cycle.valider_en_reunion(user=user, document=d, lien=lien, accords=accords)
    return _repondre(user, genre, d, 201)
