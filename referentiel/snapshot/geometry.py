"""Contours: commune geometries from the source, gaps of the mesh given to the commune that
absorbed them, dissolved units (EPCI/EPT, départements, régions), GeoJSON.

shapely is imported inside functions so that the validators import without it.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .referential import former_codes

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


# --- Communes --------------------------------------------------------------------------------


def _delegues_and_children(rows: list[dict], communes_json: list[dict]) -> tuple[dict, dict]:
    """Délégués of each chef-lieu in the COG; rows of the source under each parent id."""
    delegues_cog: dict[str, set[str]] = defaultdict(set)
    for e in communes_json:
        if e["type"] == "commune-deleguee":
            delegues_cog[e["chefLieu"]].add(e["code"])
    children: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["parent_id"] is not None:
            children[r["parent_id"]].append(r)
    return delegues_cog, children


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
    delegues_cog, children = _delegues_and_children(rows, communes_json)

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


# --- Gaps of the commune mesh ----------------------------------------------------------------


def _km2(geom) -> float:
    """Approximate area in km² of a small lon/lat geometry."""
    lat = geom.representative_point().y
    return round(geom.area * 111.32**2 * math.cos(math.radians(lat)), 2)


def _gap_candidates(rows: list[dict], communes_json: list[dict]) -> tuple[set[str], set[str]]:
    """(communes that may own a gap, those of them merged after the contours were drawn)."""
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
    return recent | {code for code, olds in lost.items() if olds}, recent


def _mesh_gaps(geoms: dict):
    """(gap, codes of the communes near it, hole left once they are taken out) for each ring
    inside the union of the commune contours that is larger than a sliver."""
    import shapely

    codes = sorted(c for c, g in geoms.items() if g is not None)
    mesh = shapely.union_all([geoms[c] for c in codes])
    tree = shapely.STRtree([geoms[c] for c in codes])
    for part in shapely.get_parts(mesh):
        for ring in part.interiors:
            gap = shapely.Polygon(ring)
            # Smaller gaps are slivers between neighbours; the output grid removes them.
            if gap.area < MIN_GAP_AREA:
                continue
            # The filled ring also holds any commune lying inside the gap (e.g. Hesdin).
            near = [codes[i] for i in tree.query(gap.buffer(1e-4), predicate="intersects")]
            hole = _valid(shapely.difference(gap, shapely.union_all([geoms[c] for c in near])))
            if hole is None or hole.area < MIN_GAP_AREA:
                continue
            yield gap, near, hole


def _unresolved(gap, near: list[str], hole) -> dict:
    import shapely

    pt = gap.representative_point()
    enclave = next(
        (name for name, xy in FOREIGN_ENCLAVES.items() if gap.contains(shapely.Point(xy))),
        None,
    )
    return {
        "lon": round(pt.x, 3),
        "lat": round(pt.y, 3),
        "km2": _km2(hole),
        "voisines": sorted(near),
        "enclave_etrangere": enclave,
    }


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

    candidates, recent = _gap_candidates(rows, communes_json)
    filled: dict[str, list[float]] = defaultdict(list)
    unresolved, open_gaps = [], []
    for gap, near, hole in _mesh_gaps(geoms):
        owners = sorted(c for c in near if c in candidates)
        if len(owners) > 1:
            owners = [c for c in owners if c in recent]
        if len(owners) == 1:
            geoms[owners[0]] = _valid(shapely.union_all([geoms[owners[0]], hole]))
            filled[owners[0]].append(_km2(hole))
            continue
        unresolved.append(_unresolved(gap, near, hole))
        if unresolved[-1]["enclave_etrangere"] is None:
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


# --- Units and GeoJSON -----------------------------------------------------------------------


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
