"""Reads for governance pages, always scoped through gouvernance.permissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.db.models import Q

from referentiel.models import Region
from territoires.models import Changement, Perimetre, Phase
from territoires.selectors import phase_courante, territoires_des_regions

from .enums import ObjetDecision, TypeComite
from .models import Comite, DecisionReunion, VersionCarte


@dataclass
class Palier:
    libelle: str
    date: Date
    nombre: int
    ecart: int  # against the first map


def _nombre_a(region: str, phase: Phase, date: Date) -> int:
    return (
        Perimetre.objects.a_date(date)
        .filter(territoire__phase=phase, commune__region_id=region)
        .values("territoire_id")
        .distinct()
        .count()
    )


def evolution_region(region: Region, phase: Phase | None = None) -> dict:
    """How the région's number of territories moved since the first map (FAQ §2.2): at each
    CNI version and at each date the map changed in the région. One query per date."""
    phase = phase or phase_courante()
    if phase is None:
        return {"par_version": [], "par_date": []}
    territoires_region = Perimetre.objects.filter(
        territoire__phase=phase, commune__region_id=region.code
    ).values("territoire_id")
    dates = sorted(
        set(
            Changement.objects.filter(
                Q(territoire__in=territoires_region), territoire__phase=phase
            ).values_list("date", flat=True)
        )
    )
    par_date: list[Palier] = []
    for i, d in enumerate(dates):
        n = _nombre_a(region.code, phase, d)
        libelle = "Première carte" if i == 0 else f"Changement du {d:%d/%m/%Y}"
        par_date.append(Palier(libelle, d, n, n - par_date[0].nombre if par_date else 0))
    premier = par_date[0].nombre if par_date else 0
    par_version = []
    for v in VersionCarte.objects.filter(phase=phase).order_by("date", "pk"):
        n = sum(1 for t in v.territoires() if region.code in t["regions"])
        par_version.append(Palier(v.nom, v.date, n, n - premier))
    return {"phase": phase, "par_version": par_version, "par_date": par_date, "premier": premier}


def decisions_de_contrat(territoire):
    """Contract validations decided for a territory, in a meeting or (FAQ §4.2) without one."""
    return (
        DecisionReunion.objects.filter(objet=ObjetDecision.CONTRAT, territoire=territoire)
        .select_related("decision")
        .order_by("-decision__date")
    )


def copil_de_la_region(region_id: str | None) -> Comite | None:
    """The regional COPIL of a région, where it exists (a read never creates it)."""
    return Comite.objects.filter(type=TypeComite.COPIL_REGIONAL, region_id=region_id).first()


def comites_de_la_region(comites, region: str):
    """Among `comites`, those of a région: its own bodies and those of its territories."""
    return comites.filter(region_id=region) | comites.filter(
        territoire__in=territoires_des_regions([region])
    )
