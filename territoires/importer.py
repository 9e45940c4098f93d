"""Import of an official list of territories, in either shape the open data portal publishes.

- commune level: `insee_com,lib_com,id_ti,lib_ti` (phase 2) or `insee_com,code_ti,lib_ti`
  (the phase-1 list shipped in data/territoires);
- groupement level: `id_ti,lib_ti,siren_groupement,lib_groupement,nature_juridique`.

All or nothing: the whole file is checked first; any error names its line and nothing is
written. A second run of the same file changes nothing; a newer file is applied as dated
changes resting on one decision (see territoires.services).
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from referentiel.models import EPCI, AncienCode, Commune
from referentiel.validators import is_valid_insee_commune, is_valid_siren

from . import services
from .models import Decision, Instance, Perimetre, Phase, Territoire

CODE_TI = re.compile(r"^(?:ti-)?(\d{3,8})$", re.IGNORECASE)
COMMUNE_COLUMNS = ("insee_com",)
GROUPEMENT_COLUMNS = ("siren_groupement",)
MAX_ERRORS = 50


class ImportInvalide(Exception):
    """The file cannot be imported; `erreurs` lists each problem with its line."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass
class Rapport:
    forme: str = ""
    lignes: int = 0
    territoires: int = 0
    communes: int = 0
    via_anciens_codes: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    renommes: list[str] = field(default_factory=list)
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def inchange(self) -> bool:
        return not (self.crees or self.modifies or self.retires or self.renommes)

    def lignes_texte(self) -> list[str]:
        out = [
            f"Forme du fichier : {self.forme} ({self.lignes} lignes).",
            f"{self.territoires} territoires, {self.communes} communes "
            f"(dont {self.via_anciens_codes} retrouvées par leur ancien code).",
        ]
        if self.inchange:
            out.append("Aucun changement : la carte est déjà à jour.")
        for label, items in (
            ("créés", self.crees),
            ("modifiés", self.modifies),
            ("retirés", self.retires),
            ("renommés", self.renommes),
        ):
            if items:
                out.append(
                    f"Territoires {label} ({len(items)}) : {', '.join(items[:20])}"
                    + (" …" if len(items) > 20 else "")
                )
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        out.append(f"Durée : {self.secondes:.2f} s.")
        return out


def _read_rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, list(reader)


def _commune_index() -> tuple[set[str], dict[str, str]]:
    current = set(Commune.objects.values_list("code", flat=True))
    former = dict(AncienCode.objects.values_list("code", "commune_id"))
    return current, former


def parse(content: bytes) -> tuple[str, dict[str, tuple[str, set[str]]], Rapport]:
    """Checks a whole file and returns its territories {code: (nom, commune codes)}."""
    rapport = Rapport()
    try:
        header, rows = _read_rows(content)
    except (csv.Error, UnboundLocalError) as exc:
        raise ImportInvalide([f"Fichier illisible : {exc}."]) from exc
    code_col = "id_ti" if "id_ti" in header else "code_ti" if "code_ti" in header else None
    if "insee_com" in header and code_col and "lib_ti" in header:
        forme = "communes"
    elif {"id_ti", "lib_ti", "siren_groupement"} <= set(header):
        forme = "groupements"
    else:
        raise ImportInvalide(
            [
                "Ligne 1 : en-tête non reconnu "
                f"({', '.join(header) or 'vide'}). Colonnes attendues : "
                "« insee_com, lib_com, id_ti, lib_ti », « insee_com, code_ti, lib_ti » ou "
                "« id_ti, lib_ti, siren_groupement, lib_groupement, nature_juridique »."
            ]
        )
    if not rows:
        raise ImportInvalide(["Le fichier ne contient aucune ligne de données."])
    rapport.forme = forme
    rapport.lignes = len(rows)

    current, former = _commune_index()
    epcis: set[str] = set()
    members: dict[str, set[str]] = {}
    if forme == "groupements":
        epcis = set(EPCI.objects.values_list("siren", flat=True))
        for code, epci, ept in Commune.objects.values_list("code", "epci_id", "ept_id"):
            members.setdefault(epci, set()).add(code)
            if ept:
                members.setdefault(ept, set()).add(code)

    erreurs: list[str] = []
    territoires: dict[str, tuple[str, set[str]]] = {}
    owner: dict[str, tuple[str, int]] = {}  # commune -> (territory, line) to catch overlaps
    for i, row in enumerate(rows, start=2):
        if len(erreurs) >= MAX_ERRORS:
            erreurs.append(f"… arrêt après {MAX_ERRORS} erreurs.")
            break
        if None in row:
            erreurs.append(f"Ligne {i} : trop de colonnes.")
            continue
        raw_code = (row.get(code_col if forme == "communes" else "id_ti") or "").strip()
        nom = (row.get("lib_ti") or "").strip()
        m = CODE_TI.match(raw_code)
        if not m:
            erreurs.append(f"Ligne {i} : code de territoire « {raw_code} » invalide.")
            continue
        code = m.group(1)
        if not nom:
            erreurs.append(f"Ligne {i} : nom du territoire {code} manquant.")
            continue
        prev = territoires.get(code)
        if prev and prev[0] != nom:
            erreurs.append(
                f"Ligne {i} : le territoire {code} porte deux noms (« {prev[0]} » et « {nom} »)."
            )
            continue
        codes: set[str] = set()
        if forme == "communes":
            insee = (row.get("insee_com") or "").strip()
            if len(insee) == 4 and insee.isdigit():
                insee = "0" + insee  # leading zero lost by a spreadsheet
            if not is_valid_insee_commune(insee):
                erreurs.append(f"Ligne {i} : code INSEE de commune « {insee} » invalide.")
                continue
            if insee in current:
                codes = {insee}
            elif insee in former:
                codes = {former[insee]}
                rapport.via_anciens_codes += 1
            else:
                erreurs.append(
                    f"Ligne {i} : commune {insee} inconnue du référentiel, "
                    "même parmi les anciens codes."
                )
                continue
        else:
            siren = (row.get("siren_groupement") or "").strip()
            if not is_valid_siren(siren):
                erreurs.append(f"Ligne {i} : SIREN « {siren} » invalide.")
                continue
            if siren not in epcis:
                erreurs.append(f"Ligne {i} : groupement {siren} inconnu du référentiel.")
                continue
            codes = set(members.get(siren, ()))
        for c in codes:
            other = owner.get(c)
            if other and other[0] != code:
                erreurs.append(
                    f"Ligne {i} : la commune {c} est déjà dans le territoire {other[0]} "
                    f"(ligne {other[1]})."
                )
            owner.setdefault(c, (code, i))
        territoires.setdefault(code, (nom, set()))[1].update(codes)
    if erreurs:
        raise ImportInvalide(erreurs)
    rapport.territoires = len(territoires)
    rapport.communes = sum(len(c) for _, c in territoires.values())
    return forme, territoires, rapport


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
    _, voulus, rapport = parse(content)
    rapport.dry_run = dry_run
    try:
        with transaction.atomic():
            _apply(
                voulus,
                rapport,
                phase=phase,
                date=date,
                instance=instance,
                intitule=intitule,
                texte=texte,
                retirer_absents=retirer_absents,
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:
        raise ImportInvalide(
            [f"Le fichier contredit la carte actuelle : {m}" for m in exc.messages]
        ) from exc
    rapport.secondes = time.perf_counter() - start
    return rapport


class _Rollback(Exception):
    pass


def _apply(voulus, rapport: Rapport, *, phase, date, instance, intitule, texte, retirer_absents):
    # The file states the map at `date`: compare with the map of that date, so that a list
    # imported again after later decisions still changes nothing.
    rows = Perimetre.objects.a_date(date).filter(territoire__phase=phase)
    actuels: dict[str, set[str]] = {}
    for code, commune in rows.values_list("territoire__code", "commune_id"):
        actuels.setdefault(code, set()).add(commune)
    existants = {t.code: t for t in Territoire.objects.filter(phase=phase, code__in=actuels)}
    decision = None

    def get_decision():
        nonlocal decision
        if decision is None:
            decision = Decision.objects.create(
                date=date,
                instance=instance,
                intitule=intitule or f"Liste officielle des Territoires d'industrie ({phase.nom})",
                texte=texte,
            )
        return decision

    # Removals first, so that a commune moving between territories is free when added.
    for code, t in sorted(existants.items()):
        if code not in voulus:
            if retirer_absents:
                services.retirer_territoire(territoire=t, decision=get_decision())
                rapport.retires.append(code)
            continue
        enlever = actuels[code] - voulus[code][1]
        if enlever:
            services.retirer_communes(territoire=t, communes=enlever, decision=get_decision())
            rapport.modifies.append(code)
    for code, (nom, communes) in sorted(voulus.items()):
        t = existants.get(code)
        if t is None:
            services.creer_territoire(
                phase=phase, code=code, nom=nom, communes=communes, decision=get_decision()
            )
            rapport.crees.append(code)
            continue
        ajouter = communes - actuels[code]
        if ajouter:
            services.ajouter_communes(territoire=t, communes=ajouter, decision=get_decision())
            if code not in rapport.modifies:
                rapport.modifies.append(code)
        if t.nom != nom:
            t.nom = nom
            t.save(update_fields=["nom", "modifie_le"])
            rapport.renommes.append(code)
