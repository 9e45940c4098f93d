"""Labels and order of the keys of a breakdown (one query per level at most)."""

from __future__ import annotations

from datetime import date as Date

from comptes.models import Organisation
from mesures.enums import CHOIX_AXES_AVEC_PHASE
from mesures.models import Mesure
from referentiel.models import Region
from territoires.models import Phase, Territoire
from territoires.selectors import today

from .perimetre import regions_des

__all__ = ["libelles", "ordre", "regions_des", "periode"]

SANS_MESURE = "Sans mesure du panier"
SANS_DATE = "Sans date"
AXES = dict(CHOIX_AXES_AVEC_PHASE)
ORDRE_AXES = {v: i for i, (v, _) in enumerate(CHOIX_AXES_AVEC_PHASE)}


def periode(par: str, jour: Date) -> str:
    if par == "mois":
        return f"{jour:%m/%Y}"
    if par == "trimestre":
        return f"T{(jour.month - 1) // 3 + 1} {jour.year}"
    return str(jour.year)


def libelles(par: str | None, cles) -> dict:
    cles = list(cles)
    if par == "phase":
        return {p.pk: str(p.nom) for p in Phase.objects.filter(pk__in=cles)}
    if par == "territoire":
        return {t.pk: f"{t.code} {t.nom}" for t in Territoire.objects.filter(pk__in=cles)}
    if par == "region":
        return {r.pk: r.nom for r in Region.objects.filter(pk__in=cles)}
    if par == "financeur":
        return dict(Organisation.objects.filter(pk__in=cles).values_list("pk", "nom"))
    if par == "mesure":
        return {
            None: SANS_MESURE,
            **dict(Mesure.objects.filter(pk__in=cles).values_list("pk", "nom")),
        }
    if par == "axe":
        return {k: AXES.get(k, k) for k in cles}
    if par in ("mois", "trimestre", "annee"):
        return {k: periode(par, k) if k else SANS_DATE for k in cles}
    return {0: "Ensemble du programme"}


def ordre(par: str | None, cle, libelle: str):
    """Periods in time order, axes in the programme's order, the rest by label."""
    if par in ("mois", "trimestre", "annee"):
        return (cle is None, cle or Date.min, "")
    if par == "phase":
        return (0, cle, "")
    if par == "axe":
        return (ORDRE_AXES.get(cle, 99), 0, "")
    return (1 if cle is None else 0, 0, libelle.lower())


def aujourdhui() -> Date:
    return today()


def debut_de_periode(par: str, jour: Date) -> Date:
    """The first day of the month, quarter or year of `jour` (the key of a period)."""
    if par == "mois":
        return jour.replace(day=1)
    if par == "trimestre":
        return Date(jour.year, (jour.month - 1) // 3 * 3 + 1, 1)
    return Date(jour.year, 1, 1)
