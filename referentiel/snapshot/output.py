"""The files the snapshot writes: names, canonical JSON, xz compression."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

XZ_PRESET = 9 | lzma.PRESET_EXTREME

REFERENTIEL_FILE = "referentiel.json.xz"
CONTOUR_FILES = {
    "epci": "contours-epci.geojson.xz",
    "departements": "contours-departements.geojson.xz",
    "regions": "contours-regions.geojson.xz",
}
PROVENANCE_FILE = "PROVENANCE.md"


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def write_xz(path: Path, payload: bytes) -> int:
    data = lzma.compress(payload, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=XZ_PRESET)
    path.write_bytes(data)
    return len(data)
