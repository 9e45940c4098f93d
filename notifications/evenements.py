"""The domain's writes that notify, connected by NotificationsConfig.ready(): the lower
floors send their ordinary post_save signals and know nothing of this floor (docs/adr/0002).

A receiver only asks for the work to be done after the commit (`transaction.on_commit`):
a write that is rolled back notifies nobody, and the page or API call that caused it has
answered its database work before any mail is tried. Whatever fails then is logged, never
raised: the request that caused it neither blocks nor breaks (docs/adr/0014)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from contrats.models import Avenant, Contrat, Signataire
from evaluations.models import TransitionEvaluation
from fiches.models import Transition
from financements.models import Ajustement, Engagement, Paiement
from gouvernance.models import Participant, PointOrdreDuJour, Reunion

from . import annonces, annonces_evaluations

logger = logging.getLogger(__name__)
_suspendues: ContextVar[bool] = ContextVar("notifications_suspendues", default=False)


@contextmanager
def sans_notifications():
    """Loading the demo (or any bulk replay of the past): its writes notify nobody. Usable
    as a decorator."""
    jeton = _suspendues.set(True)
    try:
        yield
    finally:
        _suspendues.reset(jeton)


def _apres_commit(fonction, *args) -> None:
    if not _suspendues.get():
        transaction.on_commit(partial(_faire, fonction, *args))


def _faire(fonction, *args) -> None:
    try:
        fonction(*args)
    except Exception:
        logger.exception("Notifications non écrites : %s%s", fonction.__name__, args)


# --- Receivers -------------------------------------------------------------------------------


def _transition(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _apres_commit(annonces.transition, instance.pk)


def _argent(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _apres_commit(annonces.argent, sender, instance.pk)


def _evaluation(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _apres_commit(annonces_evaluations.mouvement, instance.pk)


def _signataire(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _apres_commit(annonces.signature, instance.pk)


def _document(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # contrats.cycle.valider saves the validation alone: the signatures are then awaited.
    if not raw and update_fields and "validation" in update_fields and instance.validation_id:
        _apres_commit(annonces.document_valide, sender, instance.pk)


def _participant(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.personne_id:
        _apres_commit(annonces.invitation, instance.pk)


CHAMPS_REUNION = {"debut": "date", "fin": "fin", "lieu": "lieu"}


def _reunion_avant(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._avant = None
    if raw or instance.pk is None or _suspendues.get():
        return
    if update_fields is not None and not set(update_fields) & set(CHAMPS_REUNION):
        return  # a report, a flag: nothing the invited need to know
    instance._avant = (
        Reunion.objects.filter(pk=instance.pk).values(*CHAMPS_REUNION, "annulee_le").first()
    )


def _heure(valeur) -> str:
    if valeur is None:
        return "non précisée"
    if hasattr(valeur, "tzinfo"):
        return f"{timezone.localtime(valeur):%d/%m/%Y à %H:%M}"
    return str(valeur) or "non précisé"


def _reunion(sender, instance, created, raw=False, **kwargs):
    avant = getattr(instance, "_avant", None)
    if created or raw or not avant:
        return
    if avant["annulee_le"] is None and instance.annulee_le is not None:
        # gouvernance.reunions.annuler: the invited hear it was cancelled, and why.
        _apres_commit(annonces.reunion_annulee, instance.pk)
        return
    changes = [
        f"{nom} : {_heure(avant[champ])} → {_heure(getattr(instance, champ))}"
        for champ, nom in CHAMPS_REUNION.items()
        if avant[champ] != getattr(instance, champ)
    ]
    if changes:
        _apres_commit(annonces.reunion_changee, instance.pk, " ; ".join(changes) + ".")


def _point_ajoute(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        texte = f"ordre du jour : point ajouté, « {instance.intitule} »."
        _apres_commit(annonces.reunion_changee, instance.reunion_id, texte)


def _point_retire(sender, instance, **kwargs):
    texte = f"ordre du jour : point retiré, « {instance.intitule} »."
    _apres_commit(annonces.reunion_changee, instance.reunion_id, texte)


def connecter() -> None:
    recepteurs = [
        (post_save, _transition, Transition),
        (post_save, _signataire, Signataire),
        (post_save, _document, Contrat),
        (post_save, _document, Avenant),
        (post_save, _participant, Participant),
        (pre_save, _reunion_avant, Reunion),
        (post_save, _reunion, Reunion),
        (post_save, _point_ajoute, PointOrdreDuJour),
        (post_delete, _point_retire, PointOrdreDuJour),
        (post_save, _argent, Engagement),
        (post_save, _argent, Paiement),
        (post_save, _argent, Ajustement),
        (post_save, _evaluation, TransitionEvaluation),
    ]
    for signal, recepteur, modele in recepteurs:
        signal.connect(
            recepteur, sender=modele, dispatch_uid=f"notifications.{recepteur.__name__}.{modele}"
        )
