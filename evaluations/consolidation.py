"""The national consolidation of the territories' evaluations (Cour des comptes 2024: a
harmonised framework, so that evaluations run locally can be read together).

For a phase and a kind (mid-term or final): the submitted, reviewed and validated evaluations
the reader may see, one column per territory; the answers side by side, question by question
(matched across the framework's versions by their wording, case and accents aside), with the
whole: the sum of the numbers, the count of each modality; the figures kept at each
submission side by side and summed — an amount withheld for one territory under statistical
secrecy withholds the sum (evaluations.argent.sommer). Exported as XLSX (a sheet per table) or
CSV.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from fiches.enums import Etat
from mesures.enums import classement
from referentiel import formats, saisie

from . import argent
from .chiffres import Chiffres, chiffres_de
from .documents import Tableau
from .enums import EtatEvaluation, NatureEvaluation, NatureQuestion
from .models import Evaluation
from .permissions import evaluations_visibles
from .selectors import questionnaire, sections_du_cadre

ETATS_CONSOLIDES = (EtatEvaluation.SOUMISE, EtatEvaluation.REVUE, EtatEvaluation.VALIDEE)


@dataclass
class Consolidation:
    phase: int
    nature: str
    evaluations: list[Evaluation]
    reponses: Tableau
    chiffres: Tableau
    sommes: dict[str, Decimal] = field(default_factory=dict)  # for tests and pages: by row

    @property
    def titre(self) -> str:
        return (
            f"Consolidation nationale — {NatureEvaluation(self.nature).label.lower()}, "
            f"phase {self.phase}"
        )


def evaluations_a_consolider(user, phase, nature, *, validees: bool = False):
    etats = (EtatEvaluation.VALIDEE,) if validees else ETATS_CONSOLIDES
    return (
        evaluations_visibles(user)
        .filter(territoire__phase_id=phase, nature=nature, etat__in=etats)
        .select_related("territoire", "cadre")
        .prefetch_related("reponses")
        .order_by("territoire__code")
    )


def consolider(user, phase: int, nature: str, *, validees: bool = False) -> Consolidation:
    evaluations = list(evaluations_a_consolider(user, phase, nature, validees=validees))
    colonnes = [f"{e.territoire.code} {e.territoire.nom}" for e in evaluations]
    reponses, sommes = _reponses(evaluations, colonnes)
    chiffres, sommes_chiffres = _chiffres(phase, [chiffres_de(e) for e in evaluations], colonnes)
    return Consolidation(
        phase=phase,
        nature=nature,
        evaluations=evaluations,
        reponses=reponses,
        chiffres=chiffres,
        sommes={**sommes, **sommes_chiffres},
    )


# --- Answers side by side --------------------------------------------------------------------


def _reponses(evaluations: list[Evaluation], colonnes: list[str]):
    """One row per question (its wording across versions), one column per territory."""
    rangs: dict[tuple, int] = {}
    lignes: list[list] = []  # [section, question, nature, unite, {column: (text, answer)}]
    cadres: dict[int, list] = {}  # each framework version read once
    for n, e in enumerate(evaluations):
        if e.cadre_id not in cadres:
            cadres[e.cadre_id] = sections_du_cadre(e.cadre)
        for s in questionnaire(e, cadres[e.cadre_id]):
            for qr in s.questions:
                q = qr.question
                cle = (saisie.cle(q.intitule), q.nature)
                if cle not in rangs:
                    rangs[cle] = len(lignes)
                    lignes.append([s.section.titre, q.intitule, q.nature, q.unite, {}])
                lignes[rangs[cle]][4][n] = (qr.texte, qr.reponse)
    # The latest framework's order first (the evaluations of an older version follow).
    sommes, rangees = {}, []
    for section, intitule, nature, unite, par_colonne in lignes:
        textes = [par_colonne.get(n, ("", None))[0] or "—" for n in range(len(evaluations))]
        ensemble, somme = _ensemble(nature, unite, par_colonne.values())
        if somme is not None:
            sommes[intitule] = somme
        rangees.append([section, intitule, *textes, ensemble])
    entetes = ["Section", "Question", *colonnes, "Ensemble"]
    vide = "Aucune évaluation soumise de cette nature pour cette phase."
    return Tableau("Réponses côte à côte", entetes, rangees if evaluations else [], vide), sommes


def _ensemble(nature: str, unite: str, valeurs) -> tuple[str, Decimal | None]:
    """The whole of a question's answers: the sum of the numbers, each modality counted."""
    reponses = [r for _, r in valeurs if r is not None]
    if nature == NatureQuestion.NOMBRE:
        nombres = [r.nombre for r in reponses if r.nombre is not None]
        if not nombres:
            return "—", None
        somme = sum(nombres, Decimal("0"))
        texte = formats.nombre(somme) + (f" {unite}" if unite else "")
        return f"{texte} ({len(nombres)} réponse{'s' if len(nombres) > 1 else ''})", somme
    if nature == NatureQuestion.TEXTE:
        n = len([r for r in reponses if r.texte.strip()])
        return f"{n} réponse{'s' if n > 1 else ''}", None
    compte = Counter(r.modalite for r in reponses if r.modalite)
    return " ; ".join(f"{m} : {k}" for m, k in compte.most_common()) or "—", None


# --- Figures side by side and summed ---------------------------------------------------------


def _chiffres(phase: int, tous: list[Chiffres], colonnes: list[str]):
    rangees, sommes = [], {}

    def rangee(libelle: str, valeurs: list) -> None:
        donnees = [v for v in valeurs if v is not None]
        somme = sum(donnees, Decimal("0")) if donnees else None
        if somme is not None:
            sommes[libelle] = somme
        rangees.append([libelle, *valeurs, somme])

    rangee("Fiches-actions", [c.fiches for c in tous])
    for e in Etat:
        if any(c.par_etat.get(e.value) for c in tous):
            rangee(f"Fiches — {e.label}", [c.par_etat.get(e.value, 0) for c in tous])
    for p in classement(phase):
        rangee(f"Fiches — {p.label}", [c.par_priorite.get(p.value, 0) for c in tous])
    for libelle, par_territoire in _indicateurs(tous).items():
        rangee(f"{libelle} — cible", [i.cible if i else None for i in par_territoire])
        rangee(f"{libelle} — dernière mesure", [i.valeur if i else None for i in par_territoire])
    for nom, libelle in argent.MONTANTS.items():
        somme, motif = argent.sommer([c.montants for c in tous], nom)
        libelle = f"{libelle} (€)"
        if somme is not None:
            sommes[libelle] = somme
        rangees.append(
            [
                libelle,
                *[_montant(c.montants.get(nom)) for c in tous],
                somme if somme is not None else motif,
            ]
        )
    entetes = ["Chiffre", *colonnes, "Ensemble"]
    return Tableau("Chiffres côte à côte et sommés", entetes, rangees if tous else []), sommes


def _montant(v: dict | None):
    """A territory's kept amount: the number, or the reason it is withheld."""
    if not v:
        return None
    return Decimal(v["valeur"]) if v["valeur"] is not None else v["motif"] or None


def _indicateurs(tous: list[Chiffres]) -> dict[str, list]:
    """The framework's indicators by name and unit, one entry per territory (None: absent)."""
    out: dict[str, list] = {}
    for n, c in enumerate(tous):
        for i in c.indicateurs:
            libelle = f"{i.libelle} ({i.unite})"
            out.setdefault(libelle, [None] * len(tous))[n] = i
    return out


def affichage(t: Tableau) -> Tableau:
    """The table as pages show it: numbers written the French way, a dash for nothing."""

    def texte(v) -> str:
        if v is None or v == "":
            return "—"
        return v if isinstance(v, str) else formats.nombre(v)

    return Tableau(t.titre, t.entetes, [[texte(v) for v in ligne] for ligne in t.lignes], t.vide)


# --- Exports ---------------------------------------------------------------------------------


def xlsx(c: Consolidation) -> bytes:
    from openpyxl import Workbook

    classeur = Workbook()
    classeur.remove(classeur.active)
    for t in (c.reponses, c.chiffres):
        feuille = classeur.create_sheet(t.titre[:31])
        feuille.append(t.entetes)
        for ligne in t.lignes:
            feuille.append(["" if v is None else v for v in ligne])
    out = io.BytesIO()
    classeur.save(out)
    return out.getvalue()


def en_csv(c: Consolidation) -> str:
    """The answers side by side, then the figures (« ; » separated, as French spreadsheets
    read it)."""
    out = io.StringIO()
    ecrivain = csv.writer(out, delimiter=";")
    ecrivain.writerow(c.reponses.entetes)
    ecrivain.writerows(c.reponses.lignes)
    ecrivain.writerow([])
    ecrivain.writerow(c.chiffres.entetes)
    ecrivain.writerows([[_csv(v) for v in ligne] for ligne in c.chiffres.lignes])
    return out.getvalue()


def _csv(v) -> str:
    if v is None:
        return ""
    return str(v).replace(".", ",") if isinstance(v, Decimal) else str(v)
