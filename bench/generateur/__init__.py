"""A national dataset at ten times the programme, for the benchmark (`make bench`).

    generer(echelle=1.0)  # in a configured Django process, on a database that holds the
                          # referential and the official map of both phases and nothing else

At scale 1: about 20,000 fiches on the territories of both phases, 40,000 financing lines with
their commitments and payments, 100,000 moves, 5,000 accounts, 3,000 meetings, 500,000 rows of
the audit log. Deterministic: the same seed gives the same rows (only the `cree_le` and
`modifie_le` stamps that Django sets itself differ).

Written with bulk inserts (`bulk_create`), not through the services: going through
fiches.cycle, financements.cycle and contrats.cycle one move at a time would take about an
hour. The rows are built to hold what the services hold, so that the pages read them as they
would read real ones:
- each fiche walks its path (fiches.cycle.MOUVEMENTS) in date order, a committee move on the
  date of a meeting of the right committee (local, then the COPIL of its région), carrying
  that meeting's decision; it stops where it was meant to, or where the meetings run out;
- its lines are requested the day it is submitted, decided (granted or refused, each decision
  a move) during the instruction, all decided before the fiche is retained;
- a retained fiche is inscribed at the signature of its territory's contract or of the first
  avenant after it, and annexed to that document;
- a granted line of a retained fiche is committed at most its amount, after its decision and
  the retention; payments follow the commitment and never exceed it; nothing is in the future
  of the reference date;
- a firm's fiche keeps its cost and description secret, and its lines their amount;
- bulk inserts send no signal: the audit log gets its own rows, written here.
Nothing checks the financing rules of the measures (rates, ceilings): lines name only measures
that have none.
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

# No date after this one, whatever day the benchmark runs: the same data every time.
REFERENCE = date(2026, 6, 30)
GRAINE = 2026

# Sizes at scale 1 (ten times the programme).
TAILLES = {
    "fiches": 20_000,
    "comptes": 5_000,
    "reunions": 3_000,
    "journal": 500_000,
}


@dataclass
class Contexte:
    """What the steps share: the random source, the referential's shape, what was created."""

    rng: random.Random
    echelle: float
    territoires: list = field(default_factory=list)
    epcis: dict = field(default_factory=dict)  # territory pk -> [EPCI siren]
    region: dict = field(default_factory=dict)  # territory pk -> main région code
    orgs: dict = field(default_factory=dict)
    chefs: dict = field(default_factory=dict)  # territory pk -> Utilisateur (chef de projet)
    comptes: list = field(default_factory=list)
    reunions_locales: dict = field(default_factory=dict)  # territory pk -> [(date, decision)]
    reunions_regionales: dict = field(default_factory=dict)  # région -> [(date, decision)]
    signatures: dict = field(default_factory=dict)  # territory pk -> [(date, contrat, avenant)]
    personnes: dict = field(default_factory=dict)  # (role, territory pk) -> Personne
    retenues: dict = field(default_factory=dict)  # fiche pk -> date it was retained
    lignes_accordees: list = field(default_factory=list)  # granted lines of retained fiches

    def taille(self, nom: str) -> int:
        return max(1, round(TAILLES[nom] * self.echelle))


def generer(echelle: float = 1.0, graine: int = GRAINE, sortie=print) -> dict[str, int]:
    """Builds the dataset; returns the number of rows per kind. Refuses a database that
    already holds fiches (it would not be the same dataset)."""
    from fiches.models import FicheAction
    from territoires.models import Territoire

    from . import acteurs, argent, journal, parcours

    if FicheAction.objects.exists():
        raise RuntimeError(
            "La base contient déjà des fiches : le jeu se construit sur une base neuve."
        )
    if not Territoire.objects.filter(phase_id=1).exists():
        raise RuntimeError("La base n'a pas la carte officielle : lancer load_initial_data.")
    ctx = Contexte(rng=random.Random(graine), echelle=echelle)
    etapes = [
        ("territoires", acteurs.lire_carte),
        ("organisations", acteurs.organisations),
        ("comptes", acteurs.comptes),
        ("réunions", acteurs.reunions),
        ("contrats", argent.contrats),
        ("fiches", parcours.fiches),
        ("argent", argent.engagements),
        ("journal", journal.journal),
        ("index", _indexer),
    ]
    comptes: dict[str, int] = {}
    for nom, etape in etapes:
        debut = time.perf_counter()
        with transaction.atomic():
            comptes.update(etape(ctx) or {})
        sortie(f"  {nom} : {time.perf_counter() - debut:.1f} s")
    return comptes


def _indexer(ctx) -> None:
    """The bulk inserts skip FicheAction.save(): the searched text and the similar fiches' index
    are built here, by the commands that rebuild them after any bulk load."""
    from django.core.management import call_command

    call_command("reindexer_recherche", stdout=io.StringIO())
    call_command("indexer_fiches", stdout=io.StringIO())


def par_lots(model, objets, taille: int = 2000) -> list:
    """bulk_create in batches; returns the objects with their primary keys."""
    return model.objects.bulk_create(objets, batch_size=taille)
