"""Import: the file checked whole (`lecture`, `rapprochement`), then written in one
transaction through fiches.services, all or nothing; the report of what changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from comptes.services import ConflitEdition
from referentiel import formats, saisie
from referentiel.imports import Erreurs

from .. import services
from ..models import FicheAction
from .colonnes import FICHES, FINANCEMENTS, INDICATEURS
from .lecture import FicheLue, lire_classeur
from .rapprochement import (
    CREER,
    RIEN,
    indicateurs_differents,
    lignes_differentes,
    preparer,
)


@dataclass
class Rapport:
    fiches: int = 0  # rows of each sheet
    financements: int = 0
    indicateurs: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    inchanges: int = 0
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def lignes(self) -> int:
        return self.fiches + self.financements + self.indicateurs

    @property
    def lignes_par_seconde(self) -> float:
        return self.lignes / self.secondes if self.secondes else 0.0

    def lignes_texte(self) -> list[str]:
        out = [
            f"Lignes lues : {self.fiches} fiches, {self.financements} financements, "
            f"{self.indicateurs} indicateurs.",
            f"Fiches créées : {len(self.crees)}{_apercu(self.crees)}.",
            f"Fiches modifiées : {len(self.modifies)}{_apercu(self.modifies)}.",
            f"Fiches inchangées : {self.inchanges}.",
            f"Durée : {_fr(self.secondes, 2)} s ({_fr(self.lignes_par_seconde)} lignes/s).",
        ]
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        return out


def _apercu(refs: list[str]) -> str:
    if not refs:
        return ""
    return " (" + ", ".join(refs[:20]) + (" …" if len(refs) > 20 else "") + ")"


def _fr(x: float, decimales: int = 0) -> str:
    return formats.nombre(round(x, decimales), decimales)


def importer(content: bytes, *, user, dry_run: bool = False) -> Rapport:
    """Brings the fiches of the file into the platform, as `user`. All or nothing."""
    debut = time.perf_counter()
    feuilles = lire_classeur(content)
    rapport = Rapport(
        fiches=len(feuilles[FICHES]),
        financements=len(feuilles[FINANCEMENTS]),
        indicateurs=len(feuilles[INDICATEURS]),
        dry_run=dry_run,
    )
    plan = preparer(feuilles, user)
    erreurs = Erreurs()
    with transaction.atomic():
        for lue, action in plan:
            _appliquer(lue, action, user, rapport, erreurs)
        if erreurs or dry_run:
            transaction.set_rollback(True)
    if erreurs:
        raise erreurs.refus()
    rapport.secondes = time.perf_counter() - debut
    return rapport


def _appliquer(lue: FicheLue, action: str, user, rapport: Rapport, erreurs: Erreurs) -> None:
    """Writes one fiche through fiches.services; a refusal there is an error line too (and
    the whole import is then rolled back)."""
    if action == RIEN:
        rapport.inchanges += 1
        return
    try:
        with transaction.atomic():
            if action == CREER:
                rapport.crees.append(_creer(lue, user).reference)
            else:
                rapport.modifies.append(_modifier(lue, user).reference)
    except (PermissionDenied, ValidationError, ConflitEdition, IntegrityError) as exc:
        erreurs.ajouter(_message(exc, lue), ligne=lue.ligne, feuille=FICHES)


def _message(exc: Exception, lue: FicheLue) -> str:
    if isinstance(exc, ConflitEdition):
        return f"la fiche {lue.reference} a été modifiée entre-temps : réimportez le fichier."
    if isinstance(exc, ValidationError):
        return " ".join(saisie.messages(exc))
    if isinstance(exc, IntegrityError):
        return f"la fiche {lue.reference} contredit une règle de la base ({exc})."
    return str(exc)


def _creer(lue: FicheLue, user) -> FicheAction:
    m2m = {"partenaires": lue.partenaires, "mesures": lue.mesures}
    return services.creer_fiche(
        user=user,
        territoire=lue.territoire,
        donnees=lue.donnees,
        lignes=[p.donnees() for p in lue.lignes],
        m2m={nom: ids for nom, ids in m2m.items() if ids},  # empty sets cost queries for nothing
        indicateurs=[i.donnees() for i in lue.indicateurs],
    )


def _modifier(lue: FicheLue, user) -> FicheAction:
    ancienne = lue.fiche
    m2m = {}
    if lue.partenaires != {p.pk for p in ancienne.partenaires.all()}:
        m2m["partenaires"] = lue.partenaires
    if lue.mesures != {m.pk for m in ancienne.mesures.all()}:
        m2m["mesures"] = lue.mesures
    lignes = [p.donnees() for p in lue.lignes] if lignes_differentes(lue, ancienne) else None
    return services.modifier_fiche(
        user=user,
        fiche=ancienne,
        version=ancienne.version,
        donnees=lue.donnees,
        lignes=lignes,
        m2m=m2m,
        indicateurs=(
            [i.donnees() for i in lue.indicateurs]
            if indicateurs_differents(lue, ancienne)
            else None
        ),
    )
