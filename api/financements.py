"""API of a line's money: its commitments, payments and adjustments, and the funder's entries
(financements.cycle; docs/adr/0012-argent-d-une-ligne.md).

Reads: the lines whose fiche the caller sees (financements.permissions.lignes_visibles); the
amounts of a line whose amount is secret are null for whoever may not read it, and listed in
`masques`. Writes: a token, the funder of the line.

Status codes: 401 without a valid token; 404 when the line (or commitment) is not visible to
the caller, its existence not disclosed; 403 when it is but the entry is not the caller's
(French detail); 409 when the same reference is already recorded (nothing twice: `Conflit`,
its `differences` empty); 422 when a
rule refuses it (amount beyond what is granted or committed, a date in the future or before
its step, a line not granted, a fiche not retained…), nothing written; 400 for a body that
is not a JSON object. Every other error has the one schema, `Erreur`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from financements import cycle
from financements.models import Engagement
from financements.permissions import engagements_visibles, lignes_visibles, lire

from .auth import Jeton, ecriture, utilisateur
from .erreurs import Conflit, EnConflit, Erreur, message
from .schemas import Cle, Identifiant, Jour

router = Router(tags=["Financements"])

Montant = Decimal  # the rules (positive, two decimals) are the cycle's, with their messages
ERREURS = {401: Erreur, 403: Erreur, 404: Erreur, 409: Conflit, 422: Erreur}


# --- Schemas ------------------------------------------------------------------------------


class PasOut(Schema):
    id: int
    date: Jour
    montant: Decimal | None = Field(description="En euros ; null si secret pour vous.")
    par: str | None = Field(description="Qui l'a saisi ; null pour un lecteur anonyme.")
    le: datetime = Field(description="Enregistré le.")


class PaiementOut(PasOut):
    reference: str


class AjustementOut(PasOut):
    nature: str = Field(description="reduction ou annulation.")
    motif: str


class EngagementOut(PasOut):
    convention: str
    reference: str = Field(description="Référence de l'engagement juridique (Chorus).")
    net: Decimal | None = Field(description="Engagé, moins ses réductions et annulations.")
    paye: Decimal | None
    reste: Decimal | None = Field(description="Engagé net, pas encore payé.")
    paiements: list[PaiementOut]
    ajustements: list[AjustementOut]


class ArgentOut(Schema):
    ligne: int
    fiche: str = Field(description="Référence de la fiche.")
    financeur: str
    statut: str
    accorde: Decimal | None = Field(description="Le montant de la ligne ; null si secret.")
    engage: Decimal | None = Field(description="Engagements moins ajustements.")
    paye: Decimal | None
    reste: Decimal | None = Field(description="Engagé, pas encore payé.")
    a_engager: Decimal | None = Field(description="Accordé, pas encore engagé.")
    engage_le: Jour | None = Field(description="Jour du premier engagement.")
    premier_paiement: Jour | None
    dernier_paiement: Jour | None
    masques: list[str] = Field(description="« montant » si les montants vous sont secrets.")
    ouverte: bool = Field(description="La ligne reçoit engagements et paiements.")
    peut_financer: bool = Field(description="Vous enregistrez l'argent de cette ligne.")
    engagements: list[EngagementOut]


class EngagementIn(Schema):
    montant: Montant = Field(description="En euros, au plus le montant accordé non engagé.")
    convention: Cle = Field(description="La convention (ou l'acte) qui engage le financeur.")
    date: Jour | None = Field(None, description="Aujourd'hui si absente ; jamais future.")
    reference: Cle = Field("", description="Numéro de l'engagement juridique (Chorus).")


class PaiementIn(Schema):
    montant: Montant = Field(description="En euros, au plus ce qui reste à payer.")
    date: Jour | None = Field(None, description="Aujourd'hui si absente ; jamais future.")
    reference: Cle = ""


class ReductionIn(Schema):
    montant: Montant = Field(description="Retiré de ce qui reste à payer.")
    motif: Cle
    date: Jour | None = None


class AnnulationIn(Schema):
    motif: Cle
    date: Jour | None = None


# --- Helpers ------------------------------------------------------------------------------


def _ecrire(user, ecrire, ligne) -> Status:
    """One entry in a transaction, in the audit log as `user` (api.auth.ecriture); a refusal
    is answered by api.erreurs, nothing written; else 201 with the line's money."""
    try:
        with ecriture(user):
            ecrire()
    except cycle.Doublon as exc:
        # The same step is already there: nothing differs, nothing is recorded twice.
        raise EnConflit(message(exc), []) from exc
    return Status(201, _argent_out(user, _ligne(user, ligne.pk)))


def _ligne(user, ligne_id: int):
    ligne = (
        lignes_visibles(user)
        .select_related("fiche__territoire", "financeur")
        .filter(pk=ligne_id)
        .first()
    )
    if ligne is None:
        raise Http404("Ligne de financement introuvable.")
    return ligne


def _engagement(user, engagement_id: int) -> Engagement:
    e = engagements_visibles(user).filter(pk=engagement_id).first()
    if e is None:
        raise Http404("Engagement introuvable.")
    return e


def _nom(user, connu: bool) -> str | None:
    if not connu:
        return None
    personne = getattr(user, "personne", None) if hasattr(user, "personne") else None
    return str(personne) if personne else user.email


def _pas(obj, connu: bool, **autres) -> dict:
    return {
        "id": obj.pk,
        "date": obj.date,
        "montant": obj.montant,
        "par": _nom(obj.par, connu),
        "le": obj.le,
        **autres,
    }


def _argent_out(user, ligne, canal: str = "api") -> dict:
    lu = lire(user, ligne, canal=canal)
    a, connu = lu.argent, user.is_authenticated
    return {
        "ligne": ligne.pk,
        "fiche": ligne.fiche.reference,
        "financeur": ligne.financeur.nom,
        "statut": ligne.statut,
        "accorde": a.accorde,
        "engage": a.engage,
        "paye": a.paye,
        "reste": a.reste,
        "a_engager": a.a_engager if ligne.statut in cycle.LIGNES_ACCORDEES else None,
        "engage_le": a.engage_le,
        "premier_paiement": a.premier_paiement,
        "dernier_paiement": a.dernier_paiement,
        "masques": ["montant"] if lu.masque else [],
        "ouverte": cycle.ouverte(ligne, ligne.fiche.etat),
        "peut_financer": connu and cycle.peut_financer(user, ligne),
        "engagements": [
            _pas(
                e,
                connu,
                convention=e.convention,
                reference=e.reference,
                net=e.net,
                paye=e.paye,
                reste=e.reste,
                paiements=[_pas(p, connu, reference=p.reference) for p in e.paiements.all()],
                ajustements=[
                    _pas(aj, connu, nature=aj.nature, motif=aj.motif) for aj in e.ajustements.all()
                ],
            )
            for e in lu.engagements
        ],
    }


# --- Endpoints ----------------------------------------------------------------------------


@router.get(
    "/lignes/{ligne_id}/argent",
    response={200: ArgentOut, 401: Erreur, 404: Erreur},
    summary="L'argent d'une ligne : engagements, paiements, ajustements",
)
def argent_ligne(request, ligne_id: Identifiant):
    """Accordé, engagé net, payé, reste à payer, dates, et chaque pas. Les montants d'une
    ligne dont le montant est secret sont nuls (`masques`) pour qui n'a pas à les connaître."""
    user = utilisateur(request)
    return _argent_out(user, _ligne(user, ligne_id))


@router.post(
    "/lignes/{ligne_id}/engagements",
    auth=Jeton(),
    response={201: ArgentOut, **ERREURS},
    summary="Engager une ligne accordée",
)
def engager(request, ligne_id: Identifiant, data: EngagementIn):
    """Par le financeur de la ligne, une fois la fiche retenue : l'engagé net ne dépasse
    jamais le montant accordé ; la date ni future ni avant la décision du financeur. 409 si
    la référence est déjà enregistrée sur la ligne. Répond l'argent de la ligne."""
    user = request.auth
    ligne = _ligne(user, ligne_id)
    return _ecrire(user, lambda: cycle.engager(user=user, ligne=ligne, **data.dict()), ligne)


@router.post(
    "/engagements/{engagement_id}/paiements",
    auth=Jeton(),
    response={201: ArgentOut, **ERREURS},
    summary="Payer sur un engagement",
)
def payer(request, engagement_id: Identifiant, data: PaiementIn):
    """Jamais plus que ce qui reste à payer sur l'engagement, ni avant lui, ni dans le
    futur. 409 si la référence du paiement est déjà enregistrée sur l'engagement."""
    user = request.auth
    e = _engagement(user, engagement_id)
    return _ecrire(user, lambda: cycle.payer(user=user, engagement=e, **data.dict()), e.ligne)


@router.post(
    "/engagements/{engagement_id}/reduction",
    auth=Jeton(),
    response={201: ArgentOut, **ERREURS},
    summary="Réduire un engagement",
)
def reduire(request, engagement_id: Identifiant, data: ReductionIn):
    """Retire `montant` de ce qui reste à payer, avec un motif ; jamais sous ce qui est
    payé."""
    user = request.auth
    e = _engagement(user, engagement_id)
    return _ecrire(user, lambda: cycle.reduire(user=user, engagement=e, **data.dict()), e.ligne)


@router.post(
    "/engagements/{engagement_id}/annulation",
    auth=Jeton(),
    response={201: ArgentOut, **ERREURS},
    summary="Annuler ce qui reste à payer d'un engagement",
)
def annuler(request, engagement_id: Identifiant, data: AnnulationIn):
    """Tout ce qui n'est pas payé est retiré, avec un motif : plus rien ne se paie dessus."""
    user = request.auth
    e = _engagement(user, engagement_id)
    return _ecrire(user, lambda: cycle.annuler(user=user, engagement=e, **data.dict()), e.ligne)
