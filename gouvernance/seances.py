"""What the one who runs a body changes on a meeting besides its agenda: a participant
withdrawn, the minutes rewritten under an optimistic lock, an attachment removed; and whom
one may invite, picked by e-mail address or name. The rights are those of
gouvernance.services (whoever runs the body), the same for the pages and the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Lower

from comptes import verrous
from comptes.models import Organisation, Personne
from comptes.permissions import organisations_visibles

from . import services
from .models import Participant, PieceJointe, Reunion
from .permissions import personnes_nommables

# --- Whom one may invite -------------------------------------------------------------------


def _unique(qs, quoi: str, cle: str, precision: str):
    trouves = list(qs[:2])
    if not trouves:
        raise ValidationError(f"{quoi} « {cle} » introuvable.")
    if len(trouves) > 1:
        raise ValidationError(f"Plusieurs {quoi.lower()}s répondent à « {cle} » : {precision}")
    return trouves[0]


def trouver_personne(user, qui: str) -> Personne:
    """A person one may invite, by e-mail address or by « Prénom Nom » (case ignored)."""
    qui = qui.strip()
    # Whom one may name: the one rule of gouvernance.permissions, pages and API alike.
    qs = personnes_nommables(user)
    if "@" in qui:
        qs = qs.filter(email__iexact=qui)
    else:
        qs = qs.annotate(nom_complet=Lower(Concat("prenom", Value(" "), "nom"))).filter(
            nom_complet=qui.lower()
        )
    return _unique(qs, "Personne", qui, "donnez son adresse électronique.")


def trouver_organisation(user, quoi: str) -> Organisation:
    """An organisation one sees, by SIREN or by its exact name (case ignored)."""
    quoi = quoi.strip()
    qs = organisations_visibles(user)
    qs = qs.filter(siren=quoi) if quoi.isdigit() else qs.filter(nom__iexact=quoi)
    return _unique(qs, "Organisation", quoi, "donnez son SIREN.")


# --- Participants, minutes, attachments ----------------------------------------------------


@transaction.atomic
def inviter(
    *, user, reunion: Reunion, personne: str = "", organisation: str = "", presence: str
) -> Participant:
    """gouvernance.services.inviter, the person and the organisation named as people name
    them; the right is checked before any name is looked up."""
    services._exiger(user, reunion.comite)
    return services.inviter(
        user=user,
        reunion=reunion,
        personne=trouver_personne(user, personne) if personne else None,
        organisation=trouver_organisation(user, organisation) if organisation else None,
        presence=presence,
    )


@transaction.atomic
def retirer_participant(*, user, participant: Participant) -> None:
    services._exiger(user, participant.reunion.comite)
    participant.delete()


def version_du_compte_rendu(reunion: Reunion) -> str:
    return verrous.empreinte({"texte": reunion.compte_rendu})


@transaction.atomic
def rediger_compte_rendu(*, user, reunion: Reunion, texte: str, version: str) -> Reunion:
    """The minutes, unless someone saved others since `version` was read (ConflitEdition)."""
    actuelle = Reunion.objects.select_for_update().select_related("comite").get(pk=reunion.pk)
    services._exiger(user, actuelle.comite)
    verrous.verifier({"texte": actuelle.compte_rendu}, version, {"texte": texte})
    return services.rediger_compte_rendu(user=user, reunion=actuelle, texte=texte)


@transaction.atomic
def supprimer_piece(*, user, piece: PieceJointe) -> None:
    services._exiger(user, piece.reunion.comite)
    fichier = piece.fichier
    piece.delete()
    # The file goes once the row is gone for good (never a row without its file).
    transaction.on_commit(lambda: fichier.storage.delete(fichier.name))
