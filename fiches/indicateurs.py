"""The fiches' indicators side by side: each target against its latest measurement, grouped by
indicator across fiches and territories, so that territories using the same indicator compare.

An indicator is « the same » in two fiches when its name and its unit read the same once case,
accents, punctuation and spaces are set aside (« Emplois créés » in « emplois » = « emplois
crees » in « Emplois »). Quantities add up over a territory's fiches (jobs, hectares, euros);
a rate (unit « % ») is averaged instead. One query, whatever the number of fiches."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from .models import FicheAction, Indicateur, ValeurIndicateur

UNITES_MOYENNES = {"%", "pourcent", "pourcentage", "taux"}  # rates: averaged, never added
CENT = Decimal(100)


def _normaliser(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", sans_accents.lower()).split())


def cle(libelle: str, unite: str) -> str:
    """What makes two indicators the same one."""
    return f"{_normaliser(libelle)}|{_normaliser(unite)}"


@dataclass
class Mesures:
    """One or several indicators of the same kind: targets, latest measurements, achievement
    (measured against target, over the indicators that have both)."""

    moyenne: bool = False
    fiches: set[int] = field(default_factory=set)
    cibles: list[Decimal] = field(default_factory=list)
    mesures: list[Decimal] = field(default_factory=list)
    paires: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    mesure_le: Date | None = None

    def ajouter(self, fiche_id: int, cible, valeur, le) -> None:
        self.fiches.add(fiche_id)
        if cible is not None:
            self.cibles.append(cible)
        if valeur is not None:
            self.mesures.append(valeur)
            self.mesure_le = max(self.mesure_le or le, le)
        if cible is not None and valeur is not None:
            self.paires.append((cible, valeur))

    def _agreger(self, valeurs: list[Decimal]) -> Decimal | None:
        if not valeurs:
            return None
        somme = sum(valeurs, Decimal(0))
        return (somme / len(valeurs)).quantize(Decimal("0.01")) if self.moyenne else somme

    @property
    def cible(self) -> Decimal | None:
        return self._agreger(self.cibles)

    @property
    def mesure(self) -> Decimal | None:
        return self._agreger(self.mesures)

    @property
    def atteinte(self) -> Decimal | None:
        """Measured / target, in percent, over the indicators with both (a target of zero
        left out)."""
        paires = [(c, v) for c, v in self.paires if c]
        if not paires:
            return None
        cible = self._agreger([c for c, _ in paires])
        mesure = self._agreger([v for _, v in paires])
        return (mesure * CENT / cible).quantize(Decimal("0.1"))


@dataclass
class IndicateurTerritoire(Mesures):
    territoire_id: int = 0
    code: str = ""
    nom: str = ""
    phase: int = 0


@dataclass
class IndicateurCompare(Mesures):
    """One indicator (as first named) across the territories that use it."""

    cle: str = ""
    libelle: str = ""
    unite: str = ""
    territoires: dict[int, IndicateurTerritoire] = field(default_factory=dict)

    @property
    def par_territoire(self) -> list[IndicateurTerritoire]:
        return sorted(self.territoires.values(), key=lambda t: (t.phase, t.code))


def comparer(fiches: QuerySet[FicheAction]) -> list[IndicateurCompare]:
    """Each indicator of `fiches` (already scoped to the reader), the most used first."""
    derniere = ValeurIndicateur.objects.filter(indicateur=OuterRef("pk")).order_by("-date", "-id")
    rows = (
        Indicateur.objects.filter(fiche__in=fiches.values("pk"))
        .annotate(
            _valeur=Subquery(derniere.values("valeur")[:1]),
            _le=Subquery(derniere.values("date")[:1]),
        )
        .order_by("pk")
        .values(
            "libelle",
            "unite",
            "cible",
            "fiche_id",
            "fiche__territoire_id",
            "fiche__territoire__code",
            "fiche__territoire__nom",
            "fiche__territoire__phase_id",
            "_valeur",
            "_le",
        )
    )
    par_cle: dict[str, IndicateurCompare] = {}
    for r in rows:
        k = cle(r["libelle"], r["unite"])
        moyenne = _normaliser(r["unite"]) in UNITES_MOYENNES
        ind = par_cle.setdefault(
            k, IndicateurCompare(moyenne=moyenne, cle=k, libelle=r["libelle"], unite=r["unite"])
        )
        t = r["fiche__territoire_id"]
        if t not in ind.territoires:
            ind.territoires[t] = IndicateurTerritoire(
                moyenne=moyenne,
                territoire_id=t,
                code=r["fiche__territoire__code"],
                nom=r["fiche__territoire__nom"],
                phase=r["fiche__territoire__phase_id"],
            )
        valeur = _decimal(r["_valeur"])
        for m in (ind, ind.territoires[t]):
            m.ajouter(r["fiche_id"], r["cible"], valeur, r["_le"])
    return sorted(par_cle.values(), key=lambda i: (-len(i.territoires), -len(i.fiches), i.cle))


def _decimal(valeur) -> Decimal | None:
    # A subquery's value comes back as the database wrote it (SQLite: a float or a string).
    return None if valeur is None else Decimal(str(valeur))


def par_cle(indicateurs: list[IndicateurCompare]) -> dict[str, IndicateurCompare]:
    return {i.cle: i for i in indicateurs}
