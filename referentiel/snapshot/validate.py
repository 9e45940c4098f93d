"""Consistency checks of the referential before anything is written."""

from __future__ import annotations

from collections import defaultdict

from referentiel.validators import is_valid_insee_commune, is_valid_siren


def _check_departements(ref: dict, region_codes: set[str]) -> list[str]:
    return [
        f"département {d['code']}: unknown région {d['region']}"
        for d in ref["departements"]
        if d["region"] not in region_codes
    ]


def _check_commune(c: dict, ref_codes: dict[str, set[str]]) -> list[str]:
    errors = []
    if not is_valid_insee_commune(c["code"]):
        errors.append(f"commune {c['code']}: malformed code")
    if c["departement"] not in ref_codes["departements"] or c["region"] not in ref_codes["regions"]:
        errors.append(f"commune {c['code']}: unknown département/région")
    if not isinstance(c["population"], int):
        errors.append(f"commune {c['code']}: no population")
    if not is_valid_siren(c["siren"] or ""):
        errors.append(f"commune {c['code']}: SIREN {c['siren']} fails format/Luhn check")
    for old in c["anciens_codes"]:
        if not is_valid_insee_commune(old):
            errors.append(f"commune {c['code']}: malformed former code {old}")
        if old in ref_codes["communes"]:
            errors.append(f"commune {c['code']}: former code {old} is a current commune")
    return errors


def _check_sirens(commune_sirens: list, sirens: list[str], bad_siren: list[str]) -> list[str]:
    errors = []
    if len(set(commune_sirens)) != len(commune_sirens):
        errors.append("duplicate commune SIREN")
    if set(sirens) & set(commune_sirens):
        errors.append("a SIREN names both a commune and an EPCI")
    errors += [f"EPCI {s}: SIREN fails format/Luhn check" for s in bad_siren]
    if len(set(sirens)) != len(sirens):
        errors.append("duplicate EPCI SIREN")
    return errors


def _check_epci(ref: dict, commune_codes: set[str], in_epci: dict[str, list[str]]) -> list[str]:
    """Parents and members of each EPCI or EPT; fills `in_epci` (commune -> its EPCI)."""
    errors = []
    by_siren = {e["siren"]: e for e in ref["epci"]}
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
    return errors


def _ambiguous_former_codes(ref: dict) -> dict[str, list[str]]:
    """A former code claimed by two current communes (successive mergers)."""
    owners: dict[str, list[str]] = defaultdict(list)
    for c in ref["communes"]:
        for old in c["anciens_codes"]:
            owners[old].append(c["code"])
    return {k: v for k, v in sorted(owners.items()) if len(v) > 1}


def validate_referentiel(ref: dict) -> dict:
    """Raise ValueError listing every inconsistency; return check counts otherwise."""
    codes = {
        "regions": {r["code"] for r in ref["regions"]},
        "departements": {d["code"] for d in ref["departements"]},
        "communes": {c["code"] for c in ref["communes"]},
    }
    errors = _check_departements(ref, codes["regions"])
    for c in ref["communes"]:
        errors += _check_commune(c, codes)
    commune_sirens = [c["siren"] for c in ref["communes"]]
    sirens = [e["siren"] for e in ref["epci"]]
    bad_siren = [s for s in sirens if not is_valid_siren(s)]
    errors += _check_sirens(commune_sirens, sirens, bad_siren)
    in_epci: dict[str, list[str]] = defaultdict(list)
    errors += _check_epci(ref, codes["communes"], in_epci)
    errors += [f"commune {c}: in several EPCI {s}" for c, s in in_epci.items() if len(s) > 1]
    if errors:
        raise ValueError("invalid referential:\n" + "\n".join(errors))
    return {
        "siren_checked": len(sirens),
        "commune_siren_checked": len(commune_sirens),
        "siren_luhn_failures": len(bad_siren),
        "communes_outside_epci": sorted(codes["communes"] - set(in_epci)),
        "ambiguous_former_codes": _ambiguous_former_codes(ref),
    }
