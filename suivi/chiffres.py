"""The programme's money at every level, as a person may see it (docs/adr/0013).

- demandé: the lines of the fiches past the draft (submitted at least to the local
  committee), every status, dated by their request (`demande_le`);
- accordé: the lines « accordé », dated by the decision (`decide_le`);
- engagé: the commitments less their reductions and cancellations, each dated;
- payé: the payments (financements.Paiement), each dated; not the line's status;
- reste à payer: accordé − reductions and cancellations − payé;
- taux d'accord: accordé / demandé;
- effet de levier: the financing plans (lines not refused) of the fiches that received a
  public euro, divided by the public euros granted (comptes.enums.TYPES_PUBLICS).

Sums run in SQL, grouped by level. Statistical secrecy (comptes.secrets.totaliser) needs the
hidden part per firm: each query groups by level and by the bearer of the amounts the reader
may not read, the others collapsing into one row per level; the rule then runs per figure on
these few rows. Seven queries per figure set, whatever the number of lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Min, Q, Sum

from comptes.enums import TYPES_PUBLICS
from comptes.secrets import Contribution, Total, totaliser
from fiches.enums import Etat, StatutLigne
from fiches.models import LigneFinancement
from financements.models import Ajustement, Engagement, Paiement

from . import libelles
from .models import EngagementAnnonce
from .perimetre import CACHE, LISIBLE, Filtres, classe, cle, q_lignes, q_periode, unite_cachee

ACCORDES = (StatutLigne.ACCORDE,)
PREVUES = (StatutLigne.DEMANDE, *ACCORDES)  # the lines a financing plan still counts on
CENTIME = Decimal("0.01")
MOTIF_VIDE = "aucun montant demandé"
MOTIF_SANS_PUBLIC = "aucun euro public accordé"


@dataclass(frozen=True)
class Source:
    """Dated amounts of one kind: the model, the path to their line, the date, which ones."""

    modele: type
    p: str
    date: str
    q: Q = Q()


SOURCES = {
    "demande": Source(LigneFinancement, "", "demande_le", ~Q(fiche__etat=Etat.BROUILLON)),
    "accorde": Source(LigneFinancement, "", "decide_le", Q(statut__in=ACCORDES)),
    "engagement": Source(Engagement, "ligne__", "date"),
    "ajustement": Source(Ajustement, "engagement__ligne__", "date"),
    "paiement": Source(Paiement, "engagement__ligne__", "date"),
}
# Each figure: the sources it adds (+1) or takes away (−1).
FIGURES = {
    "demande": {"demande": 1},
    "accorde": {"accorde": 1},
    "engage": {"engagement": 1, "ajustement": -1},
    "paye": {"paiement": 1},
    "reste_a_payer": {"accorde": 1, "ajustement": -1, "paiement": -1},
}


@dataclass(frozen=True)
class Ratio:
    """A share or a ratio: `valeur`, or None with `motif` (withheld or undefined)."""

    valeur: Decimal | None
    motif: str = ""


@dataclass(frozen=True)
class Montants:
    demande: Total
    accorde: Total
    engage: Total
    paye: Total
    reste_a_payer: Total
    taux_accord: Ratio
    effet_levier: Ratio


@dataclass(frozen=True)
class Ligne:
    """One row of a breakdown: the level's key, its label, its figures."""

    cle: object
    libelle: str
    montants: Montants


# Rows of one query: {key: {(class, firm): sum}}.
Parts = dict[object, dict[tuple[int, object], Decimal]]


def _parts(user, f: Filtres, par: str | None, s: Source) -> Parts:
    """One GROUP BY: per level, the sum the reader knows and each hidden firm's sum."""
    qs = (
        s.modele.objects.filter(q_lignes(user, f, s.p), s.q, q_periode(f, s.date))
        .annotate(
            _cle=cle(par, s.p, s.date), _classe=classe(user, s.p), _unite=unite_cachee(user, s.p)
        )
        .order_by()
        .values("_cle", "_classe", "_unite")
        .annotate(_somme=Sum("montant"))
    )
    return _regrouper(qs, par)


def _regrouper(rows, par: str | None) -> Parts:
    """Rows of one GROUP BY by `_cle` into parts per key (a territory's rows into each of its
    régions when `par` is "region")."""
    out: Parts = defaultdict(lambda: defaultdict(Decimal))
    rows = list(rows)
    regions = libelles.regions_des({r["_cle"] for r in rows}) if par == "region" else None
    for r in rows:
        unite = r["_unite"] if r["_classe"] == CACHE else None
        for k in regions.get(r["_cle"], []) if regions is not None else [r["_cle"]]:
            out[k][(r["_classe"], unite)] += r["_somme"] or Decimal("0")
    return out


def _total(parts: list[tuple[int, dict]]) -> Total:
    """A figure of one level from its sources' parts (sign, rows), through the one rule."""
    net: dict[tuple[int, object], Decimal] = defaultdict(Decimal)
    for signe, rows in parts:
        for k, v in rows.items():
            net[k] += signe * v
    if not net:
        return Total(Decimal("0.00"), "", 0)
    t = totaliser(
        Contribution(
            unite=u if c == CACHE else ("connu", c),
            valeur=v,
            secret=c != 0,
            lisible=c == LISIBLE,
        )
        for (c, u), v in net.items()
    )
    return t if t.valeur is None else replace(t, valeur=t.valeur.quantize(CENTIME))


def _ratio(a: Total, b: Total, vide: str, precision=Decimal("0.0001")) -> Ratio:
    if a.retenu or b.retenu:
        return Ratio(None, a.motif or b.motif)
    if not b.valeur:
        return Ratio(None, vide)
    return Ratio(((a.valeur or 0) / b.valeur).quantize(precision))


def _levier(user, f: Filtres, par: str | None) -> tuple[Parts, Parts]:
    """(plans of the fiches that received a public euro, public euros granted), by level.

    For a fiche, the plan counts once per level: its first public granted line of that level
    stands for it (the smallest id of each fiche and level, one GROUP BY)."""
    source = SOURCES["accorde"]
    publique = (
        q_lignes(user, f)
        & source.q
        & q_periode(f, source.date)
        & Q(financeur__type__in=TYPES_PUBLICS)
    )
    publiques = LigneFinancement.objects.filter(publique).annotate(_cle=cle(par, "", "decide_le"))
    premieres = LigneFinancement.objects.annotate(_cle=cle(par, "", "decide_le")).filter(
        pk__in=publiques.order_by().values("fiche_id", "_cle").annotate(m=Min("pk")).values("m")
    )
    p = "fiche__lignes__"
    plans = (
        # Filtered before the annotation: the condition holds on the joined lines themselves.
        premieres.filter(**{f"{p}statut__in": PREVUES})
        .annotate(_classe=classe(user, p), _unite=unite_cachee(user, p))
        .order_by()
        .values("_cle", "_classe", "_unite")
        .annotate(_somme=Sum(f"{p}montant"))
    )
    euros = (
        publiques.annotate(_classe=classe(user), _unite=unite_cachee(user))
        .order_by()
        .values("_cle", "_classe", "_unite")
        .annotate(_somme=Sum("montant"))
    )
    return _regrouper(plans, par), _regrouper(euros, par)


def _calculer(user, f: Filtres, par: str | None) -> dict[object, Montants]:
    sources = {nom: _parts(user, f, par, s) for nom, s in SOURCES.items()}
    plans, publics = _levier(user, f, par)
    return _montants_de(sources, plans, publics)


def _montants_de(sources: dict[str, Parts], plans: Parts, publics: Parts) -> dict:
    """Each key's figures from its sources' parts and its leverage's."""
    cles = set().union(*(rows.keys() for rows in sources.values()))
    out = {}
    for k in cles:
        t = {
            figure: _total([(signe, sources[s].get(k, {})) for s, signe in composition.items()])
            for figure, composition in FIGURES.items()
        }
        plan = _total([(1, plans.get(k, {}))])
        public = _total([(1, publics.get(k, {}))])
        out[k] = Montants(
            **t,
            taux_accord=_ratio(t["accorde"], t["demande"], MOTIF_VIDE),
            effet_levier=_ratio(plan, public, MOTIF_SANS_PUBLIC, CENTIME),
        )
    return out


def montants(user, **filtres) -> Montants:
    """The figures of the whole scope the person sees, within the filters (phase, region,
    territoire, financeur, mesure, axe, debut, fin)."""
    f = Filtres.de(**filtres)
    return _calculer(user, f, None).get(0) or _calculer_vide()


def _calculer_vide() -> Montants:
    zero = Total(Decimal("0.00"), "", 0)
    return Montants(
        zero, zero, zero, zero, zero, Ratio(None, MOTIF_VIDE), Ratio(None, MOTIF_SANS_PUBLIC)
    )


def repartition(user, par: str, **filtres) -> list[Ligne]:
    """The figures by level `par` (phase, region, territoire, financeur, mesure, axe, mois,
    trimestre, annee), one row per key that has a figure, in the level's order. Periods group
    each figure by its own date. A fiche of an interregional territory counts in each of its
    régions: the régions' rows may add up to more than the programme."""
    f = Filtres.de(**filtres)
    par_cle = _calculer(user, f, par)
    noms = libelles.libelles(par, par_cle.keys())
    lignes = [Ligne(k, noms.get(k, str(k)), m) for k, m in par_cle.items()]
    return sorted(lignes, key=lambda li: libelles.ordre(par, li.cle, li.libelle))


@dataclass(frozen=True)
class Annonce:
    """An operator's latest announced commitment in a phase, against its actual figures."""

    operateur: object
    phase: int
    annonce: Decimal
    date: object
    source: str
    montants: Montants

    @property
    def part_engagee(self) -> Ratio:
        """Engagé / annoncé."""
        if self.montants.engage.retenu:
            return Ratio(None, self.montants.engage.motif)
        if not self.annonce:
            return Ratio(None, "rien d'annoncé")
        return Ratio((self.montants.engage.valeur / self.annonce).quantize(Decimal("0.0001")))


def engagements_annonces(user, phase=None, reels: dict | None = None) -> list[Annonce]:
    """Each operator's announced commitment (the latest per phase) against what it granted,
    committed and paid in that phase, as the person sees them (one breakdown per phase).
    `reels`: those figures already computed, {(phase, funder): Montants} (suivi.calcul)."""
    annonces = {}
    qs = EngagementAnnonce.objects.select_related("operateur").order_by("date", "id")
    if phase:
        qs = qs.filter(phase_id=getattr(phase, "pk", phase))
    for a in qs:
        annonces[(a.phase_id, a.operateur_id)] = a  # the latest wins
    if reels is None:
        reels = _reels(user, {ph for ph, _ in annonces})

    out = [
        Annonce(
            a.operateur, ph, a.montant, a.date, a.source, reels.get((ph, op)) or _calculer_vide()
        )
        for (ph, op), a in annonces.items()
    ]
    return sorted(out, key=lambda x: (x.phase, x.operateur.nom))


def _reels(user, phases) -> dict:
    reels = {}
    for ph in phases:
        for r in repartition(user, "financeur", phase=ph):
            reels[(ph, r.cle)] = r.montants
    return reels
