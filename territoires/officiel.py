"""The official map as shipped in data/territoires (see its PROVENANCE.md): which list, for
which phase, from which date, on which decision. `make run` and the test suite load it alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from .importer import Rapport, importer
from .models import Instance, Phase

DEPOT_ANCT = (
    "ANCT, service de cartographie, dépôt public anct-carto/superposeur-anct, fichier "
    "data/geom/geojsonV2/ti_geom.geojson"
)


@dataclass(frozen=True)
class ListeOfficielle:
    fichier: str
    phase: int
    date: date
    instance: str
    intitule: str
    source: str

    @property
    def chemin(self) -> Path:
        return Path(settings.DATA_DIR) / "territoires" / self.fichier


LISTES = [
    ListeOfficielle(
        fichier="territoires-industrie-2019-communes.csv",
        phase=1,
        date=date(2018, 11, 22),
        instance=Instance.CNI,
        intitule="Carte dévoilée au Conseil national de l'industrie du 22 novembre 2018",
        source=(
            "Liste officielle de la phase 1 (ANCT), republiée en octobre 2020 par le projet "
            "public Signaux Faibles (signaux-faibles/datapi, "
            "migrations/201013_0_fix_terrind.sql). Fichier livré : "
            "data/territoires/territoires-industrie-2019-communes.csv."
        ),
    ),
    ListeOfficielle(
        fichier="territoires-industrie-2023-11-communes.csv",
        phase=2,
        date=date(2023, 11, 9),
        instance=Instance.DELEGATION,
        intitule="Les 183 Territoires d'industrie de la phase 2, annoncés le 9 novembre 2023",
        source=(
            f"{DEPOT_ANCT}, version du 7 novembre 2023 (commit b187dd0), Licence Ouverte 2.0. "
            "Fichier livré : data/territoires/territoires-industrie-2023-11-communes.csv."
        ),
    ),
    ListeOfficielle(
        fichier="territoires-industrie-2024-02-groupements.csv",
        phase=2,
        date=date(2024, 2, 26),
        instance=Instance.DELEGATION,
        intitule="Liste des Territoires d'industrie publiée par l'ANCT le 26 février 2024",
        source=(
            f"{DEPOT_ANCT}, version du 26 février 2024 (commit cd27a60), Licence Ouverte 2.0. "
            "Fichier livré : data/territoires/territoires-industrie-2024-02-groupements.csv."
        ),
    ),
    ListeOfficielle(
        fichier="territoires-industrie-2024-09-groupements.csv",
        phase=2,
        date=date(2024, 9, 16),
        instance=Instance.DELEGATION,
        intitule="Liste des Territoires d'industrie publiée par l'ANCT le 16 septembre 2024",
        source=(
            f"{DEPOT_ANCT}, version du 16 septembre 2024 (commit 5c5ffe3), Licence Ouverte "
            "2.0. Fichier livré : data/territoires/territoires-industrie-2024-09-groupements.csv."
        ),
    ),
]


def charger(listes: list[ListeOfficielle] | None = None) -> list[tuple[ListeOfficielle, Rapport]]:
    """Applies the shipped lists in order; idempotent (a second run changes nothing)."""
    phases = {p.pk: p for p in Phase.objects.all()}
    return [
        (
            liste,
            importer(
                liste.chemin,
                phase=phases[liste.phase],
                date=liste.date,
                instance=liste.instance,
                intitule=liste.intitule,
                texte=f"Source : {liste.source}",
            ),
        )
        for liste in (LISTES if listes is None else listes)
    ]
