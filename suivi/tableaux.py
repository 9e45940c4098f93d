"""The programme's dashboards — national, régional, territorial — scoped to their reader: who
sees which one, and the figures each shows, every one computed once and only when asked.

Who sees a dashboard: they are for the programme's people, signed in. The national one for the
national delegation; a région's for the delegation and the Région's pilot; a territory's for
them and for whoever holds a role on the territory (team, State référent, Région référent,
committee member). Anyone else is refused (comptes.permissions.exiger: 404 on pages). Within a
dashboard every figure is computed over what the reader may see (fiches.selectors,
contrats.suivi), so a dashboard never shows more than the pages it sums up."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, QuerySet

from comptes.permissions import exiger, portee
from contrats import suivi as deploiement_
from fiches import indicateurs as indicateurs_
from fiches.enums import Etat
from fiches.selectors import fiches_visibles
from mesures.enums import CHOIX_AXES_AVEC_PHASE, classement
from referentiel.models import Region
from territoires.models import Territoire
from territoires.selectors import territoires_des_regions

from . import calcul as calcul_
from . import chiffres, perimetre
from . import delais as delais_

NATIONAL, REGION, TERRITOIRE = "national", "region", "territoire"
REFUS = "Ce tableau de bord n'est pas dans votre périmètre."

# The stages of a fiche, in the order of its path (contrats.suivi.ETAPES_FICHES), and the three
# outcomes a dashboard groups them into.
ETAPES_FICHES = deploiement_.ETAPES_FICHES
ISSUES = (
    ("en_cours", "En préparation ou en examen", (Etat.BROUILLON, Etat.SOUMISE, Etat.COPIL)),
    ("instruction", "En instruction", (Etat.INSTRUCTION,)),
    ("retenues", "Retenues, inscrites ou réalisées", (Etat.RETENUE, Etat.INSCRITE, Etat.REALISEE)),
    ("non_retenues", "Non retenues", (Etat.NON_RETENUE,)),
)
RETENUES = ISSUES[2][2]

# The steps of the deployment a dashboard counts (keys of contrats.suivi.synthese).
ETAPES_DEPLOIEMENT = (
    ("binomes", "Binôme élu-industriel identifié"),
    ("chefs_projet", "Chef de projet désigné"),
    ("comites", "Comité de projet local réuni"),
    ("protocoles", "Protocole d'accord signé"),
    ("contrats", "Contrat signé"),
)

# What the map of a dashboard may be coloured by: label and format of the figure.
FIGURES_CARTE = {
    "fiches": ("Fiches-actions", "entier"),
    "retenues": ("Fiches retenues, inscrites ou réalisées", "entier"),
    "manques": ("Étapes du déploiement qui manquent", "entier"),
    "accorde": ("Montant accordé", "euros"),
    "paye": ("Montant payé", "euros"),
    "part_payee": ("Part payée de l'accordé (%)", "pourcent"),
}
FIGURE_CARTE_DEFAUT = "fiches"


# --- Who sees which dashboard -----------------------------------------------------------------


def peut_voir_national(user) -> bool:
    return portee(user).national


def peut_voir_region(user, code: str) -> bool:
    p = portee(user)
    return p.national or code in p.regions_pilote


def territoires_visibles(user) -> QuerySet[Territoire]:
    """The territories whose dashboard the person sees."""
    p = portee(user)
    if p.national:
        return Territoire.objects.all()
    if not p.authentifie:
        return Territoire.objects.none()
    qs = Territoire.objects.filter(pk__in=p.territoires_role)
    if p.regions_pilote:
        qs = qs | Territoire.objects.filter(pk__in=territoires_des_regions(p.regions_pilote))
    return qs


def a_un_tableau(user) -> bool:
    """Whether the person sees at least one dashboard (the menu's entry)."""
    p = portee(user)
    return p.national or bool(p.regions_pilote or p.territoires_role)


@dataclass(frozen=True)
class Acces:
    national: bool
    regions: list[Region]
    territoires: list[Territoire]

    @property
    def nombre(self) -> int:
        return int(self.national) + len(self.regions) + len(self.territoires)


def accessibles(user) -> Acces:
    """The dashboards of a person who is not national: their régions, and the territories they
    hold a role on (a pilot's territories are reached from its région's dashboard)."""
    p = portee(user)
    if p.national:
        return Acces(True, list(Region.objects.order_by("nom")), [])
    regions = list(Region.objects.filter(code__in=p.regions_pilote).order_by("nom"))
    territoires = list(
        Territoire.objects.filter(pk__in=p.territoires_role).order_by("-phase_id", "code")
    )
    return Acces(False, regions, territoires)


# --- The scale of a dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class Echelle:
    """What a dashboard covers: the programme, a région or a territory, in one phase or all
    (`phase` None; a territory is always of its own phase)."""

    niveau: str
    phase: int | None = None
    region: Region | None = None
    territoire: Territoire | None = None

    @property
    def filtres(self) -> dict:
        """The filters of the follow-up's figures (suivi.chiffres, suivi.delais)."""
        f = {"phase": self.phase}
        if self.region is not None:
            f["region"] = self.region.code
        if self.territoire is not None:
            f = {"territoire": self.territoire.pk}
        return {k: v for k, v in f.items() if v is not None}

    def territoires(self) -> QuerySet[Territoire]:
        if self.territoire is not None:
            return Territoire.objects.filter(pk=self.territoire.pk)
        qs = Territoire.objects.all()
        if self.phase is not None:
            qs = qs.filter(phase_id=self.phase)
        if self.region is not None:
            qs = qs.filter(pk__in=perimetre.territoires_regions([self.region.code]))
        return qs

    @property
    def classement(self) -> list[tuple[str, str]]:
        """The axes (phase 1) or priorities (phase 2) of its fiches; both, labelled with their
        phase, across phases."""
        if self.phase is None:
            return CHOIX_AXES_AVEC_PHASE
        return classement(self.phase).choices


def echelle_nationale(user, phase: int | None) -> Echelle:
    exiger(peut_voir_national(user), REFUS)
    return Echelle(NATIONAL, phase=phase)


def echelle_region(user, code: str, phase: int | None) -> Echelle:
    region = Region.objects.filter(code=code).first()
    exiger(region is not None and peut_voir_region(user, code), REFUS)
    return Echelle(REGION, phase=phase, region=region)


def echelle_territoire(user, phase: int, code: str) -> Echelle:
    t = territoires_visibles(user).filter(phase_id=phase, code=code).first()
    exiger(t is not None, REFUS)
    return Echelle(TERRITOIRE, phase=t.phase_id, territoire=t)


# --- Its figures -------------------------------------------------------------------------------

# What a dashboard's money is broken down by: the level just below its own.
REPARTITION = {NATIONAL: "region", REGION: "territoire", TERRITOIRE: "financeur"}
NOMS_REPARTITION = {
    "region": "région",
    "territoire": "territoire",
    "financeur": "financeur",
    "axe": "axe ou priorité",
}
ATTENTES_MONTREES = 10
CENTIEME = Decimal("0.1")


def en_pourcent(r: chiffres.Ratio) -> chiffres.Ratio:
    """A share as a percentage, a withheld or undefined one as it is."""
    if r.valeur is None:
        return r
    return chiffres.Ratio((r.valeur * 100).quantize(CENTIEME), r.motif)


def part_payee(m: chiffres.Montants) -> chiffres.Ratio:
    """Payé / accordé, in percent; withheld when either is."""
    if m.paye.retenu or m.accorde.retenu:
        return chiffres.Ratio(None, m.paye.motif or m.accorde.motif)
    if not m.accorde.valeur:
        return chiffres.Ratio(None, "aucun montant accordé")
    return chiffres.Ratio((m.paye.valeur * 100 / m.accorde.valeur).quantize(CENTIEME))


def _valeur_carte(m: chiffres.Montants | None, valeur):
    return None if m is None else valeur(m)


# The map's money figures: which value of a territory's Montants colours it.
FIGURES_ARGENT = {
    "accorde": lambda m: m.accorde,
    "paye": lambda m: m.paye,
    "part_payee": part_payee,
}


@dataclass(frozen=True)
class PointCarte:
    code: str
    nom: str
    phase: int
    valeur: object  # a number, or a withheld total (suivi.chiffres) once money colours it


class Tableau:
    """The figures of one dashboard for one reader, each computed on first use."""

    def __init__(self, user, echelle: Echelle):
        self.user = user
        self.echelle = echelle

    @cached_property
    def fiches(self) -> QuerySet:
        e = self.echelle
        qs = fiches_visibles(self.user)
        if e.territoire is not None:
            return qs.filter(territoire=e.territoire)
        if e.phase is not None:
            qs = qs.filter(territoire__phase_id=e.phase)
        if e.region is not None:
            qs = qs.filter(territoire__in=perimetre.territoires_regions([e.region.code]))
        return qs

    @cached_property
    def _fiches_par_territoire_etat_axe(self) -> list[dict]:
        return list(
            self.fiches.order_by()
            .values("territoire__code", "etat", "axe")
            .annotate(n=Count("pk"))
            .order_by()
        )

    @cached_property
    def fiches_par_etape(self) -> list[tuple[str, int]]:
        """(stage label, number of fiches), every stage in the path's order."""
        n = {}
        for r in self._fiches_par_territoire_etat_axe:
            n[r["etat"]] = n.get(r["etat"], 0) + r["n"]
        return [(Etat(e).label, n.get(e, 0)) for e in ETAPES_FICHES]

    @cached_property
    def fiches_par_classement(self) -> list[tuple[str, list[int]]]:
        """(axis or priority label, [fiches per outcome of ISSUES]), the axes of the scale."""
        n: dict[tuple[str, str], int] = {}
        for r in self._fiches_par_territoire_etat_axe:
            cle = (r["axe"], r["etat"])
            n[cle] = n.get(cle, 0) + r["n"]
        return [
            (str(label), [sum(n.get((axe, e), 0) for e in etats) for _, _, etats in ISSUES])
            for axe, label in self.echelle.classement
        ]

    @cached_property
    def deploiement(self) -> list:
        e = self.echelle
        if e.territoire is not None:
            return deploiement_.deploiement_vu_par(self.user, territoires=e.territoires())
        return deploiement_.deploiement_vu_par(
            self.user, phase=e.phase, region=e.region.code if e.region else None
        )

    @cached_property
    def synthese(self) -> dict[str, int]:
        return deploiement_.synthese(self.deploiement)

    @property
    def etapes_deploiement(self) -> list[tuple[str, int, int]]:
        """(step, territories past it, territories)."""
        total = self.synthese.get("territoires", 0)
        return [(label, self.synthese.get(cle, 0), total) for cle, label in ETAPES_DEPLOIEMENT]

    @cached_property
    def regions(self) -> list:
        """Each région's territories (contrats.suivi.SuiviRegion)."""
        return deploiement_.par_region(self.deploiement)

    @cached_property
    def indicateurs(self) -> list[indicateurs_.IndicateurCompare]:
        return indicateurs_.comparer(self.fiches)

    def indicateur_compare(self, cle: str | None) -> indicateurs_.IndicateurCompare | None:
        """One indicator of the scale (`cle`, else the most used) across territories: those of
        the scale; for a territory, every territory whose fiches the reader sees."""
        liste = self.indicateurs
        if not liste:
            return None
        if cle not in {i.cle for i in liste}:
            cle = liste[0].cle
        if self.echelle.territoire is not None:
            liste = indicateurs_.comparer(fiches_visibles(self.user))
        return indicateurs_.par_cle(liste).get(cle)

    def _carte_fiches(self, figure: str) -> list[PointCarte]:
        fiches: dict[str, int] = {}
        retenues: dict[str, int] = {}
        for r in self._fiches_par_territoire_etat_axe:
            code = r["territoire__code"]  # codes differ between phases (8401, ti-8401)
            fiches[code] = fiches.get(code, 0) + r["n"]
            if r["etat"] in RETENUES:
                retenues[code] = retenues.get(code, 0) + r["n"]
        valeurs = {
            "fiches": lambda d: fiches.get(d.code, 0),
            "retenues": lambda d: retenues.get(d.code, 0),
            "manques": lambda d: len(d.manques),
        }[figure]
        return [
            PointCarte(d.code, d.nom, d.phase, valeurs(d))
            for d in sorted(self.deploiement, key=lambda d: (d.phase, d.code))
        ]

    # Money and delays (suivi.chiffres through suivi.calcul, suivi.delais), each read once.

    @cached_property
    def _calcul(self) -> calcul_.Calcul:
        return calcul_.Calcul(self.user, **self.echelle.filtres)

    @cached_property
    def montants(self) -> chiffres.Montants:
        return self._calcul.montants()

    @cached_property
    def _repartitions(self) -> dict[str, list[chiffres.Ligne]]:
        return {}

    def repartition(self, par: str) -> list[chiffres.Ligne]:
        if par not in self._repartitions:
            self._repartitions[par] = self._calcul.repartition(par)
        return self._repartitions[par]

    @cached_property
    def annonces(self) -> list[chiffres.Annonce]:
        """Operators' announced commitments against their actual figures, in the scale's phase
        (every phase when none)."""
        reels = None
        if set(self.echelle.filtres) <= {"phase"}:  # the same filters as the announcements'
            reels = self._calcul.par_cle(calcul_.PHASE_FINANCEUR)
        return chiffres.engagements_annonces(self.user, phase=self.echelle.phase, reels=reels)

    @cached_property
    def _delais(self) -> delais_.Lecture:
        return delais_.lire(self.user, **self.echelle.filtres)

    @cached_property
    def _attentes(self) -> list[delais_.Attente]:
        return delais_.attentes(self.user, lecture=self._delais, **self.echelle.filtres)

    @cached_property
    def delais(self) -> delais_.LigneDelais | None:
        lignes = delais_.delais(self.user, lecture=self._delais, **self.echelle.filtres)
        return lignes[0] if lignes else None

    @cached_property
    def delais_par_financeur(self) -> list[delais_.LigneDelais]:
        return delais_.delais(
            self.user, par="financeur", lecture=self._delais, **self.echelle.filtres
        )

    @cached_property
    def en_retard(self) -> list[delais_.Attente]:
        return delais_.les_plus_en_retard(self._attentes)

    @cached_property
    def plus_longues_attentes(self) -> list[delais_.FicheEnAttente]:
        return delais_.plus_longues_attentes(
            self.user, limite=ATTENTES_MONTREES, attentes_=self._attentes, **self.echelle.filtres
        )

    def carte(self, figure: str) -> list[PointCarte]:
        """Each territory of the scale with its value of `figure` (FIGURES_CARTE)."""
        if figure not in FIGURES_CARTE:
            figure = FIGURE_CARTE_DEFAUT
        if figure not in FIGURES_ARGENT:
            return self._carte_fiches(figure)
        par_id = {li.cle: li.montants for li in self.repartition("territoire")}
        ids = dict(self.echelle.territoires().values_list("code", "pk"))
        valeur = FIGURES_ARGENT[figure]
        points = self._carte_fiches(FIGURE_CARTE_DEFAUT)
        return [
            PointCarte(p.code, p.nom, p.phase, _valeur_carte(par_id.get(ids.get(p.code)), valeur))
            for p in points
        ]
