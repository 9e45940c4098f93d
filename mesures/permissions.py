"""Who keeps the catalogue of measures, on top of the one permission layer (comptes.permissions).

Everyone may browse the panier de services. The national delegation keeps the national
commitments (FAQ §3.5, §5.2); a Région's pilot adds and keeps its région's own measures
(§3.3: the Régions complete the State's offer with their own schemes, §5.2), and no other
région's, nor the national ones. Refusals go through comptes.permissions.exiger (pages answer
404, as everywhere).
"""

from __future__ import annotations

from comptes.permissions import portee

from .enums import SourceMesure


def peut_gerer_mesure(user, mesure=None, region=None) -> bool:
    """May this person edit `mesure`, or (when it is None) create a measure of `region` (a Region
    or its code; None for a national commitment)?"""
    p = portee(user)
    if mesure is not None:
        if mesure.source != SourceMesure.REGIONALE:
            return p.national
        region = mesure.region_id
        if region is None:
            return False
    if region is None:
        return p.national
    return getattr(region, "pk", region) in p.regions_pilote


def sources_gerees(user) -> set[str]:
    """The sources of the measures the person keeps: the national commitments for the national
    delegation, the régional measures for a Région's pilot (those of its région)."""
    p = portee(user)
    sources = {SourceMesure.NATIONALE} if p.national else set()
    if p.regions_pilote:
        sources.add(SourceMesure.REGIONALE)
    return sources


def regions_gerees(user) -> frozenset[str]:
    """The régions whose own measures the person keeps: its Région's, for a pilot."""
    return portee(user).regions_pilote


def peut_creer_des_mesures(user) -> bool:
    """Whether the person keeps any part of the catalogue (the « new measure » page)."""
    return bool(sources_gerees(user))
