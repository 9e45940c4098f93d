"""A meeting postponed or cancelled: the one module that does it. The invited hear of it
through the meeting's own save (notifications.evenements, floor 9, reads the change), and the
calendar files say it (gouvernance.agenda): a raised SEQUENCE, STATUS:CANCELLED."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.permissions import exiger
from comptes.services import ConflitEdition
from referentiel import saisie

from . import dates
from .models import Reunion
from .permissions import peut_animer


def _a_jour(user, reunion: Reunion, sequence: int | None) -> Reunion:
    """The meeting as it is now, locked; `sequence` as the caller read it, if given, else a
    concurrent change would be silently overwritten."""
    exiger(peut_animer(user, reunion.comite), "Vous ne pouvez pas animer ce comité.")
    actuelle = Reunion.objects.select_for_update().select_related("comite").get(pk=reunion.pk)
    if sequence is not None and sequence != actuelle.sequence:
        raise ConflitEdition(
            [
                ("debut", timezone.localtime(reunion.debut), timezone.localtime(actuelle.debut)),
                ("sequence", sequence, actuelle.sequence),
            ]
        )
    if actuelle.annulee:
        le = timezone.localtime(actuelle.annulee_le)
        raise ValidationError(f"Cette réunion est annulée depuis le {le:%d/%m/%Y}.")
    if actuelle.decisions.exists():
        raise ValidationError("Des décisions ont été prises à cette réunion : elle a eu lieu.")
    return actuelle


@transaction.atomic
def reporter(
    *,
    user,
    reunion: Reunion,
    debut: datetime,
    fin: datetime | None = None,
    lieu: str | None = None,
    sequence: int | None = None,
) -> Reunion:
    """A new date (and possibly place) for a meeting not held yet."""
    r = _a_jour(user, reunion, sequence)
    if fin is not None and fin <= debut:
        raise ValidationError("La fin de la réunion doit suivre son début.")
    if debut == r.debut and (lieu is None or lieu == r.lieu):
        raise ValidationError("Donnez une nouvelle date à la réunion reportée.")
    dates.reunion(r.comite, timezone.localtime(debut).date())
    if lieu is not None:
        saisie.verifier(lieu=(lieu, [saisie.valider_texte]))
        r.lieu = lieu
    r.reportee_du = r.reportee_du or r.debut
    duree = (r.fin - r.debut) if r.fin else None
    r.debut = debut
    r.fin = fin or (debut + duree if duree else None)
    r.sequence += 1
    r.save()
    return r


@transaction.atomic
def annuler(*, user, reunion: Reunion, motif: str, sequence: int | None = None) -> Reunion:
    """A meeting that will not take place: kept, with the reason, and its calendar entry
    cancelled."""
    r = _a_jour(user, reunion, sequence)
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError("Dites pourquoi la réunion est annulée.")
    saisie.verifier(motif=(motif, [saisie.valider_texte]))
    if r.debut <= timezone.now():
        raise ValidationError("Une réunion qui a déjà commencé ne s'annule pas.")
    r.annulee_le = timezone.now()
    r.motif_annulation = motif
    r.sequence += 1
    r.save()
    return r
