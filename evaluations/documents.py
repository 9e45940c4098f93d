"""An evaluation as documents: DOCX for the parties to work on, PDF to circulate, accessible
(PDF/UA-1, referentiel.redaction). The framework's questions with the territory's answers, the
figures filled in from the platform, the fiches' indicators, the reviews of the Région and of
the State, the path of the evaluation.

A document goes to every party, whoever asks: no firm's secret is in it. The figures are
counts and indicators, which are no secret, and money under statistical secrecy for a reader
without need to know (evaluations.argent); the fiches are named by reference and title, never
by their secret fields (comptes.secrets); reviewers are named by the institution they speak
for, not as persons.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from referentiel import formats
from referentiel.redaction import Redaction, en_pdf

from . import argent
from . import chiffres as calcul
from .cycle import LIBELLES
from .enums import RoleRevue
from .models import Evaluation
from .selectors import questionnaire

SANS_REPONSE = "Sans réponse."


@dataclass
class Tableau:
    titre: str
    entetes: list[str]
    lignes: list[list[str]]
    vide: str = "Aucune donnée."


@dataclass
class Contenu:
    titre: str
    sous_titre: list[str]
    introduction: str
    sections: list[tuple[str, list[tuple[str, str]]]]  # (section, [(question, answer)])
    titre_chiffres: str
    tableaux: list[Tableau]
    revues: list[tuple[str, str]] = field(default_factory=list)  # (heading, text)
    parcours: list[str] = field(default_factory=list)


def _nombre(valeur) -> str:
    return "—" if valeur is None else formats.nombre(valeur)


def tableaux(c: calcul.Chiffres) -> list[Tableau]:
    """The figures as tables: pages, documents and the consolidation's export read them."""
    return [
        Tableau(
            "Fiches-actions par étape",
            ["Étape", "Fiches"],
            [[e, str(n)] for e, n in c.etats()] + [["Total", str(c.fiches)]],
        ),
        Tableau(
            "Fiches-actions par priorité" if c.phase >= 2 else "Fiches-actions par axe",
            ["Priorité" if c.phase >= 2 else "Axe", "Fiches"],
            [[p, str(n)] for p, n in c.priorites()],
        ),
        Tableau(
            "Indicateurs demandés par le cadre",
            ["Indicateur", "Fiches qui le suivent", "Cible", "Dernière mesure", "Au", "Atteint"],
            [
                [
                    f"{i.libelle} ({i.unite})",
                    str(i.fiches),
                    _nombre(i.cible),
                    _nombre(i.valeur),
                    f"{i.date:%d/%m/%Y}" if i.date else "—",
                    formats.pourcent(i.taux) if i.taux is not None else "—",
                ]
                for i in c.indicateurs
            ],
            "Le cadre ne demande aucun indicateur.",
        ),
        Tableau(
            "Indicateurs des fiches du plan d'actions",
            ["Fiche", "Indicateur", "Cible", "Dernière mesure", "Au"],
            [
                [
                    f"{i.fiche} {i.titre}",
                    f"{i.libelle} ({i.unite})",
                    _nombre(i.cible),
                    _nombre(i.derniere[1]) if i.derniere else "—",
                    f"{i.derniere[0]:%d/%m/%Y}" if i.derniere else "—",
                ]
                for i in c.indicateurs_fiches
            ],
            "Aucune fiche retenue, inscrite ou réalisée ne porte d'indicateur.",
        ),
        Tableau(
            "Argent des fiches du territoire",
            ["Chiffre", "Montant"],
            argent.lignes_montants(c.montants),
            "Aucune demande de financement.",
        ),
        Tableau(
            "Délais d'instruction des lignes de financement",
            ["Étape", "Lignes", "Médiane", "9e décile (les plus lentes)", "Au-delà de la cible"],
            argent.lignes_delais(c.delais),
            "Aucune étape d'instruction achevée.",
        ),
    ]


def _qui(revue) -> str:
    personne = getattr(revue.par, "personne", None)
    organisation = personne.organisation.nom if personne and personne.organisation else ""
    role = "la Région" if revue.role == RoleRevue.REGION else "l'État"
    return f"Revue de {role}" + (f" ({organisation})" if organisation else "")


def contenu(evaluation: Evaluation) -> Contenu:
    e = evaluation
    c = calcul.chiffres_de(e)
    revues = [
        (
            f"{_qui(r)} — soumission {r.tour}, le {r.date:%d/%m/%Y}",
            f"Avis : {r.get_avis_display()}.\n{r.commentaire}",
        )
        for r in e.revues.select_related("par__personne__organisation").order_by("tour", "date")
    ]
    return Contenu(
        titre=e.titre,
        sous_titre=[
            f"Territoire {e.territoire.code} — {e.territoire.phase}.",
            f"{e.cadre.titre}, version {e.cadre.version}.",
            f"État : {e.get_etat_display()}.",
        ],
        introduction=e.cadre.introduction,
        sections=[
            (s.section.titre, [(q.question.intitule, q.texte or SANS_REPONSE) for q in s.questions])
            for s in questionnaire(e)
        ],
        titre_chiffres=f"Les chiffres du territoire au {c.au:%d/%m/%Y}",
        tableaux=tableaux(c),
        revues=revues,
        parcours=[
            f"{t.date:%d/%m/%Y} — {LIBELLES.get(t.action, t.action)}"
            + (f" : {t.commentaire}" if t.commentaire else "")
            for t in e.transitions.order_by("le", "id")
        ],
    )


# --- DOCX ------------------------------------------------------------------------------------


def _tableau_docx(d, t: Tableau) -> None:
    d.add_heading(t.titre, level=2)
    if not t.lignes:
        d.add_paragraph(t.vide)
        return
    table = d.add_table(rows=1, cols=len(t.entetes))
    table.style = "Table Grid"
    for cell, titre in zip(table.rows[0].cells, t.entetes, strict=True):
        cell.text = titre
    for ligne in t.lignes:
        for cell, v in zip(table.add_row().cells, ligne, strict=True):
            cell.text = v


def docx(evaluation: Evaluation) -> bytes:
    from docx import Document  # imported when a document is asked for only

    c = contenu(evaluation)
    d = Document()
    d.core_properties.title = c.titre
    d.core_properties.author = "Territoires d'industrie"
    d.add_heading(c.titre, level=0)
    for ligne in c.sous_titre:
        d.add_paragraph(ligne)
    if c.introduction:
        d.add_paragraph(c.introduction)
    for titre, questions in c.sections:
        d.add_heading(titre, level=1)
        for question, reponse in questions:
            d.add_paragraph().add_run(question).bold = True
            for para in reponse.split("\n"):
                d.add_paragraph(para)
    d.add_heading(c.titre_chiffres, level=1)
    for t in c.tableaux:
        _tableau_docx(d, t)
    d.add_heading("Revues de la Région et de l'État", level=1)
    if not c.revues:
        d.add_paragraph("Aucune revue pour l'instant.")
    for titre, texte in c.revues:
        d.add_heading(titre, level=2)
        for para in texte.split("\n"):
            d.add_paragraph(para)
    d.add_heading("Parcours de l'évaluation", level=1)
    for ligne in c.parcours:
        d.add_paragraph(ligne)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def pdf(evaluation: Evaluation) -> bytes:
    """The same content as the DOCX, as an accessible PDF (PDF/UA-1, referentiel.redaction)."""
    c = contenu(evaluation)
    r = Redaction(titre=c.titre)
    r.intitule(c.titre, 0)
    for ligne in c.sous_titre:
        r.paragraphe(ligne, italique=True)
    if c.introduction:
        r.paragraphe(c.introduction)
    for titre, questions in c.sections:
        r.intitule(titre, 1)
        for question, reponse in questions:
            r.paragraphe(question, gras=True)
            r.paragraphe(reponse)
    r.intitule(c.titre_chiffres, 1)
    for t in c.tableaux:
        r.intitule(t.titre, 2)
        if t.lignes:
            r.tableau(t.titre, t.entetes, t.lignes)
        else:
            r.paragraphe(t.vide)
    r.intitule("Revues de la Région et de l'État", 1)
    if not c.revues:
        r.paragraphe("Aucune revue pour l'instant.")
    for t, texte in c.revues:
        r.intitule(t, 2)
        r.paragraphe(texte)
    r.intitule("Parcours de l'évaluation", 1)
    r.liste(c.parcours)
    return en_pdf(r)
