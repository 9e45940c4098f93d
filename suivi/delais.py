"""The instruction clock of each financing line (docs/adr/0013), from its dated steps:

    demande (`demande_le`, set when the fiche is submitted) → décision (`decide_le`)
    → engagement (first commitment) → premier paiement → dernier paiement

Medians and the slowest tenth (90th percentile, nearest rank) in days, per level, over the
steps completed (a line still waiting is in `en_retard` and `plus_longues_attentes`, not in
the medians); a period groups a step by the date it ended. Targets (CibleDelai): per measure,
per funder, by default, step by step. A bearer's own money has no instruction: left out.
Delays carry no amount: no secrecy beyond the scope of the fiches one sees."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from fiches.enums import Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement, Transition
from financements.models import Ajustement, Engagement, Paiement

from . import durees, libelles
from .models import CibleDelai, cle_cible
from .perimetre import NIVEAUX, PERIODES, Filtres, fiches, q_lignes, q_programme

# Step: (from, to, the target's field, label).
ETAPES = {
    "decision": ("demande_le", "decide_le", "jours_decision", "De la demande à la décision"),
    "engagement": (
        "decide_le",
        "engage_le",
        "jours_engagement",
        "De la décision à l'engagement",
    ),
    "paiement": (
        "engage_le",
        "premier_paiement",
        "jours_paiement",
        "De l'engagement au premier paiement",
    ),
    "solde": ("premier_paiement", "dernier_paiement", None, "Du premier au dernier paiement"),
}
DECIDEES = (StatutLigne.ACCORDE, StatutLigne.REFUSE)
ACCORDEES = (StatutLigne.ACCORDE,)
CHAMPS = (
    "pk",
    "fiche_id",
    "fiche__uuid",
    "fiche__numero",
    "fiche__titre",
    "fiche__territoire__code",
    "fiche__etat",
    "fiche__territoire_id",
    "fiche__territoire__phase_id",
    "fiche__territoire__phase__date_fin",
    "fiche__axe",
    "financeur_id",
    "financeur__nom",
    "mesure_id",
    "statut",
    "demande_le",
    "decide_le",
)


@dataclass(frozen=True)
class Statistique:
    n: int
    mediane: float | None
    p90: int | None  # the slowest tenth took at least this many days
    hors_cible: int  # steps completed beyond their target


@dataclass
class LigneDelais:
    cle: object
    libelle: str
    etapes: dict[str, Statistique] = field(default_factory=dict)


def percentile_90(valeurs: list[int]) -> int | None:
    """Nearest rank: the smallest value at or above which lie the slowest 10 %."""
    if not valeurs:
        return None
    ordonnees = sorted(valeurs)
    return ordonnees[math.ceil(0.9 * len(ordonnees)) - 1]


class Cibles:
    """Every target, loaded once; a step takes the measure's, else the funder's, else the
    default."""

    def __init__(self) -> None:
        self.par_cle = {c.cle: c for c in CibleDelai.objects.all()}

    def jours(self, ligne: dict, etape: str) -> int | None:
        champ = ETAPES[etape][2]
        if champ is None:
            return None
        for cle in (
            cle_cible(None, ligne["mesure_id"]) if ligne["mesure_id"] else None,
            cle_cible(ligne["financeur_id"], None),
            "defaut",
        ):
            cible = self.par_cle.get(cle)
            if cible is not None and getattr(cible, champ) is not None:
                return getattr(cible, champ)
        return None


def _lignes(user, f: Filtres, aujourdhui: Date) -> list[dict]:
    """Each line in the person's scope that may wait for its next step on `aujourdhui`, with
    its dated steps."""
    return _en_attente(q_lignes(user, f), aujourdhui)


def _en_attente(q: Q, aujourdhui: Date) -> list[dict]:
    """The lines of `q` that may wait on `aujourdhui` (a superset of what _attente keeps: a
    line of a phase over waits on nobody), in two reads: an undecided request of a fiche in
    examination or a grant without commitment need no date of commitment or payment (none
    computed); a commitment without payment reads its own. The others are never read."""
    engagee = Exists(Engagement.objects.filter(ligne=OuterRef("pk")))
    payee = Exists(Paiement.objects.filter(engagement__ligne=OuterRef("pk")))
    sans_argent = Q(statut=StatutLigne.DEMANDE, fiche__etat__in=(*ATTEND_ETAT, Etat.INSTRUCTION))
    sans_argent |= Q(statut__in=ACCORDEES) & ~engagee
    q &= Q(fiche__territoire__phase__date_fin__gte=aujourdhui)
    rien = Value(None, output_field=DateField())
    premieres = list(
        LigneFinancement.objects.filter(q & sans_argent)
        .exclude(fiche__etat=Etat.BROUILLON)
        .annotate(engage_le=rien, premier_paiement=rien, dernier_paiement=rien)
        .annotate(engage=Value(None, output_field=DecimalField()))
        .order_by()
        .values(*CHAMPS, "engage_le", "premier_paiement", "dernier_paiement", "engage")
    )
    return premieres + _lignes_de(q & ~sans_argent & engagee & ~payee)


class Lecture:
    """The scope and its targets, read once for every delay figure of a page (a dashboard):
    the lines that may wait are read only when the waits are asked (the medians are counted
    in the database, suivi.durees)."""

    def __init__(self, user, f: Filtres) -> None:
        self.user, self.f, self.cibles = user, f, Cibles()
        self._comptes: dict = {}
        self._lignes: dict = {}

    def comptes(self, par: str | None) -> dict[str, list[tuple]]:
        if par not in self._comptes:
            self._comptes[par] = _comptes(self.user, self.f, par, self.cibles)
        return self._comptes[par]

    def lignes(self, aujourdhui: Date) -> list[dict]:
        """The lines that may wait on `aujourdhui`, read once."""
        if aujourdhui not in self._lignes:
            self._lignes[aujourdhui] = _lignes(self.user, self.f, aujourdhui)
        return self._lignes[aujourdhui]


def lire(user, **filtres) -> Lecture:
    return Lecture(user, Filtres.de(**filtres))


def _par_ligne(modele, chemin: str, agregat, champ: str):
    """One aggregate of `modele` over each line (a correlated subquery, NULL when none)."""
    return Subquery(
        modele.objects.filter(**{chemin: OuterRef("pk")})
        .order_by()
        .values(chemin)
        .annotate(v=agregat(champ))
        .values("v")[:1]
    )


def _lignes_de(q) -> list[dict]:
    """Each line of `q` with its dated steps and what it committed: one query, none per
    line (each step's date an aggregate of the line's commitments or payments)."""
    zero = Value(Decimal("0"), output_field=DecimalField())
    return list(
        LigneFinancement.objects.filter(q)
        .exclude(fiche__etat=Etat.BROUILLON)
        .annotate(
            engage_le=_par_ligne(Engagement, "ligne", Min, "date"),
            premier_paiement=_par_ligne(Paiement, "engagement__ligne", Min, "date"),
            dernier_paiement=_par_ligne(Paiement, "engagement__ligne", Max, "date"),
            engage=ExpressionWrapper(
                Coalesce(_par_ligne(Engagement, "ligne", Sum, "montant"), zero)
                - Coalesce(_par_ligne(Ajustement, "engagement__ligne", Sum, "montant"), zero),
                output_field=DecimalField(),
            ),
        )
        .order_by()
        .values(*CHAMPS, "engage_le", "premier_paiement", "dernier_paiement", "engage")
    )


def _cle(par: str | None):
    """What a step's counts are grouped by for the level `par` (a period: its end date)."""
    if par is None or par in PERIODES:
        return par and "_fin"
    return F(NIVEAUX[par])


def _cles(par: str | None, cle, regions: dict) -> list:
    if par is None:
        return [0]
    if par in PERIODES:
        return [libelles.debut_de_periode(par, cle)]
    if par == "region":
        return regions.get(cle, [])
    return [cle]


def _parmi(etape: str) -> Q:
    """The only lines that may have completed `etape` (the others are not read)."""
    if etape == "decision":
        return Q(statut__in=DECIDEES)
    if etape == "engagement":
        return Q(pk__in=Engagement.objects.values("ligne_id"))
    return Q(pk__in=Paiement.objects.values("engagement__ligne_id"))


def _bornes() -> dict:
    """Each step's start and end, as expressions on a line."""
    engage_le = _par_ligne(Engagement, "ligne", Min, "date")
    premier = _par_ligne(Paiement, "engagement__ligne", Min, "date")
    dernier = _par_ligne(Paiement, "engagement__ligne", Max, "date")
    return {
        "decision": (F("demande_le"), F("decide_le")),
        "engagement": (F("decide_le"), engage_le),
        "paiement": (engage_le, premier),
        "solde": (premier, dernier),
    }


def delais(
    user, par: str | None = None, lecture: Lecture | None = None, **filtres
) -> list[LigneDelais]:
    """Medians and 90th percentiles of each step, in days, per level `par` (None: the whole
    scope; or phase, region, territoire, financeur, mesure, axe, mois, trimestre, annee).
    `lecture`: the scope already read with the same filters (lire); the whole scope is
    then summed from the funders' counts, read once for both. One grouped query per step."""
    f = Filtres.de(**filtres)
    if lecture is None:
        rangs = _comptes(user, f, par, Cibles())
    else:
        rangs = lecture.comptes("financeur" if par is None else par)
    regions = (
        libelles.regions_des({r[0] for v in rangs.values() for r in v}) if par == "region" else {}
    )
    jours: dict = defaultdict(lambda: defaultdict(Counter))
    hors: dict = defaultdict(Counter)
    for etape, v in rangs.items():
        for cle, j, au_dela, n in v:
            for k in _cles(par, cle, regions):
                jours[k][etape][j] += n
                hors[k][etape] += n * au_dela
    noms = libelles.libelles(par, jours.keys())
    out = [LigneDelais(k, noms.get(k, str(k)), _statistiques(v, hors[k])) for k, v in jours.items()]
    return sorted(out, key=lambda r: libelles.ordre(par, r.cle, r.libelle))


def _comptes(user, f: Filtres, par: str | None, cibles: Cibles) -> dict[str, list[tuple]]:
    """Each step's (key, days, beyond target, count) rows for the level `par`."""
    qs = LigneFinancement.objects.filter(q_lignes(user, f)).exclude(fiche__etat=Etat.BROUILLON)
    etapes = {
        etape: (
            qs.filter(_parmi(etape)),
            debut,
            fin,
            durees.cible_sql(cibles.par_cle, ETAPES[etape][2]),
        )
        for etape, (debut, fin) in _bornes().items()
    }
    return durees.compter(etapes, _cle(par), f.debut, f.fin)


def _statistiques(jours: dict[str, Counter], hors: Counter) -> dict[str, Statistique]:
    return {
        etape: Statistique(
            n=sum(jours[etape].values()),
            mediane=durees.mediane(jours[etape]),
            p90=durees.rang_90(jours[etape]),
            hors_cible=hors[etape],
        )
        for etape in ETAPES
    }


# --- What waits, and on whom ------------------------------------------------------------------


@dataclass(frozen=True)
class Attente:
    """A line waiting for its next step since `depuis`, on `attend`."""

    ligne_id: int
    fiche_id: int
    fiche_etat: str
    fiche_uuid: object
    fiche_libelle: str
    financeur: str
    etape: str
    depuis: Date
    jours: int
    cible: int | None
    attend: str

    @property
    def retard(self) -> int | None:
        return None if self.cible is None else self.jours - self.cible

    @property
    def libelle_etape(self) -> str:
        return ETAPES[self.etape][3]

    @property
    def echeance(self) -> Date | None:
        """The day the target fell."""
        return None if self.cible is None else self.depuis + timedelta(days=self.cible)


ATTEND_ETAT = {
    Etat.SOUMISE: "le comité de projet local du territoire",
    Etat.COPIL: "le comité de pilotage régional",
}


def _attente(li: dict, aujourdhui: Date, cibles: Cibles) -> Attente | None:
    """The step the line waits for, if any."""
    if li["statut"] == StatutLigne.DEMANDE and li["fiche__etat"] in (
        *ATTEND_ETAT,
        Etat.INSTRUCTION,
    ):
        etape, depuis = "decision", li["demande_le"]
        attend = ATTEND_ETAT.get(li["fiche__etat"], li["financeur__nom"])
    elif li["statut"] in ACCORDEES and li["engage_le"] is None:
        etape, depuis, attend = "engagement", li["decide_le"], li["financeur__nom"]
    elif li["engage_le"] and li["premier_paiement"] is None and (li["engage"] or 0) > 0:
        etape, depuis, attend = "paiement", li["engage_le"], li["financeur__nom"]
    else:
        return None
    if (
        depuis is None
        or depuis > aujourdhui
        or li["fiche__territoire__phase__date_fin"] < aujourdhui
    ):
        return None  # not started, or its phase is over: it waits on nobody any more
    return Attente(
        li["pk"],
        li["fiche_id"],
        li["fiche__etat"],
        li["fiche__uuid"],
        f"{li['fiche__territoire__code']}-{li['fiche__numero']:02d} {li['fiche__titre']}",
        li["financeur__nom"],
        etape,
        depuis,
        (aujourdhui - depuis).days,
        cibles.jours(li, etape),
        attend,
    )


def attentes(
    user, aujourdhui: Date | None = None, lecture: Lecture | None = None, **filtres
) -> list[Attente]:
    """Every line of the scope waiting for its next step (`debut`/`fin` bound its start)."""
    f = Filtres.de(**filtres)
    aujourdhui = aujourdhui or libelles.aujourdhui()
    if lecture is None:
        sans_dates = Filtres.de(**{**f.__dict__, "debut": None, "fin": None})
        return _attentes(_lignes(user, sans_dates, aujourdhui), f, aujourdhui)
    return _attentes(lecture.lignes(aujourdhui), f, aujourdhui, lecture.cibles)


def _attentes(
    lignes: list[dict], f: Filtres, aujourdhui: Date | None, cibles: Cibles | None = None
) -> list[Attente]:
    aujourdhui = aujourdhui or libelles.aujourdhui()
    cibles = cibles or Cibles()
    out = []
    for li in lignes:
        a = _attente(li, aujourdhui, cibles)
        if a and not ((f.debut and a.depuis < f.debut) or (f.fin and a.depuis > f.fin)):
            out.append(a)
    return out


def les_plus_en_retard(attentes_: list[Attente]) -> list[Attente]:
    late = [a for a in attentes_ if a.retard and a.retard > 0]
    return sorted(late, key=lambda a: (-a.retard, a.depuis, a.ligne_id))


def en_retard(user, aujourdhui: Date | None = None, **filtres) -> list[Attente]:
    """The lines past their target, the latest first (with the fiche, the funder, the days
    late and whom they wait on)."""
    return les_plus_en_retard(attentes(user, aujourdhui, **filtres))


def en_retard_dans_le_programme(aujourdhui: Date | None = None) -> list[Attente]:
    """Every line of the programme past its target, read by no one (perimetre.q_programme):
    for the daily command that tells whom they wait on, never for a page."""
    f = Filtres()
    aujourdhui = aujourdhui or libelles.aujourdhui()
    lignes = _en_attente(q_programme(f), aujourdhui)
    return les_plus_en_retard(_attentes(lignes, f, aujourdhui))


@dataclass
class FicheEnAttente:
    """A fiche, how long it has waited (its oldest wait), and on whom: one entry per wait."""

    fiche: FicheAction
    jours: int
    attentes: list[tuple[str, str, Date, int]]  # (what, whom, since, days), longest first


# A fiche waits as a whole on a committee, or on the signature of its contract.
ATTEND_FICHE = {**ATTEND_ETAT, Etat.RETENUE: "la signature du contrat ou de l'avenant"}


def plus_longues_attentes(
    user,
    aujourdhui: Date | None = None,
    limite: int = 20,
    attentes_: list[Attente] | None = None,
    **filtres,
) -> list[FicheEnAttente]:
    """The fiches waiting longest, with whom they wait on: the local committee (submitted),
    the regional COPIL, each funder whose line is undecided (in instruction), each funder
    that granted without committing or committed without paying, the contract's signature
    (retained, not yet inscribed). A fiche of a finished phase waits on nobody. `attentes_`:
    the scope's waits already computed on the same day and filters."""
    aujourdhui = aujourdhui or libelles.aujourdhui()
    par_fiche: dict[int, list[tuple[str, str, Date, int]]] = defaultdict(list)
    if attentes_ is None:
        attentes_ = attentes(user, aujourdhui, **filtres)
    for a in attentes_:
        if a.fiche_etat not in ATTEND_FICHE:  # else the fiche waits as a whole (below)
            par_fiche[a.fiche_id].append((a.libelle_etape, a.attend, a.depuis, a.jours))
    entree = (
        Transition.objects.filter(fiche=OuterRef("pk"), etat_apres=OuterRef("etat"))
        .exclude(etat_avant=F("etat_apres"))
        .order_by("-date_effet", "-id")
        .values("date_effet")[:1]
    )
    en_etat = (
        fiches(user, Filtres.de(**filtres))
        .filter(etat__in=list(ATTEND_FICHE), territoire__phase__date_fin__gte=aujourdhui)
        .annotate(entree=Subquery(entree))
        .values_list("pk", "etat", "entree")
    )
    for pk, etat, jour in en_etat:
        if jour is not None and jour <= aujourdhui:
            qui = ATTEND_FICHE[etat]
            par_fiche[pk].append((str(Etat(etat).label), qui, jour, (aujourdhui - jour).days))
    rangs = sorted(par_fiche.items(), key=lambda kv: (-max(x[3] for x in kv[1]), kv[0]))
    rangs = rangs[:limite]
    objets = FicheAction.objects.select_related("territoire").in_bulk([k for k, _ in rangs])
    return [
        FicheEnAttente(objets[k], max(x[3] for x in v), sorted(v, key=lambda x: -x[3]))
        for k, v in rangs
    ]
