"""The open-data package: built from every file's module into a new folder, described by its
`datapackage.json` (Frictionless Data Package: licence, sources, each file's schema, size,
sha256 and date), validated with the frictionless library, then swapped in whole.

The swap is atomic: the published path (settings.OPENDATA_ROOT) is a symbolic link to the
folder of the last good build, replaced in one `rename`. A build that fails, at any step or at
validation, leaves the previous package served as it was, and removes its own folder.

A file's date is the date of the build that last changed it: a rebuild that writes the same
bytes (same sha256) keeps the date the file had."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import argent, carte, contractualise, projets, scdl, versions
from .fichiers import Ecrit, Fichier, ecrire
from .sources import LICENCE, PLATEFORME

DESCRIPTEUR = "datapackage.json"
NOM_PUBLIE = re.compile(r"^[a-z0-9][a-z0-9-]*(\.schema\.json|\.csv)$|^datapackage\.json$")


def fichiers() -> list[Fichier]:
    """Every file of the public package, in the order the page presents them."""
    return [
        carte.TERRITOIRES,
        carte.EPCIS,
        carte.COMMUNES,
        versions.TERRITOIRES,
        versions.COMMUNES,
        contractualise.DOCUMENTS,
        contractualise.FICHES,
        *argent.FICHIERS,
        scdl.SUBVENTIONS,
        projets.PROJETS,
    ]


def racine() -> Path:
    return Path(settings.OPENDATA_ROOT)


@dataclass(frozen=True)
class Rapport:
    chemin: Path
    ecrits: list[Ecrit]
    secondes: float

    @property
    def octets(self) -> int:
        return sum(e.octets for e in self.ecrits)


class PaquetInvalide(Exception):
    """The package built does not validate: nothing was published."""


def construire(*, valider: bool = True) -> Rapport:
    """Builds, validates and publishes the package; the previous one stays on any failure."""
    debut = time.monotonic()
    publie = racine()
    versions_dir = publie.with_name(f".{publie.name}-versions")
    versions_dir.mkdir(parents=True, exist_ok=True)
    dossier = Path(
        tempfile.mkdtemp(prefix=timezone.now().strftime("%Y%m%d-%H%M%S-"), dir=versions_dir)
    )
    dossier.chmod(0o755)  # mkdtemp's folder is private; the package is public
    try:
        ecrits = [ecrire(f, dossier) for f in fichiers()]
        descripteur = _descripteur(ecrits, precedent=lire_descripteur())
        (dossier / DESCRIPTEUR).write_text(
            json.dumps(descripteur, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if valider:
            erreurs = valider_dossier(dossier)
            if erreurs:
                raise PaquetInvalide("; ".join(erreurs[:20]))
        _publier(dossier, publie, versions_dir)
    except BaseException:
        shutil.rmtree(dossier, ignore_errors=True)
        raise
    return Rapport(publie, ecrits, time.monotonic() - debut)


def _publier(dossier: Path, publie: Path, versions_dir: Path) -> None:
    """Points the published path at `dossier` in one rename, then drops the older builds."""
    if publie.exists() and not publie.is_symlink():
        # A folder left by hand (or an older layout): kept aside, then replaced by the link.
        publie.rename(versions_dir / f"ancien-{time.time_ns()}")
    lien = versions_dir / f".lien-{time.time_ns()}"
    lien.symlink_to(dossier.resolve(), target_is_directory=True)
    lien.replace(publie)
    for autre in versions_dir.iterdir():
        if autre.resolve() != dossier.resolve():
            if autre.is_dir() and not autre.is_symlink():
                shutil.rmtree(autre, ignore_errors=True)
            else:
                autre.unlink(missing_ok=True)


def _descripteur(ecrits: list[Ecrit], precedent: dict | None) -> dict:
    maintenant = timezone.localtime().replace(microsecond=0).isoformat()
    dates = {
        r["name"]: r.get("lastModified")
        for r in (precedent or {}).get("resources", [])
        if r.get("hash")
    }
    empreintes = {r["name"]: r.get("hash") for r in (precedent or {}).get("resources", [])}
    ressources = []
    for e in ecrits:
        f = e.fichier
        empreinte = f"sha256:{e.empreinte}"
        inchange = empreintes.get(f.nom) == empreinte and dates.get(f.nom)
        ressources.append(
            {
                "name": f.nom,
                "path": f.csv,
                "title": f.titre,
                "description": f.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": e.octets,
                "hash": empreinte,
                "lastModified": dates[f.nom] if inchange else maintenant,
                "schema": f.schema_nom,
                "sources": f.sources,
                "licenses": [LICENCE],
            }
        )
    return {
        "name": "territoires-d-industrie",
        "title": "Territoires d'industrie : la carte, les contrats et leur financement",
        "description": "Les données ouvertes du programme national Territoires d'industrie : "
        "la carte des territoires (par phase et par version publiée au CNI), les contrats "
        "signés et leurs fiches-actions sans secret industriel, leur financement agrégé sous "
        "secret statistique, les subventions entre personnes publiques (SCDL) et les projets "
        "au format partagé « projets-territoire ».",
        "licenses": [LICENCE],
        "sources": [PLATEFORME],
        "created": maintenant,
        "resources": ressources,
    }


def valider_dossier(dossier: Path) -> list[str]:
    """The frictionless validation of the package in `dossier`: its errors, in French words."""
    from frictionless import validate

    rapport = validate(str(dossier / DESCRIPTEUR))
    if rapport.valid:
        return []
    return [f"{t.name} : {e.title} ({e.message})" for t in rapport.tasks for e in t.errors] + [
        f"{e.title} ({e.message})" for e in rapport.errors
    ]


def lire_descripteur() -> dict | None:
    """The published package's descriptor, or None if none was built yet."""
    chemin = racine() / DESCRIPTEUR
    try:
        return json.loads(chemin.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def chemin_publie(nom: str) -> Path | None:
    """A file of the published package by its name (its stable address), or None."""
    if not NOM_PUBLIE.match(nom):
        return None
    chemin = racine() / nom
    return chemin if chemin.is_file() else None


def date_de(ressource: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(ressource["lastModified"])
    except (KeyError, TypeError, ValueError):
        return None
