"""The referential proper (``referentiel.json``): régions, départements, EPCI and EPT,
communes with their former codes, read from the COG of the Etalab package."""

from __future__ import annotations

from collections import defaultdict

# SIREN of the Métropole du Grand Paris: the EPT are its subdivisions.
MGP_SIREN = "200054781"

# The COG proper covers metropolitan France and the 5 DROM (18 régions, 101 départements);
# the collectivités d'outre-mer (975, 977, 978, 984, 986-989) have their own INSEE list,
# are outside EPCI and have no contour in ADMIN EXPRESS, so they are left out.
INCLUDED_ZONES = frozenset({"metro", "drom"})


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


def _regions(src: dict) -> list[dict]:
    return sorted(
        (
            {"code": r["code"], "nom": r["nom"]}
            for r in src["regions"]
            if r["zone"] in INCLUDED_ZONES
        ),
        key=lambda r: r["code"],
    )


def _departements(src: dict) -> list[dict]:
    return sorted(
        (
            {"code": d["code"], "nom": d["nom"], "region": d["region"]}
            for d in src["departements"]
            if d["zone"] in INCLUDED_ZONES
        ),
        key=lambda d: d["code"],
    )


def _communes(src: dict) -> list[dict]:
    former = former_codes(src["communes"])
    return sorted(
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


def _groupement(e: dict, nature: str, parent: str | None) -> dict:
    return {
        "siren": e["code"],
        "nom": e["nom"],
        "nature": nature,
        "parent": parent,
        "membres": sorted(m["code"] for m in e["membres"]),
    }


def _epci(src: dict) -> list[dict]:
    """EPCI à fiscalité propre, then the EPT of the Métropole du Grand Paris, by SIREN."""
    epci = [_groupement(e, e["type"], None) for e in src["epci"]]
    epci += [_groupement(e, "EPT", MGP_SIREN) for e in src["ept"]]
    epci.sort(key=lambda e: e["siren"])
    return epci


def build_referentiel(src: dict, millesime: str, sources: dict) -> dict:
    return {
        "millesime": millesime,
        "sources": sources,
        "regions": _regions(src),
        "departements": _departements(src),
        "epci": _epci(src),
        "communes": _communes(src),
    }
