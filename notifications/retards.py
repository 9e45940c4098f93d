"""Delays past their target: told once to whom the line waits on, and to the fiche's people.

The targets and the lines past them are `suivi`'s (suivi.delais, floor 7): this floor does
not compute them. The daily command (`envoyer_recapitulatif`) asks suivi for every line of the
programme past its target (`notifier_retards`) and hands them to `notifier_depassements`; the
key of each notification (line, step, day of the target) makes a second run write nothing
new, and a target moved later or earlier is a new day, told again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

from fiches.models import LigneFinancement
from suivi import delais

from .destinataires import Fiche
from .enums import Nature
from .envoi import Message, notifier

# The step a late line waits for, in words (suivi.delais.ETAPES).
ETAPE_ATTENDUE = {
    "decision": "la décision",
    "engagement": "l'engagement",
    "paiement": "le premier paiement",
}


@dataclass(frozen=True)
class Depassement:
    """A line past the target of one step of its instruction clock."""

    ligne: LigneFinancement
    etape: str  # the step awaited, in words: « la décision », « l'engagement »…
    echeance: Date  # the day the target fell


def depassements(aujourdhui: Date | None = None) -> list[Depassement]:
    """Every line of the programme past its target today (suivi.delais), its line read once."""
    retards = delais.en_retard_dans_le_programme(aujourdhui)
    lignes = LigneFinancement.objects.select_related(
        "financeur", "fiche", "fiche__territoire"
    ).in_bulk([a.ligne_id for a in retards])
    return [
        Depassement(lignes[a.ligne_id], ETAPE_ATTENDUE[a.etape], a.echeance)
        for a in retards
        if a.ligne_id in lignes
    ]


def notifier_depassements(depassements: Iterable[Depassement]) -> int:
    """Writes (and sends, for « immédiat ») the notifications of these delays; returns how
    many were written."""
    ecrites = 0
    gens_de: dict[int, Fiche] = {}  # a fiche's people, read once per run
    for d in depassements:
        ligne, fiche = d.ligne, d.ligne.fiche
        gens = gens_de.setdefault(fiche.pk, Fiche(fiche))
        destinataires = {u.pk: u for u in gens.decident([ligne]) + gens.cote()}
        message = Message(
            Nature.RETARD,
            fiche,
            f"Délai cible dépassé : fiche {fiche.reference}",
            f"Sur la fiche {fiche.reference} « {fiche.titre} », la ligne de "
            f"{ligne.financeur.nom} attend {d.etape} : délai cible au plus tard le "
            f"{d.echeance:%d/%m/%Y}, dépassé.",
            cle=f"retard:{ligne.pk}:{d.etape}:{d.echeance:%Y-%m-%d}"[:100],
        )
        ecrites += len(notifier(destinataires.values(), message))
    return ecrites


def notifier_retards(aujourdhui: Date | None = None) -> int:
    """The daily run: every delay passed in the programme, told to whom it concerns."""
    return notifier_depassements(depassements(aujourdhui))
