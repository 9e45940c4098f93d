"""The figures an evaluation carries, filled in from the platform rather than typed: the
territory's fiches by state and by priority, the indicators of its action plan (targets and
dated measurements, fiches.Indicateur / ValeurIndicateur) and, for each indicator the framework
asks for, the sum over the fiches that follow it; its money and instruction delays from the
follow-up, as every party may read them (evaluations.argent).

While the evaluation is written, its figures are those of the day; at each submission they
are kept with it (`Evaluation.chiffres`), so that what the Région and the State review, and
what the documents and the national consolidation show, no longer moves. Nothing here is a
firm's secret: counts and indicators are not (fiches.models: no secret field among them), and
the money is computed under statistical secrecy for a reader without need to know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.utils import timezone

from comptes.secrets import marquer_reponse
from fiches.enums import INSCRITES, Etat
from fiches.models import FicheAction
from mesures.enums import classement
from referentiel import saisie

from . import argent
from .models import Cadre, Evaluation

# The action plan: the fiches the partners retained, inscribed in the contract, carried out.
ETATS_PLAN = (Etat.RETENUE, *INSCRITES)


@dataclass
class IndicateurFiche:
    fiche: str  # the fiche's reference (ti-8401-03)
    titre: str
    libelle: str
    unite: str
    cible: Decimal | None
    mesures: list[tuple[Date, Decimal]] = field(default_factory=list)

    @property
    def derniere(self) -> tuple[Date, Decimal] | None:
        return self.mesures[-1] if self.mesures else None

    @property
    def cle(self) -> tuple[str, str]:
        return saisie.cle(self.libelle), saisie.cle(self.unite)


@dataclass
class IndicateurRapporte:
    """An indicator of the framework, summed over the territory's fiches that follow it."""

    libelle: str
    unite: str
    fiches: int = 0
    cible: Decimal | None = None  # sum of the targets given
    valeur: Decimal | None = None  # sum of each fiche's latest measurement
    date: Date | None = None  # the latest of those measurements

    def ajouter(self, i: IndicateurFiche) -> None:
        """Counts one more fiche's indicator: its target, its latest measurement."""
        self.fiches += 1
        if i.cible is not None:
            self.cible = (self.cible or 0) + i.cible
        if i.derniere:
            jour, valeur = i.derniere
            self.valeur = (self.valeur or 0) + valeur
            self.date = max(self.date or jour, jour)

    @property
    def taux(self) -> Decimal | None:
        if self.valeur is None or not self.cible:
            return None
        return (self.valeur * 100 / self.cible).quantize(Decimal("1"))


@dataclass
class Chiffres:
    au: Date
    phase: int
    fiches: int = 0
    par_etat: dict[str, int] = field(default_factory=dict)
    par_priorite: dict[str, int] = field(default_factory=dict)
    indicateurs: list[IndicateurRapporte] = field(default_factory=list)
    indicateurs_fiches: list[IndicateurFiche] = field(default_factory=list)
    # From the follow-up, as every party may read them (evaluations.argent).
    montants: dict[str, dict] = field(default_factory=dict)
    delais: dict[str, dict] = field(default_factory=dict)

    def etats(self) -> list[tuple[str, int]]:
        """(label, count) in the order of the path, states with no fiche left out."""
        return [(e.label, self.par_etat[e.value]) for e in Etat if self.par_etat.get(e.value)]

    def priorites(self) -> list[tuple[str, int]]:
        liste = classement(self.phase)
        return [(p.label, self.par_priorite.get(p.value, 0)) for p in liste]

    # --- kept as JSON with the evaluation ---------------------------------------------------

    def en_json(self) -> dict:
        return _json(asdict(self))

    @classmethod
    def depuis_json(cls, data: dict) -> Chiffres:
        return cls(
            au=Date.fromisoformat(data["au"]),
            phase=data["phase"],
            fiches=data["fiches"],
            par_etat=data["par_etat"],
            par_priorite=data["par_priorite"],
            indicateurs=[
                IndicateurRapporte(
                    libelle=i["libelle"],
                    unite=i["unite"],
                    fiches=i["fiches"],
                    cible=_dec(i["cible"]),
                    valeur=_dec(i["valeur"]),
                    date=Date.fromisoformat(i["date"]) if i["date"] else None,
                )
                for i in data["indicateurs"]
            ],
            indicateurs_fiches=[
                IndicateurFiche(
                    fiche=i["fiche"],
                    titre=i["titre"],
                    libelle=i["libelle"],
                    unite=i["unite"],
                    cible=_dec(i["cible"]),
                    mesures=[(Date.fromisoformat(d), Decimal(v)) for d, v in i["mesures"]],
                )
                for i in data["indicateurs_fiches"]
            ],
            montants=data.get("montants", {}),
            delais=data.get("delais", {}),
        )


def _json(valeur):
    if isinstance(valeur, dict):
        return {k: _json(v) for k, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [_json(v) for v in valeur]
    if isinstance(valeur, Decimal):
        return str(valeur)
    if isinstance(valeur, Date):
        return valeur.isoformat()
    return valeur


def _dec(texte) -> Decimal | None:
    return None if texte is None else Decimal(texte)


# --- Computed from the platform --------------------------------------------------------------


def indicateurs_des_fiches(territoire) -> list[IndicateurFiche]:
    """The indicators of the territory's action plan, with their dated measurements."""
    fiches = (
        FicheAction.objects.filter(territoire=territoire, etat__in=ETATS_PLAN)
        .select_related("territoire")
        .prefetch_related("indicateurs__valeurs")
        .order_by("numero")
    )
    return [lire(f, i) for f in fiches for i in sorted(f.indicateurs.all(), key=lambda i: i.pk)]


def lire(fiche: FicheAction, indicateur) -> IndicateurFiche:
    """A fiche's indicator with its measurements (prefetched `valeurs`, in date order)."""
    return IndicateurFiche(
        fiche=fiche.reference,
        titre=fiche.titre,
        libelle=indicateur.libelle,
        unite=indicateur.unite,
        cible=indicateur.cible,
        mesures=[(v.date, v.valeur) for v in indicateur.valeurs.all()],
    )


def rapporter(cadre: Cadre, indicateurs: list[IndicateurFiche]) -> list[IndicateurRapporte]:
    """Each indicator of the framework from the fiches' indicators of the same name and unit."""
    out = []
    for ic in cadre.indicateurs.all():
        r = IndicateurRapporte(libelle=ic.libelle, unite=ic.unite)
        for i in indicateurs:
            if i.cle == ic.cle:
                r.ajouter(i)
        out.append(r)
    return out


def calculer(territoire, cadre: Cadre) -> Chiffres:
    """The territory's figures as they stand today."""
    lignes = FicheAction.objects.filter(territoire=territoire).values_list("etat", "axe")
    par_etat, par_priorite = Counter(), Counter()
    for etat, axe in lignes:
        par_etat[etat] += 1
        par_priorite[axe] += 1
    indicateurs = indicateurs_des_fiches(territoire)
    return Chiffres(
        au=timezone.localdate(),
        phase=territoire.phase_id,
        fiches=sum(par_etat.values()),
        par_etat=dict(par_etat),
        par_priorite=dict(par_priorite),
        indicateurs=rapporter(cadre, indicateurs),
        indicateurs_fiches=indicateurs,
        montants=argent.montants(territoire),
        delais=argent.delais(territoire),
    )


def chiffres_de(evaluation: Evaluation) -> Chiffres:
    """Kept at the last submission; of the day while the evaluation is being written."""
    if evaluation.chiffres and not evaluation.en_redaction:
        # Figures computed under statistical secrecy, read now: no cache keeps the response.
        marquer_reponse()
        return Chiffres.depuis_json(evaluation.chiffres)
    return calculer(evaluation.territoire, evaluation.cadre)
