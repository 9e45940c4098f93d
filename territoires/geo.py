"""GeoJSON of the map: EPCI contours (from the referential) coloured by territory.

Geometries are stored as GeoJSON text and spliced in as is: no parsing per request. The whole
map at a date is cached under a key that changes with every change of the map.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date as Date

from django.core.cache import cache

from referentiel.models import Contour, NiveauContour

from .models import Phase
from .selectors import VueTerritoire, filtrer, version_carte, vues_territoires


def _collection(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _features(vues: list[VueTerritoire]) -> list[str]:
    sirens = {e.siren for v in vues for e in v.epcis}
    geoms = dict(
        Contour.objects.filter(niveau=NiveauContour.EPCI, code__in=sirens).values_list(
            "code", "geometrie"
        )
    )
    out = []
    for v in vues:
        t = v.territoire
        for e in v.epcis:
            geom = geoms.get(e.siren)
            if geom is None:
                continue
            props = {
                "territoire": t.code,
                "territoire_nom": v.nom,
                "phase": t.phase_id,
                "siren": e.siren,
                "epci": e.nom,
                "part_communes": e.part_communes,
                "entier": e.entier,
                "interregional": v.interregional,
            }
            out.append(
                '{"type":"Feature","geometry":'
                + geom
                + ',"properties":'
                + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
                + "}"
            )
    return out


def carte_geojson(date: Date, phase: Phase | int | None = None, region: str | None = None) -> str:
    phase_id = phase.pk if isinstance(phase, Phase) else phase
    # The region as sent may hold anything (spaces, any length): a digest keeps the key valid
    # for every cache backend.
    zone = hashlib.sha256(region.encode()).hexdigest()[:16] if region else ""
    key = f"carte:{version_carte()}:{date.isoformat()}:{phase_id}:{zone}"
    text = cache.get(key)
    if text is None:
        vues = filtrer(vues_territoires(date, phase=phase_id), region=region)
        text = _collection(_features(vues))
        cache.set(key, text, 3600)
    return text


def territoire_geojson(vue: VueTerritoire) -> str:
    return _collection(_features([vue]))


def fond_geojson(niveau: str, codes: list[str] | None = None) -> str:
    """Background contours (régions, départements), with their code as sole property."""
    qs = Contour.objects.filter(niveau=niveau)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return _collection(
        [
            '{"type":"Feature","geometry":' + g + ',"properties":{"code":"' + c + '"}}'
            for c, g in qs.order_by("code").values_list("code", "geometrie")
        ]
    )
