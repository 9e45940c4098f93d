"""The page of each object a queue item or an e-mail points to, and its absolute address.

Pages are a floor above: they are named (by their namespaced URL name), never imported."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from contrats.models import Avenant, Contrat, Protocole, Signataire
from fiches.models import FicheAction, LigneFinancement, Transition
from financements.models import Ajustement, Engagement, Paiement
from gouvernance.models import Participant, PointOrdreDuJour, Reunion


def _fiche(fiche: FicheAction) -> str:
    return reverse("fiches:detail", kwargs={"uuid": fiche.uuid})


def _reunion(reunion: Reunion) -> str:
    return reverse("gouvernance:reunion", kwargs={"pk": reunion.pk})


def _document(document) -> str:
    genre = {Protocole: "protocole", Contrat: "contrat", Avenant: "avenant"}[type(document)]
    return reverse("contrats:document", kwargs={"genre": genre, "pk": document.pk})


def chemin(objet) -> str:
    """The path of the page that shows `objet` (or the object it belongs to); empty if none."""
    if isinstance(objet, FicheAction):
        return _fiche(objet)
    if isinstance(objet, LigneFinancement | Transition):
        return _fiche(objet.fiche)
    if isinstance(objet, Engagement):
        return _fiche(objet.ligne.fiche)
    if isinstance(objet, Paiement | Ajustement):
        return _fiche(objet.engagement.ligne.fiche)
    if isinstance(objet, Reunion):
        return _reunion(objet)
    if isinstance(objet, Participant | PointOrdreDuJour):
        return _reunion(objet.reunion)
    if isinstance(objet, Protocole | Contrat | Avenant):
        return _document(objet)
    if isinstance(objet, Signataire):
        return _document(objet.document)
    return ""


def preferences() -> str:
    return reverse("travail:preferences")


def file() -> str:
    return reverse("travail:file")


def absolu(chemin_: str) -> str:
    """The address to put in an e-mail: SITE_URL (the site's public address) and the path."""
    if not chemin_:
        return ""
    return settings.SITE_URL.rstrip("/") + chemin_
