"""Delays past their target: told once to whom the line waits on, and to the fiche's people.

The targets and the lines past them are `suivi`'s (suivi.delais, floor 7): this floor does
not compute them. The daily command hands what suivi finds to `notifier_depassements`; the
key of each notification (line, step, day of the target) makes a second run write nothing
new."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

from fiches.models import LigneFinancement

from .destinataires import Fiche
from .enums import Nature
from .envoi import Message, notifier


@dataclass(frozen=True)
class Depassement:
    """A line past the target of one step of its instruction clock."""

    ligne: LigneFinancement
    etape: str  # the step awaited, in words: « la décision », « l'engagement »…
    echeance: Date  # the day the target fell


def notifier_depassements(depassements: Iterable[Depassement]) -> int:
    """Writes (and sends, for « immédiat ») the notifications of these delays; returns how
    many were written."""
    ecrites = 0
    for d in depassements:
        ligne, fiche = d.ligne, d.ligne.fiche
        gens = Fiche(fiche)
        destinataires = {u.pk: u for u in gens.decident([ligne]) + gens.cote()}
        message = Message(
            Nature.RETARD,
            fiche,
            f"Délai cible dépassé : fiche {fiche.reference}",
            f"Sur la fiche {fiche.reference} « {fiche.titre} », {d.etape} de la ligne de "
            f"{ligne.financeur.nom} était attendue au plus tard le {d.echeance:%d/%m/%Y}.",
            cle=f"retard:{ligne.pk}:{d.etape}:{d.echeance:%Y-%m-%d}"[:100],
        )
        ecrites += len(notifier(destinataires.values(), message))
    return ecrites
