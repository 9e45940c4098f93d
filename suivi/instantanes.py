"""Reporting snapshots: the figures frozen at a date, at every level, as the person who froze
them saw them (same scope, same secrecy), and the comparison of two snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from comptes.permissions import exiger
from comptes.secrets import marquer_reponse
from referentiel import saisie
from territoires.selectors import today

from . import chiffres, delais
from .models import Instantane
from .permissions import instantanes_visibles, peut_figer

NIVEAUX_NATIONAUX = ("phase", "region", "territoire", "financeur", "mesure", "axe")
NIVEAUX_REGIONAUX = ("phase", "territoire", "financeur", "mesure", "axe")
FIGURES = ("demande", "accorde", "engage", "paye", "reste_a_payer", "taux_accord", "effet_levier")
LIBELLES_FIGURES = {
    "demande": "Demandé",
    "accorde": "Accordé",
    "engage": "Engagé",
    "paye": "Payé",
    "reste_a_payer": "Accordé, pas encore payé",
    "taux_accord": "Part accordée",
    "effet_levier": "Effet de levier",
}
LIBELLES_NIVEAUX = {
    "programme": "Ensemble",
    "phase": "Par phase",
    "region": "Par région",
    "territoire": "Par territoire",
    "financeur": "Par financeur",
    "mesure": "Par mesure",
    "axe": "Par axe ou priorité",
}


def _valeur(v) -> dict:
    return {"valeur": None if v.valeur is None else str(v.valeur), "motif": v.motif}


def _montants(m: chiffres.Montants) -> dict:
    return {nom: _valeur(getattr(m, nom)) for nom in FIGURES}


def _ligne(cle, libelle, m) -> dict:
    return {"cle": None if cle is None else str(cle), "libelle": libelle, **_montants(m)}


def figures(user, *, region=None, phase=None, date: Date | None = None) -> dict:
    """Every level's figures as `user` sees them, up to `date` (each figure by its own
    date), for the programme or for one région."""
    filtres = {"region": region, "phase": phase, "fin": date}
    niveaux = NIVEAUX_REGIONAUX if region else NIVEAUX_NATIONAUX
    out = {"programme": [_ligne(0, "Ensemble", chiffres.montants(user, **filtres))]}
    for par in niveaux:
        out[par] = [
            _ligne(r.cle, r.libelle, r.montants) for r in chiffres.repartition(user, par, **filtres)
        ]
    out["delais_financeur"] = [
        {
            "cle": str(r.cle),
            "libelle": r.libelle,
            **{e: {"n": s.n, "mediane": s.mediane, "p90": s.p90} for e, s in r.etapes.items()},
        }
        for r in delais.delais(user, "financeur", **filtres)
    ]
    return out


@transaction.atomic
def figer(user, *, libelle: str, region=None, phase=None, date: Date | None = None) -> Instantane:
    """Freezes the figures: the national delegation for the programme (`region` None), a
    Région's pilot for its territories."""
    exiger(peut_figer(user, region), "Vous ne pouvez pas figer les chiffres de ce périmètre.")
    date = date or today()
    saisie.pas_dans_le_futur(date, "La date des chiffres")
    instantane = Instantane(
        libelle=libelle,
        date=date,
        region_id=getattr(region, "pk", region),
        phase_id=getattr(phase, "pk", phase),
        par=user,
    )
    instantane.full_clean(exclude=["donnees"])
    instantane.donnees = figures(
        user, region=instantane.region_id, phase=instantane.phase_id, date=date
    )
    instantane.save()
    return instantane


def instantane(user, pk) -> Instantane:
    """A snapshot the person may read, else 404 (existence not disclosed)."""
    try:
        i = instantanes_visibles(user).get(pk=pk)
    except (Instantane.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Instantané introuvable.") from exc
    marquer_reponse()  # its figures were computed under secrecy: no cache keeps them
    return i


@dataclass
class Ecart:
    avant: str | None
    apres: str | None
    ecart: Decimal | None
    motif: str = ""


@dataclass
class LigneComparee:
    cle: str | None
    libelle: str
    figures: dict[str, Ecart] = field(default_factory=dict)


def _ecart(a: dict | None, b: dict | None) -> Ecart:
    va = a["valeur"] if a else None
    vb = b["valeur"] if b else None
    motif = (a or {}).get("motif") or (b or {}).get("motif") or ""
    if va is None and vb is None:
        return Ecart(None, None, None, motif)
    if (va is None and a and a["motif"]) or (vb is None and b and b["motif"]):
        return Ecart(va, vb, None, motif)
    ecart = Decimal(vb or "0") - Decimal(va or "0")
    return Ecart(va, vb, ecart, "")


def comparer(a: Instantane, b: Instantane) -> dict[str, list[LigneComparee]]:
    """Per level, each key of either snapshot with each figure before (`a`), after (`b`) and
    the difference (None when either side is withheld)."""
    if (a.region_id, a.phase_id) != (b.region_id, b.phase_id):
        raise ValidationError("Deux instantanés se comparent sur le même périmètre.")
    out = {}
    for niveau in a.donnees.keys() | b.donnees.keys():
        if niveau.startswith("delais"):
            continue
        lignes_a = {r["cle"]: r for r in a.donnees.get(niveau, [])}
        lignes_b = {r["cle"]: r for r in b.donnees.get(niveau, [])}
        rows = []
        for cle in list(lignes_a) + [k for k in lignes_b if k not in lignes_a]:
            ra, rb = lignes_a.get(cle), lignes_b.get(cle)
            rows.append(
                LigneComparee(
                    cle,
                    (rb or ra)["libelle"],
                    {f: _ecart((ra or {}).get(f), (rb or {}).get(f)) for f in FIGURES},
                )
            )
        out[niveau] = rows
    return {n: out[n] for n in LIBELLES_NIVEAUX if n in out}
