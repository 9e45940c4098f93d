"""Edits of a draft beyond contrats.services: its canvas under an optimistic lock, an annexed
fiche or a signatory withdrawn. The same rights and states as the other edits of a draft
(the territory's team, a draft only: contrats.services), refused with the same messages.

A document carries no version number: its version is the fingerprint of its canvas and of
the EPCIs it covers (comptes.verrous), the values the writer read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from comptes import verrous

from . import services
from .models import AnnexeProtocole, Avenant, Contrat, FicheAnnexee, Protocole, Signataire

CHAMPS = {
    Protocole: services.CHAMPS_PROTOCOLE,
    Contrat: services.CHAMPS_CONTRAT,
    Avenant: services.CHAMPS_AVENANT,
}


def canevas(document) -> dict:
    """The values one edits on a draft: its canvas, and the EPCIs of a contract or avenant."""
    valeurs = {k: getattr(document, k) for k in CHAMPS[type(document)]}
    if not isinstance(document, Protocole):
        valeurs["epcis"] = sorted(document.epcis.values_list("siren", flat=True))
    return valeurs


def version(document) -> str:
    return verrous.empreinte(canevas(document))


@transaction.atomic
def modifier(*, user, document, version: str, donnees: dict, epcis=None):
    """contrats.services.modifier, unless the canvas changed since `version` was read."""
    actuel = type(document).objects.select_for_update().get(pk=document.pk)
    services._rediger(user, actuel.le_territoire)
    services._en_projet(actuel)  # a signed document says so, whatever version was read
    envoye = dict(donnees)
    if epcis is not None:  # SIRENs (API) or EPCIs (page form)
        envoye["epcis"] = sorted(getattr(e, "siren", e) for e in epcis)
    verrous.verifier(canevas(actuel), version, envoye)
    return services.modifier(user=user, document=actuel, donnees=donnees, epcis=epcis)


def _en_brouillon(user, document):
    document = type(document).objects.select_for_update().get(pk=document.pk)
    services._rediger(user, document.le_territoire)
    services._en_projet(document)
    return document


@transaction.atomic
def retirer_fiche(*, user, document, fiche) -> None:
    """Withdraws a fiche from the annex of a draft; the fiche keeps its state (retenue)."""
    document = _en_brouillon(user, document)
    if isinstance(document, Protocole):
        annexes = AnnexeProtocole.objects.filter(protocole=document, fiche=fiche)
    elif isinstance(document, Avenant):
        annexes = FicheAnnexee.objects.filter(avenant=document, fiche=fiche)
    else:
        annexes = FicheAnnexee.objects.filter(contrat=document, avenant=None, fiche=fiche)
    if not annexes.delete()[0]:
        raise ValidationError(f"La fiche {fiche.reference} n'est pas annexée à ce document.")


@transaction.atomic
def retirer_signataire(*, user, signataire: Signataire) -> None:
    """Withdraws a signatory from a draft (a validated document keeps its signatories)."""
    _en_brouillon(user, signataire.document)
    if signataire.signe_le:
        raise ValidationError(f"{signataire.nom} a déjà signé : sa signature reste.")
    signataire.delete()
