"""What the page and the API of one fiche read besides its own fields and its money: kept per
version of the data (comptes.memoire), since they are read on every visit and change only
with a write.

`annexes()` is the same for whoever may see the fiche (the caller has checked that): its
lists, indicators, history and exchanges, none of them secret. `similaires_visibles()`
depends on what the reader may see: kept per reader. Neither reads a secret field, so
neither skips a logged read (comptes.secrets.champs stays with the caller).
"""

from __future__ import annotations

from dataclasses import dataclass

from comptes.memoire import memoriser

from .models import FicheAction
from .selectors import fiches_visibles
from .similarite import similaires


@dataclass
class Annexes:
    partenaires: list
    epcis: list
    communes: list
    mesures: list
    indicateurs: list  # with their values
    transitions: list  # in the order of their date of effect, then of their recording
    notes: list
    pieces_jointes: list  # newest first
    commentaires: list


def _lire(f: FicheAction) -> Annexes:
    return Annexes(
        partenaires=list(f.partenaires.all()),
        epcis=list(f.epcis.all()),
        communes=list(f.communes.all()),
        mesures=list(f.mesures.all()),
        indicateurs=list(f.indicateurs.prefetch_related("valeurs").order_by("pk")),
        transitions=list(
            f.transitions.select_related("par__personne", "decision").order_by(
                "date_effet", "le", "pk"
            )
        ),
        notes=list(f.notes.select_related("auteur__personne")),
        pieces_jointes=list(
            f.pieces_jointes.select_related("ajoute_par__personne").order_by("-le", "-pk")
        ),
        commentaires=list(f.commentaires.select_related("auteur__personne")),
    )


def annexes(f: FicheAction) -> Annexes:
    """The fiche's partners, EPCIs, communes, measures, indicators, history, notes,
    attachments and comments, read once per version of the data."""
    return memoriser("fiche-annexes", str(f.pk), None, lambda: _lire(f))


def similaires_visibles(user, f: FicheAction) -> list[tuple[FicheAction, float]]:
    """The fiches of other territories closest to this one among those `user` may see
    (fiches.similarite), once per version of the data and reader."""
    return memoriser(
        "fiche-similaires", str(f.pk), user, lambda: similaires(f, fiches_visibles(user))
    )
