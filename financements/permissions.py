"""Who sees a line's money, on top of the one permission layer (comptes.permissions).

A line's money is seen by whoever sees the line: whoever sees its fiche
(fiches.selectors.fiches_visibles). Its amounts are as secret as the line's amount: where the
line's `montant` is secret, its commitments, payments and adjustments, and the figures summed
from them, are read only with the need to know, through comptes.secrets (the read logged,
the response kept out of caches). Who records it: comptes.permissions, « financer_ligne ».
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import QuerySet

from comptes import secrets
from comptes.permissions import Contexte
from fiches.models import LigneFinancement
from fiches.selectors import fiches_visibles

from .cycle import LIGNES_ACCORDEES
from .models import Engagement
from .selectors import Argent, annoter, argent, etapes


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


@dataclass
class ArgentLu:
    """A line's money as one person may read it: where its amount is secret for them, every
    amount is None and `masque` is set (the dates and references stay: no firm's figure)."""

    masque: bool
    argent: Argent
    engagements: list[Engagement] = field(default_factory=list)


def lire(user, ligne: LigneFinancement, *, canal: str = "page", ctx: Contexte | None = None):
    """The money of a line this person sees (the caller took it from `lignes_visibles`)."""
    lisible = montants_lisibles(user, ligne, canal=canal, ctx=ctx)
    engagements = etapes(ligne)
    if not lisible:
        # Masked at the source: no page or answer built from these rows can show an amount.
        for e in engagements:
            e.montant = e.net = e.paye = e.reste = None
            for pas in (*e.paiements.all(), *e.ajustements.all()):
                pas.montant = None
    a = argent(ligne)
    if not lisible:
        a = replace(a, accorde=None, engage=None, paye=None)
    return ArgentLu(not lisible, a, engagements)


def lire_lignes(
    user, lignes, *, lisibles: dict[int, bool] | None = None, canal: str = "page"
) -> dict[int, ArgentLu]:
    """The money of a fiche's granted lines (already loaded, each with its `fiche`), in one
    query, as this person may read it. `lisibles`: whether each line's amount is readable,
    when the caller has already asked comptes.secrets (the read is then not logged twice)."""
    accordees = [li for li in lignes if li.statut in LIGNES_ACCORDEES]
    # Lines already read with their money (financements.selectors.annoter) are not read again.
    annotees = {li.pk: li for li in accordees if hasattr(li, "engage")}
    a_lire = [x.pk for x in accordees if x.pk not in annotees]
    if a_lire:
        annotees |= {li.pk: li for li in annoter(LigneFinancement.objects.filter(pk__in=a_lire))}
    out = {}
    for li in accordees:
        lisible = (lisibles or {}).get(li.pk)
        if lisible is None:
            lisible = montants_lisibles(user, li, canal=canal)
        a = argent(annotees[li.pk])
        out[li.pk] = ArgentLu(
            not lisible, a if lisible else replace(a, accorde=None, engage=None, paye=None)
        )
    return out
