"""A dashboard's money in one reading: every breakdown it shows (the whole scope, by phase,
région, territory, funder, and funder within each phase) summed from the same few GROUP BY
queries at the grain of (territory, funder), instead of seven queries per breakdown.

The figures are those of suivi.chiffres, exactly: a sum at a coarser level is the sum of the
grain's rows, and statistical secrecy still runs per figure on the rows of each key, the
hidden part kept per firm (each row is grouped by the bearer of the amounts the reader may
not read). The leverage counts a fiche's plan once per key: once per fiche for the levels a
fiche belongs to as a whole (phase, territory, région, the whole scope), once per fiche and
funder for the funders. Six queries, whatever the number of lines."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property, reduce

from django.db.models import Case, Count, F, Min, Q, Sum, Value, When

from comptes.enums import TYPES_PUBLICS
from fiches.models import LigneFinancement

from . import libelles
from .chiffres import (
    PREVUES,
    SOURCES,
    Ligne,
    Montants,
    Parts,
    Source,
    _calculer_vide,
    _montants_de,
)
from .perimetre import CACHE, Filtres, classe, q_lignes, q_periode, unite_cachee

# The grain: every level below is a function of these columns.
GRAIN = {"_t": "fiche__territoire_id", "_ph": "fiche__territoire__phase_id", "_fin": "financeur_id"}
NIVEAUX = ("phase", "territoire", "region", "financeur")
PHASE_FINANCEUR = "phase_financeur"
# The sources summed from the lines themselves, in one query with the leverage's euros.
DES_LIGNES = ("demande", "accorde")
EUROS = "euros_publics"
# The levels a fiche belongs to as a whole: its leverage counts once per fiche.
DE_LA_FICHE = (None, "phase", "territoire", "region")


def _grain(p: str) -> dict:
    return {k: F(f"{p}{v}") for k, v in GRAIN.items()}


class Calcul:
    """The money of one reader within filters (no period: figures dated by their own event
    are bounded by `debut`/`fin` as in suivi.chiffres), every breakdown on demand."""

    def __init__(self, user, **filtres):
        self.user = user
        self.f = Filtres.de(**filtres)

    def _rangs(self, s: Source) -> list[dict]:
        return list(
            s.modele.objects.filter(
                q_lignes(self.user, self.f, s.p), s.q, q_periode(self.f, s.date)
            )
            .annotate(
                **_grain(s.p), _classe=classe(self.user, s.p), _unite=unite_cachee(self.user, s.p)
            )
            .order_by()
            .values(*GRAIN, "_classe", "_unite")
            .annotate(_somme=Sum("montant"))
        )

    @cached_property
    def _sources(self) -> dict[str, list[dict]]:
        sources = {nom: self._rangs(s) for nom, s in SOURCES.items() if nom not in DES_LIGNES}
        return {**{nom: self._des_lignes[nom] for nom in DES_LIGNES}, **sources}

    @cached_property
    def _des_lignes(self) -> dict[str, list[dict]]:
        """The sources read from the lines themselves (requested, granted, and the public
        granted euros of the leverage) in one GROUP BY, each summed under its condition. A
        group counts for a source when one of its lines meets that source's condition, as if
        each source had its own query."""
        conditions = {nom: self._condition(SOURCES[nom]) for nom in DES_LIGNES}
        conditions[EUROS] = conditions["accorde"] & Q(financeur__type__in=TYPES_PUBLICS)
        agregats = {}
        for nom, q in conditions.items():
            agregats[f"_n_{nom}"] = Count(Case(When(q, then=Value(1))))
            agregats[f"_s_{nom}"] = Sum(Case(When(q, then=F("montant"))))
        rangs = (
            LigneFinancement.objects.filter(q_lignes(self.user, self.f))
            .filter(reduce(operator.or_, conditions.values()))
            .annotate(**_grain(""), _classe=classe(self.user), _unite=unite_cachee(self.user))
            .order_by()
            .values(*GRAIN, "_classe", "_unite")
            .annotate(**agregats)
        )
        out: dict[str, list[dict]] = {nom: [] for nom in conditions}
        for r in rangs:
            cles = {k: r[k] for k in (*GRAIN, "_classe", "_unite")}
            for nom in conditions:
                if r[f"_n_{nom}"]:
                    out[nom].append({**cles, "_somme": r[f"_s_{nom}"]})
        return out

    def _condition(self, s: Source) -> Q:
        return s.q & q_periode(self.f, s.date)

    @property
    def _publiques(self):
        """The public granted lines (the leverage's euros), as in chiffres._levier."""
        return LigneFinancement.objects.filter(
            q_lignes(self.user, self.f),
            self._condition(SOURCES["accorde"]),
            financeur__type__in=TYPES_PUBLICS,
        )

    def _plans(self, par_financeur: bool) -> list[dict]:
        """The plans of the fiches that received a public euro, through each fiche's first
        public granted line (per funder when `par_financeur`)."""
        cles = ("fiche_id", "financeur_id") if par_financeur else ("fiche_id",)
        premieres = self._publiques.order_by().values(*cles).annotate(m=Min("pk")).values("m")
        p = "fiche__lignes__"
        return list(
            LigneFinancement.objects.filter(pk__in=premieres)
            # Filtered before the annotation: the condition holds on the joined lines themselves.
            .filter(**{f"{p}statut__in": PREVUES})
            .annotate(**_grain(""), _classe=classe(self.user, p), _unite=unite_cachee(self.user, p))
            .order_by()
            .values(*GRAIN, "_classe", "_unite")
            .annotate(_somme=Sum(f"{p}montant"))
        )

    @cached_property
    def _plans_fiches(self) -> list[dict]:
        return self._plans(False)

    @cached_property
    def _plans_financeurs(self) -> list[dict]:
        return self._plans(True)

    @property
    def _euros_publics(self) -> list[dict]:
        return self._des_lignes[EUROS]

    @cached_property
    def _regions(self) -> dict[int, list[str]]:
        territoires = {r["_t"] for rows in self._sources.values() for r in rows}
        return libelles.regions_des(territoires)

    def _cles(self, par: str | None) -> Callable[[dict], list]:
        if par is None:
            return lambda r: [0]
        if par == "region":
            regions = self._regions
            return lambda r: regions.get(r["_t"], [])
        if par == PHASE_FINANCEUR:
            return lambda r: [(r["_ph"], r["_fin"])]
        champ = {"phase": "_ph", "territoire": "_t", "financeur": "_fin"}[par]
        return lambda r: [r[champ]]

    def _parts(self, rows: list[dict], par: str | None) -> Parts:
        cles = self._cles(par)
        out: Parts = defaultdict(lambda: defaultdict(Decimal))
        for r in rows:
            unite = r["_unite"] if r["_classe"] == CACHE else None
            for k in cles(r):
                out[k][(r["_classe"], unite)] += r["_somme"] or Decimal("0")
        return out

    def par_cle(self, par: str | None) -> dict[object, Montants]:
        """Each key of the level `par` (None, NIVEAUX or PHASE_FINANCEUR) with its figures."""
        if par is not None and par not in (*NIVEAUX, PHASE_FINANCEUR):
            raise ValueError(f"Niveau non calculé d'une lecture : {par}.")
        plans = self._plans_fiches if par in DE_LA_FICHE else self._plans_financeurs
        return _montants_de(
            {nom: self._parts(rows, par) for nom, rows in self._sources.items()},
            self._parts(plans, par),
            self._parts(self._euros_publics, par),
        )

    def montants(self) -> Montants:
        return self.par_cle(None).get(0) or _calculer_vide()

    def repartition(self, par: str) -> list[Ligne]:
        """As chiffres.repartition(user, par, **filtres)."""
        par_cle = self.par_cle(par)
        noms = libelles.libelles(par, par_cle.keys())
        lignes = [Ligne(k, noms.get(k, str(k)), m) for k, m in par_cle.items()]
        return sorted(lignes, key=lambda li: libelles.ordre(par, li.cle, li.libelle))
