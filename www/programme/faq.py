"""The programme's FAQ (June 2019), served as text with an anchor per question, and the one
way the interface points into it (« FAQ §4.5 » becomes a link to /programme/faq/#faq-4-5).

The text is the document's own (textes/PROVENANCE.md); it is cut here by its numbering:
« 3. Gouvernance » opens a chapter, « 3.4 Comment … ? » a question. Page breaks of the source
split some paragraphs in two: a paragraph that does not end a sentence is joined to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FICHIER = Path(__file__).parent / "textes" / "faq-territoires-d-industrie-2019-06-01.txt"
VERSION = "1er juin 2019"

_CHAPITRE = re.compile(r"^(\d)\.\s+(\S.*)$")
_QUESTION = re.compile(r"^(\d\.\d)\s+(\S.*?)(?:\.{3,})?$")
_FIN_DE_PHRASE = (".", ":", "?", "!", "»", ";", ")")


@dataclass
class Question:
    numero: str
    titre: str
    paragraphes: list[str] = field(default_factory=list)

    @property
    def ancre(self) -> str:
        return ancre(self.numero)


@dataclass
class Chapitre:
    numero: str
    titre: str
    questions: list[Question] = field(default_factory=list)

    @property
    def ancre(self) -> str:
        return ancre(self.numero)


def ancre(numero: str) -> str:
    return "faq-" + numero.replace(".", "-")


@cache
def chapitres() -> tuple[Chapitre, ...]:
    lignes = FICHIER.read_text(encoding="utf-8").splitlines()
    # The table of contents comes first, its lines end with a page number: the body starts
    # at the second « 1. … » heading.
    debuts = [i for i, li in enumerate(lignes) if _CHAPITRE.match(li.strip())]
    corps = lignes[debuts[len(debuts) // 2] :] if len(debuts) > 7 else lignes
    out: list[Chapitre] = []
    question: Question | None = None
    for brut in corps:
        ligne = " ".join(brut.split())
        if not ligne:
            continue
        if m := _CHAPITRE.match(ligne):
            out.append(Chapitre(m[1], m[2]))
            question = None
        elif (m := _QUESTION.match(ligne)) and out and m[1].startswith(out[-1].numero + "."):
            question = Question(m[1], m[2])
            out[-1].questions.append(question)
        elif question is not None:
            _ajouter(question.paragraphes, ligne)
    return tuple(out)


def _ajouter(paragraphes: list[str], ligne: str) -> None:
    if paragraphes and not paragraphes[-1].endswith(_FIN_DE_PHRASE) and ligne[:1].islower():
        paragraphes[-1] += " " + ligne
    else:
        paragraphes.append(ligne)


def question(numero: str) -> Question | None:
    for c in chapitres():
        for q in c.questions:
            if q.numero == numero:
                return q
    return None


def existe(numero: str) -> bool:
    """« 4.5 » (a question) or « 3 » (a chapter)."""
    return any(c.numero == numero for c in chapitres()) or question(numero) is not None
