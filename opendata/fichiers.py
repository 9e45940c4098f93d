"""What every file of the package is: a CSV (UTF-8, comma) and its Table Schema.

A file is declared once (`Fichier`): its name, title, description, sources and fields; its
rows come from the domain module that builds it. Writing turns values into the Table Schema's
lexical forms (ISO dates, a dot for decimals, `true`/`false`), an empty cell for a missing
value."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from decimal import Decimal
from pathlib import Path


def champ(nom: str, type_: str, titre: str, description: str = "", **contraintes) -> dict:
    """A Table Schema field; `requis=True` and the other constraints (enum, pattern…)."""
    out: dict = {"name": nom, "type": type_, "title": titre}
    if description:
        out["description"] = description
    if contraintes.pop("requis", False):
        contraintes["required"] = True
    fmt = contraintes.pop("format", None)
    if fmt:
        out["format"] = fmt
    extra = {k: contraintes.pop(k) for k in ("trueValues", "falseValues") if k in contraintes}
    out.update(extra)
    if contraintes:
        out["constraints"] = contraintes
    return out


@dataclass(frozen=True)
class Fichier:
    """One CSV of the package with its Table Schema."""

    nom: str  # the resource's name; the file is `<nom>.csv`, its schema `<nom>.schema.json`
    titre: str
    description: str
    champs: list[dict]
    lignes: Callable[[], Iterable[dict]]
    sources: list[dict] = field(default_factory=list)
    cle_primaire: list[str] = field(default_factory=list)
    schema_extra: dict = field(default_factory=dict)  # e.g. the published schema it follows

    @property
    def csv(self) -> str:
        return f"{self.nom}.csv"

    @property
    def schema_nom(self) -> str:
        return f"{self.nom}.schema.json"

    def schema(self) -> dict:
        out = {**self.schema_extra, "fields": self.champs, "missingValues": [""]}
        if self.cle_primaire:
            out["primaryKey"] = self.cle_primaire
        return out


def texte(valeur) -> str:
    """A value as the Table Schema reads it back."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    if isinstance(valeur, datetime):
        return valeur.isoformat()
    if isinstance(valeur, Date):
        return valeur.isoformat()
    if isinstance(valeur, list | tuple | set):
        return ";".join(str(v) for v in valeur)
    return str(valeur)


@dataclass(frozen=True)
class Ecrit:
    """A file as written: what the package's descriptor says of it."""

    fichier: Fichier
    lignes: int
    octets: int
    empreinte: str  # sha256 of the CSV


def ecrire(fichier: Fichier, dossier: Path) -> Ecrit:
    """Writes `<nom>.csv` and `<nom>.schema.json` into `dossier`."""
    noms = [c["name"] for c in fichier.champs]
    chemin = dossier / fichier.csv
    n = 0
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(noms)
        for ligne in fichier.lignes():
            inconnus = set(ligne) - set(noms)
            if inconnus:
                raise ValueError(f"{fichier.nom} : colonnes hors schéma {sorted(inconnus)}")
            w.writerow([texte(ligne.get(nom)) for nom in noms])
            n += 1
    (dossier / fichier.schema_nom).write_text(
        json.dumps(fichier.schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    contenu = chemin.read_bytes()
    return Ecrit(fichier, n, len(contenu), hashlib.sha256(contenu).hexdigest())
