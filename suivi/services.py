"""Writes of the follow-up: target delays (with an optimistic lock) and operators' announced
commitments. Every write checks who may do it and refuses bad input with a French message,
nothing changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.enums import TypeOrganisation
from comptes.permissions import exiger
from comptes.services import ConflitEdition
from referentiel import saisie

from .models import CibleDelai, EngagementAnnonce, cle_cible
from .permissions import peut_annoncer, peut_gerer_cible

JOURS = ("jours_decision", "jours_engagement", "jours_paiement")
JOURS_MAX = 3650  # ten years: beyond, a typing error
REFUS_CIBLE = "Vous ne pouvez pas fixer cette cible de délai."


def _jours(donnees: dict) -> dict:
    out = {}
    for champ in JOURS:
        v = donnees.get(champ)
        if v in (None, ""):
            out[champ] = None
            continue
        n = saisie.entier(v)
        if n is None or n < 0 or n > JOURS_MAX:
            libelle = CibleDelai._meta.get_field(champ).verbose_name
            raise ValidationError(
                f"Délai « {libelle} » : un nombre de jours entre 0 et {JOURS_MAX}."
            )
        out[champ] = n
    if all(v is None for v in out.values()):
        raise ValidationError("Indiquez au moins un délai cible.")
    return out


@transaction.atomic
def enregistrer_cible(
    *,
    user,
    donnees: dict,
    financeur=None,
    mesure=None,
    cible: CibleDelai | None = None,
    version: int | None = None,
) -> CibleDelai:
    """Creates the target of a funder, a measure or the default (`cible` None), or changes
    `cible` as read at `version` (someone saved in between: ConflitEdition, nothing written)."""
    if cible is not None:
        financeur, mesure = cible.financeur, cible.mesure
    exiger(peut_gerer_cible(user, financeur=financeur, mesure=mesure), REFUS_CIBLE)
    if financeur is not None and mesure is not None:
        raise ValidationError("Une cible vaut pour un financeur ou pour une mesure, pas les deux.")
    if financeur is not None and financeur.type == TypeOrganisation.ENTREPRISE:
        raise ValidationError("Une entreprise n'instruit pas de demande : pas de cible de délai.")
    jours = _jours(donnees)
    source = donnees.get("source") or ""
    saisie.verifier(source=(source, [saisie.valider_texte]))
    if cible is None:
        if CibleDelai.objects.filter(
            cle=cle_cible(getattr(financeur, "pk", None), getattr(mesure, "pk", None))
        ).exists():
            raise ValidationError("Une cible existe déjà pour celui-ci : modifiez-la.")
        try:
            with transaction.atomic():
                return CibleDelai.objects.create(
                    financeur=financeur, mesure=mesure, source=source, modifie_par=user, **jours
                )
        except IntegrityError as exc:
            raise ValidationError("Une cible existe déjà pour celui-ci : modifiez-la.") from exc
    actuel = CibleDelai.objects.select_for_update().get(pk=cible.pk)
    if version is not None and actuel.version != version:
        raise ConflitEdition(
            [
                (c, getattr(cible, c), getattr(actuel, c))
                for c in (*JOURS, "source")
                if getattr(cible, c) != getattr(actuel, c)
            ]
            or [("version", version, actuel.version)]
        )
    for champ, v in jours.items():
        setattr(actuel, champ, v)
    actuel.source = source
    actuel.version += 1
    actuel.modifie_par, actuel.modifie_le = user, timezone.now()
    actuel.save()
    return actuel


@transaction.atomic
def supprimer_cible(*, user, cible: CibleDelai) -> None:
    exiger(peut_gerer_cible(user, financeur=cible.financeur, mesure=cible.mesure), REFUS_CIBLE)
    cible.delete()


REFUS_ANNONCE = "Seule la délégation nationale saisit les engagements annoncés."
CHAMPS_ANNONCE = ("operateur", "phase", "montant", "date", "source")


def _annonce_valide(annonce: EngagementAnnonce) -> None:
    """The rules of an announced commitment, each refusal in French, nothing written."""
    if annonce.operateur_id and annonce.operateur.type == TypeOrganisation.ENTREPRISE:
        raise ValidationError(
            "Un engagement annoncé est celui d'un opérateur ou d'un financeur public."
        )
    annonce.full_clean()
    saisie.pas_dans_le_futur(annonce.date, "La date de l'annonce")


def exiger_annonce(user) -> None:
    """Refuses whoever may not enter an announced commitment (404 on pages, 403 in the API)."""
    exiger(peut_annoncer(user), REFUS_ANNONCE)


@transaction.atomic
def annoncer_engagement(*, user, operateur, phase, montant, date, source: str) -> EngagementAnnonce:
    """Records what an operator announced it would commit in a phase, with its source."""
    exiger_annonce(user)
    annonce = EngagementAnnonce(
        operateur=operateur,
        phase_id=getattr(phase, "pk", phase),
        montant=montant,
        date=date,
        source=source,
        par=user,
    )
    _annonce_valide(annonce)
    annonce.save()
    return annonce


@transaction.atomic
def modifier_engagement_annonce(
    *, user, annonce: EngagementAnnonce, version: int, donnees: dict
) -> EngagementAnnonce:
    """Changes `annonce` as read at `version`: someone saved in between, ConflitEdition and
    nothing written. `donnees` names any of CHAMPS_ANNONCE (phase: the Phase or its key)."""
    exiger_annonce(user)
    actuel = EngagementAnnonce.objects.select_for_update().get(pk=annonce.pk)
    if actuel.version != version:
        raise ConflitEdition(
            [
                (c, getattr(annonce, c), getattr(actuel, c))
                for c in ("operateur_id", "phase_id", "montant", "date", "source")
                if getattr(annonce, c) != getattr(actuel, c)
            ]
            or [("version", version, actuel.version)]
        )
    for champ, valeur in donnees.items():
        if champ not in CHAMPS_ANNONCE:
            raise ValidationError(f"Champ inconnu : « {champ} ».")
        if champ == "phase":
            actuel.phase_id = getattr(valeur, "pk", valeur)
        else:
            setattr(actuel, champ, valeur)
    _annonce_valide(actuel)
    actuel.version += 1
    actuel.par, actuel.le = user, timezone.now()
    actuel.save()
    return actuel


@transaction.atomic
def supprimer_engagement_annonce(*, user, annonce: EngagementAnnonce, version: int) -> None:
    """Deletes `annonce` as read at `version` (changed in between: ConflitEdition)."""
    exiger_annonce(user)
    actuel = EngagementAnnonce.objects.select_for_update().filter(pk=annonce.pk).first()
    if actuel is None:
        return  # already gone: nothing to overwrite
    if actuel.version != version:
        raise ConflitEdition([("version", version, actuel.version)])
    actuel.delete()
