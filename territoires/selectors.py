"""Reads of the map: territories at a date with their derived régions, EPCI view, population.

Every function runs a fixed number of SQL queries whatever the number of territories
(aggregates grouped in the database), so list pages and the API stay flat as data grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone

from referentiel import recherche
from referentiel.models import EPCI, Commune, ImportReferentiel, Region
from referentiel.saisie import cle

from .lecture import phases as _phases
from .models import Changement, NatureChangement, Perimetre, Phase, Territoire


@dataclass
class Part:
    """How much of a group of communes (an EPCI, an EPT) lies inside a territory."""

    communes_dans: int
    communes_total: int
    population_dans: int
    population_total: int

    @property
    def part_communes(self) -> float:
        return round(self.communes_dans / self.communes_total, 4) if self.communes_total else 0.0

    @property
    def part_population(self) -> float:
        if not self.population_total:
            return 0.0
        return round(self.population_dans / self.population_total, 4)

    @property
    def entier(self) -> bool:
        return self.communes_dans == self.communes_total


@dataclass
class PartEPCI(Part):
    """An EPCI (or EPT) as seen from one territory: how much of it lies inside."""

    siren: str
    nom: str
    nature: str


@dataclass
class PartTerritoire(Part):
    """A territory as seen from an EPCI: how much of the EPCI it holds."""

    territoire: Territoire
    nom: str  # the name in force at the date of the view


@dataclass
class VueEPCI:
    epci: EPCI
    date: Date
    phase: int | None
    population: int
    communes: QuerySet[Commune]
    territoires: list[PartTerritoire]


@dataclass
class VueTerritoire:
    territoire: Territoire
    regions: list[str] = field(default_factory=list)
    population: int = 0
    nb_communes: int = 0
    epcis: list[PartEPCI] = field(default_factory=list)
    # The name in force at the date of the view, when the territory has been renamed since.
    nom_a_date: str | None = None
    # The communes a search found in it, by name or code: (code, nom).
    communes_trouvees: list[tuple[str, str]] = field(default_factory=list)

    @property
    def interregional(self) -> bool:
        return len(self.regions) > 1

    @property
    def code(self) -> str:
        return self.territoire.code

    @property
    def nom(self) -> str:
        return self.nom_a_date or self.territoire.nom


def today() -> Date:
    return timezone.localdate()


def phase_courante(date: Date | None = None) -> Phase | None:
    """The phase in force on `date` (today, Europe/Paris, by default): the default phase of
    every page, list, map and API answer.

    The phase whose dates contain the day; between or after phases, the last one begun;
    before the first one, the first one.
    """
    date = date or today()
    phases = _phases()
    en_cours = [p for p in phases if p.date_debut <= date <= p.date_fin]
    if en_cours:
        return en_cours[-1]
    commencees = [p for p in phases if p.date_debut <= date]
    if commencees:
        return max(commencees, key=lambda p: p.date_debut)
    return phases[0] if phases else None


# A territory's id as the programme writes it: « 8401 » in phase 1, « ti-8401 » in phase 2.
CODE_TERRITOIRE = re.compile(r"^(ti-)?(\d{3,8})$", re.IGNORECASE)


def code_territoire(texte: str) -> str | None:
    """The id a file gives, as the programme writes it (« TI-8401 » is « ti-8401 »; « 8401 »
    stays « 8401 »), or None if it is not one."""
    m = CODE_TERRITOIRE.match(texte.strip())
    if not m:
        return None
    return ("ti-" if m.group(1) else "") + m.group(2)


def variantes_code(code: str) -> list[str]:
    """A territory id as typed, then its other spelling (« 8401 » / « ti-8401 »)."""
    code = code.strip()
    if code.lower().startswith("ti-"):
        return [code.lower(), code[3:]]
    return [code, f"ti-{code}"]


def trouver_territoire(code: str, phase: Phase | int | None = None) -> Territoire | None:
    """A territory by its id, in `phase` or else preferably in the current phase.

    The id as written by the programme comes first; the other spelling (« 8401 » for
    « ti-8401 ») is accepted when it names no territory itself.
    """
    qs = Territoire.objects.select_related("phase")
    if phase is not None:
        qs = qs.filter(phase=phase)
    courante = phase_courante() if phase is None else None
    for variante in variantes_code(code):
        candidats = list(qs.filter(code=variante))
        if candidats:
            candidats.sort(key=lambda t: (t.phase_id == getattr(courante, "pk", None), t.phase_id))
            return candidats[-1]
    return None


def perimetres_a(date: Date, phase: Phase | int | None = None) -> QuerySet[Perimetre]:
    qs = Perimetre.objects.a_date(date)
    if phase is not None:
        qs = qs.filter(territoire__phase=phase)
    return qs


def _groupement():
    # The unit of the EPCI view: the EPT inside the Grand Paris, the EPCI elsewhere.
    return Coalesce("commune__ept_id", "commune__epci_id")


def vues_territoires(
    date: Date | None = None,
    *,
    phase: Phase | int | None = None,
    territoires: QuerySet[Territoire] | None = None,
    avec_epcis: bool = True,
) -> list[VueTerritoire]:
    """Territories in force at `date`, each with its derived figures. 3 to 5 queries."""
    date = date or today()
    rows = perimetres_a(date, phase)
    if territoires is not None:
        rows = rows.filter(territoire__in=territoires)
    vues = _vues(rows, date)
    if avec_epcis and vues:
        _ajouter_epcis(rows, vues)
    return list(vues.values())


def version_carte() -> str:
    """Changes with every change of the map, every edit of a territory and every load of the
    referential (populations): the key of what is computed from the map."""
    # Count as well as max: two changes committed out of id order still move the key.
    agg = Changement.objects.aggregate(m=Max("id"), n=Count("id"))
    territoire = Territoire.objects.aggregate(m=Max("modifie_le"))["m"]
    referentiel = ImportReferentiel.objects.aggregate(m=Max("id"))["m"]
    return (
        f"{agg['m'] or 0}.{agg['n']}:{territoire.timestamp() if territoire else 0}:"
        f"{referentiel or 0}"
    )


def vues_territoires_de_la_carte(date: Date | None = None, phase: int | None = None):
    """`vues_territoires` of every territory, computed once per version of the map (the
    perimeter aggregates of a national list), then read from the cache."""
    date = date or today()
    key = f"vues-territoires:{version_carte()}:{date.isoformat()}:{phase}"
    vues = cache.get(key)
    if vues is None:
        vues = vues_territoires(date, phase=phase)
        cache.set(key, vues, 3600)
    return vues


def _vues(rows: QuerySet[Perimetre], date: Date) -> dict[int, VueTerritoire]:
    """The territories of these perimeter rows with their régions, communes and population."""
    terr_qs = (
        Territoire.objects.filter(id__in=rows.values("territoire_id"))
        .select_related("phase")
        .annotate(nom_alors=_nom_alors(date))
        .order_by("phase_id", "code")
    )
    vues = {t.id: VueTerritoire(territoire=t, nom_a_date=t.nom_alors) for t in terr_qs}
    for r in (
        rows.values("territoire_id", "commune__region_id")
        .annotate(n=Count("id"), pop=Sum("commune__population"))
        .order_by()
    ):
        vue = vues[r["territoire_id"]]
        vue.regions.append(r["commune__region_id"])
        vue.population += r["pop"] or 0
        vue.nb_communes += r["n"]
    for vue in vues.values():
        vue.regions.sort()
    return vues


def _ajouter_epcis(rows: QuerySet[Perimetre], vues: dict[int, VueTerritoire]) -> None:
    """The EPCI view of each territory: the part of each EPCI (or EPT) it holds."""
    parts = list(
        rows.annotate(g=_groupement())
        .values("territoire_id", "g")
        .annotate(n=Count("id"), pop=Sum("commune__population"))
        .order_by()
    )
    sirens = {p["g"] for p in parts if p["g"]}
    totals = {
        t["g"]: t
        for t in Commune.objects.annotate(g=Coalesce("ept_id", "epci_id"))
        .filter(g__in=sirens)
        .values("g")
        .annotate(n=Count("code"), pop=Sum("population"))
        .order_by()
    }
    epcis = {e.siren: e for e in EPCI.objects.filter(siren__in=sirens)}
    for p in parts:
        if not p["g"]:
            continue  # a few islands belong to no EPCI
        e, t = epcis[p["g"]], totals[p["g"]]
        vues[p["territoire_id"]].epcis.append(
            PartEPCI(
                siren=e.siren,
                nom=e.nom,
                nature=e.nature,
                communes_dans=p["n"],
                communes_total=t["n"],
                population_dans=p["pop"] or 0,
                population_total=t["pop"] or 0,
            )
        )
    for vue in vues.values():
        vue.epcis.sort(key=lambda x: x.nom)


def _renommages_apres(date: Date) -> QuerySet[Changement]:
    return Changement.objects.filter(nature=NatureChangement.RENOMMAGE, date__gt=date).order_by(
        "date", "id"
    )


def _nom_alors(date: Date):
    """The name in force at `date` of a territory renamed since (else None), as a subquery."""
    return Subquery(
        _renommages_apres(date)
        .filter(territoire=OuterRef("pk"))
        .values(n=KT("details__ancien"))[:1]
    )


def noms_a(date: Date, territoire_ids) -> dict[int, str]:
    """Former names of the territories renamed after `date`: {territoire_id: name then}.

    A rename is a dated change of the map (NatureChangement.RENOMMAGE, with the former name
    in its details): the first rename after the date holds the name in force on that date.
    One query.
    """
    out: dict[int, str] = {}
    for territoire_id, details in (
        _renommages_apres(date)
        .filter(territoire_id__in=territoire_ids)
        .values_list("territoire_id", "details")
    ):
        out.setdefault(territoire_id, details.get("ancien", ""))
    return {k: v for k, v in out.items() if v}


def communes_partagees(territoire: Territoire, date: Date | None = None) -> dict[str, list]:
    """Communes of the territory that other territories of its phase also hold on `date`
    (an official list may place a commune in several territories): {code: [territories]}.
    One query."""
    date = date or today()
    siennes = Perimetre.objects.a_date(date).filter(territoire=territoire).values("commune_id")
    out: dict[str, list[Territoire]] = {}
    for p in (
        Perimetre.objects.a_date(date)
        .filter(territoire__phase_id=territoire.phase_id, commune_id__in=siennes)
        .exclude(territoire=territoire)
        .select_related("territoire")
        .order_by("territoire__code")
    ):
        out.setdefault(p.commune_id, []).append(p.territoire)
    return out


def totaux(date: Date | None = None, phase: Phase | int | None = None) -> dict:
    """Distinct communes and their population on the map of a phase at a date: a commune
    shared by two territories counts once. One query."""
    ids = perimetres_a(date or today(), phase).values("commune_id")
    agg = Commune.objects.filter(code__in=ids).aggregate(n=Count("code"), pop=Sum("population"))
    return {"communes": agg["n"] or 0, "population": agg["pop"] or 0}


def filtrer(
    vues: list[VueTerritoire],
    *,
    region: str | None = None,
    interregional: bool | None = None,
    pilote: bool | None = None,
    q: str | None = None,
    date: Date | None = None,
) -> list[VueTerritoire]:
    """Filters applied on derived figures (régions, interregional) after aggregation. The text
    `q` finds a territory by its name or code, one of its EPCI's names, or one of its communes
    at `date` (today) by name or INSEE code."""
    out = vues
    if region:
        out = [v for v in out if region in v.regions]
    if interregional is not None:
        out = [v for v in out if v.interregional == interregional]
    if pilote is not None:
        out = [v for v in out if v.territoire.pilote == pilote]
    if q:
        needle = cle(q)
        par_commune = _communes_trouvees(out, q, date)
        out = [
            v
            for v in out
            if needle in cle(v.nom)
            or needle in v.code.lower()
            or any(needle in cle(e.nom) for e in v.epcis)
            or v.territoire.id in par_commune
        ]
        for v in out:
            v.communes_trouvees = par_commune.get(v.territoire.id, [])
    return out


def _communes_trouvees(vues, q: str, date: Date | None) -> dict[int, list[tuple[str, str]]]:
    """The communes named by `q` in each of these territories at `date`. One query, none if
    `q` names no commune."""
    codes = recherche.communes(q)
    if not codes or not vues:
        return {}
    trouvees: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Perimetre.objects.a_date(date or today())
        .filter(commune_id__in=codes, territoire_id__in=[v.territoire.id for v in vues])
        .values_list("territoire_id", "commune_id", "commune__nom")
        .order_by("commune__nom")
    )
    for territoire_id, code, nom in rows:
        trouvees.setdefault(territoire_id, []).append((code, nom))
    return trouvees


def regions_des_territoires(ids, date: Date | None = None) -> set[str]:
    """The régions of these territories' communes at `date` (today): the one rule, derived from
    the perimeter (an interregional territory has several). One query."""
    return set(
        Perimetre.objects.a_date(date or today())
        .filter(territoire_id__in=ids)
        .values_list("commune__region_id", flat=True)
        .distinct()
    )


def territoires_des_regions(regions, date: Date | None = None) -> QuerySet:
    """The other way round: the ids of the territories with a commune in one of these régions
    at `date` (today), as a subquery (`territoire__in=…`)."""
    return (
        Perimetre.objects.a_date(date or today())
        .filter(commune__region_id__in=regions)
        .values("territoire_id")
    )


def regions_du_territoire(territoire: Territoire, date: Date | None = None) -> list[str]:
    """The régions of one territory at `date` (today), in code order: its COPIL is the first's
    for a single decision, every one of them sits on its local committee (FAQ §3.4).

    Kept on the instance for the day asked (a page asks it several times, through the
    permission layer): an instance lives for one request."""
    jour = date or today()
    lues = territoire.__dict__.setdefault("_regions_du_jour", {})
    if jour not in lues:
        lues[jour] = sorted(regions_des_territoires([territoire.pk], jour))
    return list(lues[jour])


def vue_territoire(territoire: Territoire, date: Date | None = None) -> VueTerritoire | None:
    vues = vues_territoires(date, territoires=Territoire.objects.filter(pk=territoire.pk))
    return vues[0] if vues else None


def vue_montree(
    territoire: Territoire, date: Date | None = None
) -> tuple[VueTerritoire | None, Date]:
    """The territory as pages and the API show it at `date`: not there yet, as it was created;
    withdrawn by then, as it was on its last day — rather than nothing. Returns the view and
    its date (which differs from `date` in those two cases)."""
    date = date or today()
    vue = vue_territoire(territoire, date)
    if vue is None and date < territoire.date_debut:
        date = territoire.date_debut
        vue = vue_territoire(territoire, date)
    elif vue is None and territoire.date_fin:
        date = territoire.date_fin - timedelta(days=1)
        vue = vue_territoire(territoire, date)
    return vue, date


def communes_du_territoire(territoire: Territoire, date: Date | None = None):
    return (
        Commune.objects.filter(
            Q(perimetres__date_fin__isnull=True) | Q(perimetres__date_fin__gt=date or today()),
            perimetres__territoire=territoire,
            perimetres__date_debut__lte=date or today(),
        )
        .select_related("departement", "epci", "ept")
        .order_by("nom")
    )


def regions_par_code() -> dict[str, Region]:
    return {r.code: r for r in Region.objects.all()}


def vue_epci(epci: EPCI, date: Date | None = None, phase: Phase | int | None = None) -> VueEPCI:
    """An intercommunality and each territory of `phase` holding all or part of it at `date`
    (today), with its share of the communes and population. The Métropole du Grand Paris is
    shared by its EPT: each territory holding a part of it is listed. Four queries."""
    date = date or today()
    champ = "ept" if epci.nature == "EPT" else "epci"
    communes = epci.communes_ept.all() if champ == "ept" else epci.communes.all()
    total = communes.aggregate(n=Count("code"), pop=Sum("population"))
    parts = {
        p["territoire_id"]: p
        for p in perimetres_a(date, phase)
        .filter(**{f"commune__{champ}": epci})
        .values("territoire_id")
        .annotate(n=Count("id"), pop=Sum("commune__population"))
        .order_by()
    }
    noms = noms_a(date, list(parts))
    territoires = [
        PartTerritoire(
            territoire=t,
            nom=noms.get(t.id, t.nom),
            communes_dans=parts[t.id]["n"],
            communes_total=total["n"] or 0,
            population_dans=parts[t.id]["pop"] or 0,
            population_total=total["pop"] or 0,
        )
        for t in Territoire.objects.filter(id__in=list(parts)).order_by("phase_id", "code")
    ]
    return VueEPCI(
        epci=epci,
        date=date,
        phase=getattr(phase, "pk", phase),
        population=total["pop"] or 0,
        communes=communes.order_by("nom"),
        territoires=territoires,
    )
