"""The work queue of a signed-in person: what waits on them, and what they wait on from others.

Computed from the domain each time, never stored: the fiches whose next move is theirs
(fiches.cycle.MOUVEMENTS and the permission of each move) or that come before a committee
they sit on, the lines they decide, the money they record, the signatures awaited from them,
the meetings they run, and their own fiches waiting on someone else — with whom. Only the
phase in force: a closed phase leaves nothing to do. Only what the person may see: every
source reads the scoped querysets of the permission layer (`*_visibles`) and asks
`comptes.permissions.autoriser`, with the objects' contexts computed once for the whole
queue (a fixed number of queries, whatever the number of items: it is the home page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

from django.db import models
from django.utils import timezone

from comptes.memoire import memoriser
from comptes.permissions import Contexte, Portee, autoriser, portee
from evaluations.file import a_faire
from fiches.models import FicheAction
from territoires.models import Perimetre, Phase
from territoires.selectors import phase_courante, today

from . import liens


class Rubrique(models.TextChoices):
    """The sections of the queue, in the order of the page."""

    FICHES = "fiches", "Fiches à faire avancer"
    EXAMEN = "examen", "Fiches à examiner en comité"
    LIGNES = "lignes", "Lignes de financement à décider"
    ARGENT = "argent", "Engagements et paiements à enregistrer"
    SIGNATURES = "signatures", "Signatures attendues"
    REUNIONS = "reunions", "Réunions à préparer et comptes rendus à rédiger"
    EVALUATIONS = "evaluations", "Évaluations à remplir"
    ATTENTE = "attente", "En attente des autres"


@dataclass(frozen=True)
class Element:
    """One item: what is to be done (or awaited), on which object, since when, by whom."""

    rubrique: str
    libelle: str
    objet: object  # the fiche, the meeting or the document whose page the item opens
    intitule: str
    depuis: Date | None
    aupres_de: str
    detail: str = ""

    @property
    def lien(self) -> str:
        return liens.chemin(self.objet)

    @property
    def a_faire(self) -> bool:
        """Waits on the person (counted in the menu), rather than on others."""
        return self.rubrique != Rubrique.ATTENTE


@dataclass
class File:
    elements: list[Element]

    @property
    def nombre(self) -> int:
        """What waits on the person: the number shown in the menu."""
        return sum(1 for e in self.elements if e.a_faire)

    def rubriques(self) -> list[tuple[Rubrique, list[Element]]]:
        par_rubrique: dict[str, list[Element]] = defaultdict(list)
        for e in self.elements:
            par_rubrique[e.rubrique].append(e)
        return [(r, par_rubrique[r]) for r in Rubrique if par_rubrique[r]]


class Objet:
    """An object as the permission layer reads it (`contexte_acces`), its context computed in
    bulk: `autoriser` then answers without a query."""

    def __init__(self, ctx: Contexte):
        self._ctx = ctx

    def contexte_acces(self) -> Contexte:
        return self._ctx


@dataclass
class Lecteur:
    """The person whose queue it is, and what the sources read once for all of them."""

    user: object
    p: Portee
    phase: Phase
    maintenant: datetime
    aujourdhui: Date
    regions: dict[int, set[str]] = field(default_factory=dict)
    # Only the number is asked (the menu): the sources leave out what serves only the page
    # (since when, with what opinion, on whom one's own fiches wait), never what is counted.
    compter: bool = False
    _a_lire: set[int] = field(default_factory=set)

    def demander_regions(self, territoires: Iterable[int]) -> None:
        self._a_lire.update(territoires)

    def lire_regions(self) -> None:
        """The régions of every territory the sources asked for, in one query (the rule of
        territoires.selectors.regions_des_territoires: the communes' régions today)."""
        if not self._a_lire:
            return
        paires = (
            Perimetre.objects.a_date(self.aujourdhui)
            .filter(territoire_id__in=self._a_lire)
            .values_list("territoire_id", "commune__region_id")
            .distinct()
        )
        for territoire, region in paires:
            self.regions.setdefault(territoire, set()).add(region)

    def contexte_fiche(self, fiche: FicheAction) -> Contexte:
        """FicheAction.contexte_acces, with the régions read once for the whole queue."""
        return Contexte(
            territoires={fiche.territoire_id},
            organisations={fiche.porteur_id},
            regions=set(self.regions.get(fiche.territoire_id, ())),
        )

    def peut(self, action: str, ctx: Contexte) -> bool:
        return autoriser(self.user, action, Objet(ctx))


def intitule_fiche(fiche: FicheAction) -> str:
    return f"{fiche.reference} — {fiche.titre}"


# A source reads its candidates (and asks for the régions it needs), then, once the régions
# are read, turns them into items.
Source = Callable[[Lecteur], Callable[[], list[Element]]]


def _evaluations(lecteur: Lecteur) -> Callable[[], list[Element]]:
    """ÉVALUATIONS À REMPLIR: what evaluations.file says waits on the person — to write and
    submit, to review, to validate — and what the team waits on from others."""
    attentes = a_faire(lecteur.user, lecteur.phase)
    return lambda: [
        Element(
            Rubrique.EVALUATIONS if a.pour_soi else Rubrique.ATTENTE,
            a.libelle,
            a.evaluation,
            f"{a.evaluation.territoire.code} — {a.evaluation.get_nature_display()}",
            a.depuis,
            a.aupres_de,
        )
        for a in attentes
    ]


def _sources() -> list[Source]:
    from .file_argent import argent, lignes
    from .file_fiches import fiches
    from .file_gouvernance import reunions, signatures

    return [fiches, lignes, argent, signatures, reunions, _evaluations]


def file_de_travail(user, compter: bool = False) -> File:
    """The queue of `user` (empty for a visitor or when no phase is in force)."""
    p = portee(user)
    phase = phase_courante() if p.authentifie else None
    if phase is None:
        return File([])
    lecteur = Lecteur(
        user=user,
        p=p,
        phase=phase,
        maintenant=timezone.now(),
        aujourdhui=today(),
        compter=compter,
    )
    suites = [source(lecteur) for source in _sources()]
    lecteur.lire_regions()
    elements = [e for suite in suites for e in suite()]
    # Oldest first within each section: what has waited longest comes first.
    elements.sort(key=lambda e: (e.depuis is None, e.depuis or Date.min))
    return File(elements)


def nombre_a_faire(user) -> int:
    """The number shown in the menu, `File.nombre` of the whole queue, by the same rules on
    the same candidates, without reading what only the queue's page shows.

    Shown on every page of a signed-in person: kept per version of the data, day and person
    (comptes.memoire). Exact: the queue reads journaled data, dates by the day, and the hour
    moves nothing in or out of it (a meeting counts ahead, to prepare, and behind until its
    report, which gouvernance.services lets be written only once it has begun)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return memoriser("travail", "nombre", user, lambda: file_de_travail(user, compter=True).nombre)
