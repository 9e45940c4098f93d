"""Who sees a line's money, on top of the one permission layer (comptes.permissions).

A line's money is seen by whoever sees the line: whoever sees its fiche
(fiches.selectors.fiches_visibles). Its amounts are as secret as the line's amount: where the
line's `montant` is secret, its commitments, payments and adjustments, and the figures summed
from them, are read only with the need to know, through comptes.secrets (the read logged,
the response kept out of caches). Who records it: comptes.permissions, « financer_ligne ».
"""

from __future__ import annotations

from django.db.models import QuerySet

from comptes import secrets
from comptes.permissions import Contexte
from fiches.models import LigneFinancement
from fiches.selectors import fiches_visibles

from .models import Engagement


def lignes_visibles(user) -> QuerySet[LigneFinancement]:
    """The lines whose fiche this person sees (anything else answers 404)."""
    return LigneFinancement.objects.filter(fiche__in=fiches_visibles(user))


def engagements_visibles(user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(ligne__in=lignes_visibles(user))


def montants_lisibles(
    user, ligne: LigneFinancement, *, canal: str = "page", ctx: Contexte | None = None
) -> bool:
    """Whether this person reads the amounts of this line's money: its amount is not secret,
    or they have the need to know (read logged as a read of the line's amount, exactly as
    the fiche's page and API read it). `ctx`: the line's access context if the caller has
    it."""
    [champ] = secrets.champs(user, ligne, ["montant"], canal=canal, ctx=ctx)
    return not champ.masque
