"""Writes of the panier de services: create and edit a measure, permission checked here.

Each write re-checks who may do it (mesures.permissions), validates the whole measure with its
French messages (Mesure.clean and the database constraints) and saves nothing on a refusal.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from comptes import verrous
from comptes.permissions import exiger

from .models import Mesure
from .permissions import peut_gerer_mesure

REFUS = "Vous ne pouvez pas enregistrer une mesure pour cette portée."


def exiger_gestion(user, mesure: Mesure) -> None:
    exiger(peut_gerer_mesure(user, mesure), REFUS)


CHAMPS = (
    "nom",
    "description",
    "operateur",
    "axes",
    "nature",
    "taux_max",
    "plafond",
    "types_porteurs",
    "accord_gouvernance",
    "exclut_entreprises_en_difficulte",
    "date_debut",
    "date_fin",
    "source",
    "region",
    "reference",
)


def _verifier_champs(donnees: dict) -> None:
    inconnus = set(donnees) - set(CHAMPS)
    if inconnus:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(inconnus))}.")


@transaction.atomic
def creer_mesure(*, user, donnees: dict) -> Mesure:
    _verifier_champs(donnees)
    mesure = Mesure(**donnees)
    # Validated first: a régional measure without its région is a French error, not a 404.
    mesure.full_clean()
    exiger_gestion(user, mesure)
    mesure.save()
    return mesure


def _valeurs(mesure: Mesure) -> dict:
    # Related objects by their key, as a writer names them.
    return {
        nom: getattr(mesure, f"{nom}_id" if nom in ("operateur", "region") else nom)
        for nom in CHAMPS
    }


def version(mesure: Mesure) -> str:
    """The version of a measure for an optimistic lock: the fingerprint of its fields."""
    return verrous.empreinte(_valeurs(mesure))


@transaction.atomic
def modifier_mesure(*, user, mesure: Mesure, donnees: dict, version: str | None = None) -> Mesure:
    """With `version` (what the writer read), nothing is written if the measure changed since
    (comptes.services.ConflitEdition)."""
    _verifier_champs(donnees)
    # The stored measure decides who may edit it, not the instance the caller holds.
    actuelle = Mesure.objects.select_for_update().get(pk=mesure.pk)
    exiger_gestion(user, actuelle)
    if version is not None:
        envoye = {nom: getattr(v, "pk", v) for nom, v in donnees.items()}
        verrous.verifier(_valeurs(actuelle), version, envoye)
    for nom, valeur in donnees.items():
        setattr(actuelle, nom, valeur)
    actuelle.full_clean()
    # Nor may one move a measure to a scope one does not keep (another région, national).
    exiger_gestion(user, actuelle)
    actuelle.save()
    return actuelle
