"""What a person's figures and delays cover: the financing lines of the fiches they may see
(fiches.selectors.fiches_visibles), narrowed by the filters every level shares, and whether
each line's amount is a secret they may read (comptes.permissions.peut_lire_secrets, written
as SQL so that sums stay in the database).

Every expression takes `p`, the path from the queried model to the line: "" for a line,
"ligne__" for a commitment, "engagement__ligne__" for a payment or an adjustment,
"fiche__lignes__" for the other lines of a line's fiche."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date as Date

from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Cast, TruncMonth, TruncQuarter, TruncYear
from django.db.models.lookups import Contains

from comptes.permissions import portee
from fiches.models import LigneFinancement
from fiches.selectors import fiches_visibles
from territoires.models import Perimetre
from territoires.selectors import territoires_des_regions, today

# Whose figure a secret amount is: the fiche's bearer (its lines are its financing plan).
UNITE = "fiche__porteur_id"

# Levels of a breakdown: the path to group by from the line, or a period of the figure's date.
NIVEAUX = {
    "phase": "fiche__territoire__phase_id",
    "territoire": "fiche__territoire_id",
    "region": "fiche__territoire_id",  # a territory's régions, from its perimeter (below)
    "financeur": "financeur_id",
    "mesure": "mesure_id",
    "axe": "fiche__axe",
}
PERIODES = {"mois": TruncMonth, "trimestre": TruncQuarter, "annee": TruncYear}
PAR = (*NIVEAUX, *PERIODES)


@dataclass(frozen=True)
class Filtres:
    """The filters of every figure: any combination. `debut`/`fin` bound the date of each
    figure's own event (request, decision, commitment, payment), both included."""

    phase: int | None = None
    region: str | None = None
    territoire: int | None = None
    financeur: int | None = None
    mesure: int | None = None
    axe: str | None = None
    debut: Date | None = None
    fin: Date | None = None

    @classmethod
    def de(cls, **filtres) -> Filtres:
        """From keyword filters, model objects or their keys (a Region or its code…)."""
        inconnus = set(filtres) - set(cls.__dataclass_fields__)
        if inconnus:
            raise TypeError(f"Filtres inconnus : {', '.join(sorted(inconnus))}")
        return cls(
            **{
                k: (v if k in ("debut", "fin", "axe") else getattr(v, "pk", v))
                for k, v in filtres.items()
                if v not in (None, "")
            }
        )

    def en_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, Date) else v) for k, v in asdict(self).items()}


def territoires_regions(regions):
    """The territories of these régions today, as a subquery: the scope stays in the
    database, whatever its size (an inlined list of ids would grow with the data)."""
    return territoires_des_regions(sorted(regions))


def _fiches_vues(user):
    return fiches_visibles(user).values("pk")


def q_lignes(user, f: Filtres, p: str = "") -> Q:
    """The lines the person sees, within the filters (dates aside: each figure has its own).
    A bearer's own money (autofinancement) is no request to a funder: left out."""
    q = q_programme(f, p)
    if not portee(user).national:
        q &= Q(**{f"{p}fiche__in": _fiches_vues(user)})
    return q


def q_programme(f: Filtres, p: str = "") -> Q:
    """Every line of the programme within the filters, seen by no one: for the platform's own
    runs (the daily command that finds the delays passed), never for a page or the API, which
    go through q_lignes and the reader's scope."""
    q = ~Q(**{f"{p}financeur_id": F(f"{p}{UNITE}")})
    if f.phase:
        q &= Q(**{f"{p}fiche__territoire__phase_id": f.phase})
    if f.region:
        q &= Q(**{f"{p}fiche__territoire_id__in": territoires_regions([f.region])})
    if f.territoire:
        q &= Q(**{f"{p}fiche__territoire_id": f.territoire})
    if f.financeur:
        q &= Q(**{f"{p}financeur_id": f.financeur})
    if f.mesure:
        q &= Q(**{f"{p}mesure_id": f.mesure})
    if f.axe:
        q &= Q(**{f"{p}fiche__axe": f.axe})
    return q


def q_periode(f: Filtres, champ: str) -> Q:
    q = Q()
    if f.debut:
        q &= Q(**{f"{champ}__gte": f.debut})
    if f.fin:
        q &= Q(**{f"{champ}__lte": f.fin})
    return q


def secret(p: str = ""):
    """The line's amount is secret (its `champs_secrets` names it)."""
    return Contains(Cast(F(f"{p}champs_secrets"), TextField()), '"montant"')


def q_lisible(user, p: str = "") -> Q:
    """peut_lire_secrets() for a line, in SQL: the bearer, the territory's team and State
    référent, the Région's pilot, the line's funder. Not the national delegation."""
    pt = portee(user)
    q = Q(pk__in=[])
    if pt.organisations:
        q |= Q(**{f"{p}fiche__porteur_id__in": pt.organisations})
    if pt.territoires_equipe | pt.territoires_etat:
        q |= Q(**{f"{p}fiche__territoire_id__in": pt.territoires_equipe | pt.territoires_etat})
    if pt.regions_pilote:
        q |= Q(**{f"{p}fiche__territoire_id__in": territoires_regions(pt.regions_pilote)})
    if pt.operateurs:
        q |= Q(**{f"{p}financeur_id__in": pt.operateurs})
    return q


# Classes of an amount for the reader: public, secret but readable, secret and hidden.
PUBLIC, LISIBLE, CACHE = 0, 1, 2


def classe(user, p: str = ""):
    return Case(
        When(~Q(secret(p)), then=Value(PUBLIC)),
        When(q_lisible(user, p), then=Value(LISIBLE)),
        default=Value(CACHE),
        output_field=IntegerField(),
    )


def unite_cachee(user, p: str = ""):
    """The bearer of a hidden amount (per-firm sums for the secrecy check), else NULL: the
    amounts the reader knows collapse into one row per group."""
    return Case(
        When(Q(secret(p)) & ~q_lisible(user, p), then=F(f"{p}{UNITE}")),
        default=Value(None),
        output_field=IntegerField(),
    )


def cle(par: str | None, p: str = "", date: str | None = None):
    """The expression to group by for the level `par` (None: the whole programme)."""
    if par is None:
        return Value(0, output_field=IntegerField())
    if par in PERIODES:
        return PERIODES[par](date)
    if par not in NIVEAUX:
        raise ValueError(f"Niveau inconnu : {par}. Niveaux : {', '.join(PAR)}.")
    return F(f"{p}{NIVEAUX[par]}")


def regions_des(territoires) -> dict[int, list[str]]:
    """Each territory's régions from its perimeter today, the rule of the whole platform (an
    interregional territory counts in each of its régions). One query."""
    out: dict[int, list[str]] = {}
    for t, r in (
        Perimetre.objects.a_date(today())
        .filter(territoire_id__in=list(territoires))
        .values_list("territoire_id", "commune__region_id")
        .distinct()
        .order_by("commune__region_id")
    ):
        out.setdefault(t, []).append(r)
    return out


def fiches(user, f: Filtres):
    """The fiches the person sees, within the filters (a funder or a measure: the fiches with
    a line of it)."""
    qs = fiches_visibles(user)
    if f.phase:
        qs = qs.filter(territoire__phase_id=f.phase)
    if f.region:
        qs = qs.filter(territoire_id__in=territoires_regions([f.region]))
    if f.territoire:
        qs = qs.filter(territoire_id=f.territoire)
    if f.axe:
        qs = qs.filter(axe=f.axe)
    if f.financeur or f.mesure:
        lignes = Q(financeur_id=f.financeur) if f.financeur else Q()
        if f.mesure:
            lignes &= Q(mesure_id=f.mesure)
        qs = qs.filter(pk__in=LigneFinancement.objects.filter(lignes).values("fiche_id"))
    return qs
