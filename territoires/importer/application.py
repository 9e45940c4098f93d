"""Applying a list read from a file: the map of its phase brought in line with it, as dated
changes resting on one decision, through territoires.services. All or nothing."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from referentiel.imports import ImportInvalide

from .. import services
from ..models import Decision, Instance, Perimetre, Phase, Territoire
from ..selectors import noms_a
from .groupements import regle_groupements
from .lecture import Liste, parse
from .rapport import EcartDeForme, Noms, Rapport


def importer(
    content: bytes | Path,
    *,
    phase: Phase,
    date: Date,
    instance: str = Instance.DELEGATION,
    intitule: str = "",
    texte: str = "",
    retirer_absents: bool = True,
    dry_run: bool = False,
) -> Rapport:
    """Brings the map of `phase` in line with the file, as of `date`. All or nothing."""
    start = time.perf_counter()
    if isinstance(content, Path):
        content = content.read_bytes()
    liste, rapport = parse(content)
    rapport.dry_run = dry_run
    decision = _Decision(phase, date, instance, intitule, texte)
    try:
        with transaction.atomic():
            _apply(liste, rapport, phase, date, decision, retirer_absents)
            if dry_run:  # everything checked and reported, nothing kept
                transaction.set_rollback(True)
    except ValidationError as exc:
        raise ImportInvalide(
            [f"Le fichier contredit la carte actuelle : {m}" for m in exc.messages]
        ) from exc
    rapport.secondes = time.perf_counter() - start
    return rapport


class _Decision:
    """The decision every change of the import rests on, created with the first change (a
    list that changes nothing leaves no decision)."""

    def __init__(self, phase: Phase, date: Date, instance: str, intitule: str, texte: str):
        self.phase, self.date, self.instance = phase, date, instance
        self.intitule, self.texte = intitule, texte
        self._decision: Decision | None = None

    def __call__(self) -> Decision:
        if self._decision is None:
            self._decision = Decision.objects.create(
                date=self.date,
                instance=self.instance,
                intitule=self.intitule
                or f"Liste officielle des Territoires d'industrie ({self.phase.nom})",
                texte=self.texte,
            )
        return self._decision


@dataclass
class _Carte:
    """The map of the phase at the date of the list: the file states the map at its date,
    so a list imported again after later decisions still changes nothing."""

    tenues: dict[str, set[str]]  # territory code -> its communes
    tenue_par: dict[str, set[str]]  # commune -> the territories holding it
    existants: dict[str, Territoire]
    noms_alors: dict[int, str]

    @classmethod
    def lire(cls, phase: Phase, date: Date) -> _Carte:
        rows = Perimetre.objects.a_date(date).filter(territoire__phase=phase)
        tenues: dict[str, set[str]] = defaultdict(set)
        tenue_par: dict[str, set[str]] = defaultdict(set)
        for code, commune in rows.values_list("territoire__code", "commune_id"):
            tenues[code].add(commune)
            tenue_par[commune].add(code)
        existants = {t.code: t for t in Territoire.objects.filter(phase=phase, code__in=tenues)}
        noms_alors = noms_a(date, [t.pk for t in existants.values()])
        return cls(tenues, tenue_par, existants, noms_alors)


@dataclass
class _Operation:
    territoire: Territoire
    sens: str  # "entree" or "sortie"
    communes: set[str]
    description: str = ""
    details: dict | None = None


def _operations(liste: Liste, carte: _Carte, rapport: Rapport) -> list[_Operation]:
    """What changes in each existing territory: a commune list is read literally; a
    groupement list through its rule, whose differences of form go to the report."""
    noms = Noms()
    operations: list[_Operation] = []
    for code, lu in sorted(liste.territoires.items()):
        t = carte.existants.get(code)
        if t is None:
            continue
        tenues = carte.tenues[code]
        if liste.index is None:
            enlever, ajouter = tenues - lu.communes, lu.communes - tenues
            if enlever:
                operations.append(_Operation(t, "sortie", enlever))
            if ajouter:
                operations.append(_Operation(t, "entree", ajouter))
            continue
        index = liste.index
        plan = regle_groupements(tenues, lu.groupements, lu.nommees, index.membres, index.unite)
        for mv in plan.mouvements:
            operations.append(_Operation(t, mv.sens, mv.communes, *noms.mouvement(mv)))
        for e in plan.ecarts:
            texte = noms.ecart(e, code, carte.tenue_par)
            rapport.ecarts.append(EcartDeForme(code, texte, sorted(e.communes)))
    return operations


def _apply(
    liste: Liste,
    rapport: Rapport,
    phase: Phase,
    date: Date,
    decision: _Decision,
    retirer_absents: bool,
) -> None:
    carte = _Carte.lire(phase, date)
    operations = _operations(liste, carte, rapport)
    # Removals first, so that a commune moving between territories is free when added.
    if retirer_absents:
        _retirer_absents(liste, carte, decision, rapport)
    _changer(operations, "sortie", liste, decision, rapport)
    _creer(liste, carte, phase, decision, rapport)
    _changer(operations, "entree", liste, decision, rapport)
    _renommer(liste, carte, decision, rapport)


def _retirer_absents(liste: Liste, carte: _Carte, decision: _Decision, rapport: Rapport):
    for code, t in sorted(carte.existants.items()):
        if code not in liste.territoires:
            services.retirer_territoire(territoire=t, decision=decision())
            rapport.retires.append(code)


def _changer(operations, sens: str, liste: Liste, decision: _Decision, rapport: Rapport):
    for op in operations:
        if op.sens != sens:
            continue
        kwargs = {
            "territoire": op.territoire,
            "communes": op.communes,
            "decision": decision(),
            "description": op.description,
            "details": op.details,
        }
        if sens == "sortie":
            ch = services.retirer_communes(**kwargs)
        else:
            ch = services.ajouter_communes(**kwargs, partagees=liste.partagees)
        rapport.noter_modification(op.territoire.code, ch.description)


def _creer(liste: Liste, carte: _Carte, phase: Phase, decision: _Decision, rapport: Rapport):
    for code, lu in sorted(liste.territoires.items()):
        if code not in carte.existants:
            services.creer_territoire(
                phase=phase,
                code=code,
                nom=lu.nom,
                communes=lu.communes,
                decision=decision(),
                partagees=liste.partagees,
            )
            rapport.crees.append(code)


def _renommer(liste: Liste, carte: _Carte, decision: _Decision, rapport: Rapport):
    for code, lu in sorted(liste.territoires.items()):
        t = carte.existants.get(code)
        if t is not None and lu.nom != carte.noms_alors.get(t.pk, t.nom):
            ch = services.renommer_territoire(territoire=t, nom=lu.nom, decision=decision())
            rapport.renommes.append(code)
            rapport.noter(code, ch.description)
