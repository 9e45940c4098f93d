"""Reads of the panier de services. The catalogue is public: no scoping by person here.

The catalogue stays small (the national commitments and each région's own measures): one query
reads it whole with its operator and région, and the axis and the accent-insensitive text search
are applied in Python, the same way on SQLite and PostgreSQL. The number of queries does not
grow with the number of measures.
"""

from __future__ import annotations

import unicodedata
from datetime import date as Date

from django.db.models import Q

from comptes.models import Organisation

from .enums import phase_de
from .models import Mesure


def catalogue(
    *,
    q: str | None = None,
    axe: str | None = None,
    nature: str | None = None,
    source: str | None = None,
    region: str | None = None,
    operateur: int | None = None,
    valide_le: Date | None = None,
    phase: int | None = None,
) -> list[Mesure]:
    """Measures matching the filters, by name.

    `region`: measures one can mobilise in that région, i.e. the national commitments and that
    région's own measures (combine with `source` for the régional ones only). `axe`: measures
    serving that axis, including those tied to none, which serve all four. `phase`: measures
    serving the fiches of that phase (its axes or priorities), those tied to none included.
    """
    qs = Mesure.objects.select_related("operateur", "region")
    if nature:
        qs = qs.filter(nature=nature)
    if source:
        qs = qs.filter(source=source)
    if region:
        qs = qs.filter(Q(region__isnull=True) | Q(region_id=region))
    if operateur:
        qs = qs.filter(operateur_id=operateur)
    if valide_le:
        qs = qs.valides_le(valide_le)
    mesures = list(qs)
    if axe:
        mesures = [m for m in mesures if not m.axes or axe in m.axes]
    if phase:
        mesures = [m for m in mesures if not m.axes or phase_de(m.axes[0]) == phase]
    if q:
        mots = plier(q).split()
        mesures = [m for m in mesures if all(mot in _texte(m) for mot in mots)]
    return mesures


def operateurs():
    """Organisations that operate at least one measure (the choices of the operator filter)."""
    return Organisation.objects.filter(mesures__isnull=False).distinct().order_by("nom")


def plier(texte: str) -> str:
    """Lower case without accents: « Ingénierie » and « ingenierie » meet."""
    norm = unicodedata.normalize("NFKD", texte.lower())
    return "".join(c for c in norm if not unicodedata.combining(c))


def _texte(m: Mesure) -> str:
    return plier(" ".join([m.nom, m.description, m.operateur.nom if m.operateur else ""]))
