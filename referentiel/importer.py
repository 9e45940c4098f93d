"""Loads the shipped snapshot of the referential (data/referentiel) into the database.

Idempotent: rows are compared on their natural keys (INSEE code, SIREN) and only what differs
is written; a second run reports no change. A dry run checks and counts, then rolls back.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import (
    EPCI,
    AncienCode,
    Commune,
    Contour,
    Departement,
    ImportReferentiel,
    NiveauContour,
    Region,
)
from .validators import is_valid_insee_commune, is_valid_siren

CONTOUR_FILES = {
    NiveauContour.REGION: "contours-regions.geojson.xz",
    NiveauContour.DEPARTEMENT: "contours-departements.geojson.xz",
    NiveauContour.EPCI: "contours-epci.geojson.xz",
}


def snapshot_dir() -> Path:
    return Path(settings.DATA_DIR) / "referentiel"


@dataclass
class Rapport:
    millesime: str = ""
    empreinte: str = ""
    crees: dict[str, int] = field(default_factory=dict)
    modifies: dict[str, int] = field(default_factory=dict)
    totaux: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def inchange(self) -> bool:
        return not any(self.crees.values()) and not any(self.modifies.values())

    def lignes_texte(self) -> list[str]:
        out = [f"Référentiel millésime {self.millesime} (empreinte {self.empreinte[:12]})."]
        for nom, total in self.totaux.items():
            out.append(
                f"{nom} : {total} au total, {self.crees.get(nom, 0)} créé(s), "
                f"{self.modifies.get(nom, 0)} modifié(s)."
            )
        if self.inchange:
            out.append("Aucun changement : la base est déjà à jour.")
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        out.append(f"Durée : {self.secondes:.2f} s.")
        return out


def _read_xz_json(path: Path):
    return json.loads(lzma.decompress(path.read_bytes()))


def _validate(data: dict) -> None:
    errors = []
    for e in data["epci"]:
        if not is_valid_siren(e["siren"]):
            errors.append(f"SIREN invalide : {e['siren']} ({e['nom']})")
    for c in data["communes"]:
        if not is_valid_insee_commune(c["code"]):
            errors.append(f"Code INSEE invalide : {c['code']} ({c['nom']})")
        if c.get("siren") and not is_valid_siren(c["siren"]):
            errors.append(f"SIREN invalide : {c['siren']} ({c['nom']})")
    if errors:
        raise ValidationError(errors[:20])


def _sync(
    model,
    rows: list[dict],
    key: str,
    fields: list[str],
    rapport: Rapport,
    label: str,
    *,
    existing=None,
    batch_size: int = 2000,
):
    """Creates missing rows and updates changed ones; never deletes (rows may be referenced).
    `existing`: the stored rows to compare with (all of the model's by default)."""
    existing = {getattr(o, key): o for o in (model.objects.all() if existing is None else existing)}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = False
        for f in fields:
            if getattr(obj, f) != row[f]:
                setattr(obj, f, row[f])
                changed = True
        if changed:
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=batch_size)
    rapport.crees[label] = len(to_create)
    rapport.modifies[label] = len(to_update)
    rapport.totaux[label] = len(rows)


def importer(directory: Path | None = None, *, dry_run: bool = False) -> Rapport:
    start = time.perf_counter()
    directory = directory or snapshot_dir()
    main = directory / "referentiel.json.xz"
    digest = hashlib.sha256(main.read_bytes())
    for name in CONTOUR_FILES.values():
        digest.update((directory / name).read_bytes())
    data = _read_xz_json(main)
    _validate(data)
    rapport = Rapport(millesime=data["millesime"], empreinte=digest.hexdigest(), dry_run=dry_run)
    with transaction.atomic():
        _load(data, directory, rapport)
        if not rapport.inchange:
            ImportReferentiel.objects.create(
                millesime=rapport.millesime,
                empreinte=rapport.empreinte,
                rapport={"crees": rapport.crees, "modifies": rapport.modifies},
            )
        if dry_run:  # everything checked and counted, nothing kept
            transaction.set_rollback(True)
    rapport.secondes = time.perf_counter() - start
    return rapport


def _load(data: dict, directory: Path, rapport: Rapport) -> None:
    _sync_regions(data, rapport)
    _sync_epci(data, rapport)
    _sync_communes(data, rapport)
    _sync_anciens_codes(data, rapport)
    for niveau, name in CONTOUR_FILES.items():
        _sync_contours(niveau, directory / name, rapport)


def _sync_regions(data: dict, rapport: Rapport) -> None:
    """Régions, then départements."""
    regions = [{"code": r["code"], "nom": r["nom"]} for r in data["regions"]]
    _sync(Region, regions, "code", ["nom"], rapport, "Régions")
    departements = [
        {"code": d["code"], "nom": d["nom"], "region_id": d["region"]} for d in data["departements"]
    ]
    _sync(Departement, departements, "code", ["nom", "region_id"], rapport, "Départements")


def _sync_epci(data: dict, rapport: Rapport) -> None:
    """EPCI à fiscalité propre first: they are the parents of the EPT."""
    epci, ept = [], []
    for e in data["epci"]:
        row = {"siren": e["siren"], "nom": e["nom"], "nature": e["nature"]}
        if e.get("parent"):
            ept.append({**row, "parent_id": e["parent"]})
        else:
            epci.append({**row, "parent_id": None})
    _sync(EPCI, epci, "siren", ["nom", "nature"], rapport, "EPCI")
    _sync(EPCI, ept, "siren", ["nom", "nature", "parent_id"], rapport, "EPT")


def _sync_communes(data: dict, rapport: Rapport) -> None:
    epci_of, ept_of = {}, {}
    for e in data["epci"]:
        target = ept_of if e["nature"] == "EPT" else epci_of
        for code in e["membres"]:
            target[code] = e["siren"]
    rows = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "departement_id": c["departement"],
            "region_id": c["region"],
            "siren": c.get("siren") or None,
            "population": c.get("population") or 0,
            "epci_id": epci_of.get(c["code"]),
            "ept_id": ept_of.get(c["code"]),
        }
        for c in data["communes"]
    ]
    fields = ["nom", "departement_id", "region_id", "siren", "population", "epci_id", "ept_id"]
    _sync(Commune, rows, "code", fields, rapport, "Communes")


def _sync_anciens_codes(data: dict, rapport: Rapport) -> None:
    wanted = {(a, c["code"]) for c in data["communes"] for a in c.get("anciens_codes", ())}
    have = set(AncienCode.objects.values_list("code", "commune_id"))
    AncienCode.objects.bulk_create(
        [AncienCode(code=a, commune_id=c) for a, c in sorted(wanted - have)], batch_size=5000
    )
    stale = have - wanted
    for a, c in stale:
        AncienCode.objects.filter(code=a, commune_id=c).delete()
    rapport.crees["Anciens codes"] = len(wanted - have)
    rapport.modifies["Anciens codes"] = len(stale)
    rapport.totaux["Anciens codes"] = len(wanted)


def _sync_contours(niveau: NiveauContour, path: Path, rapport: Rapport) -> None:
    rows = [
        {
            "niveau": niveau,
            "code": f["properties"]["code"],
            "geometrie": json.dumps(f["geometry"], separators=(",", ":")),
        }
        for f in _read_xz_json(path)["features"]
        if f.get("geometry")
    ]
    _sync(
        Contour,
        rows,
        "code",
        ["geometrie"],
        rapport,
        f"Contours ({niveau.label})",
        existing=Contour.objects.filter(niveau=niveau),
        batch_size=500,
    )
