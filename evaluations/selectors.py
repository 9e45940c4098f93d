"""Reads of evaluations: the questionnaire with its answers, as pages, documents and the
consolidation show it. Scoping is evaluations.permissions.evaluations_visibles."""

from __future__ import annotations

from dataclasses import dataclass, field

from referentiel import formats

from .enums import NatureQuestion
from .models import Evaluation, Question, Reponse, Section


def vide(reponse: Reponse | None) -> bool:
    return reponse is None or (
        not reponse.texte.strip() and not reponse.modalite and reponse.nombre is None
    )


def texte_reponse(question: Question, reponse: Reponse | None) -> str:
    """The answer as people read it; empty when there is none."""
    if vide(reponse):
        return ""
    if question.nature == NatureQuestion.NOMBRE:
        unite = f" {question.unite}" if question.unite else ""
        return f"{formats.nombre(reponse.nombre)}{unite}"
    if question.nature == NatureQuestion.TEXTE:
        return reponse.texte
    return reponse.modalite


@dataclass
class QuestionRepondue:
    question: Question
    reponse: Reponse | None

    @property
    def texte(self) -> str:
        return texte_reponse(self.question, self.reponse)


@dataclass
class SectionRepondue:
    section: Section
    questions: list[QuestionRepondue] = field(default_factory=list)


def sections_du_cadre(cadre) -> list[Section]:
    return list(cadre.sections.prefetch_related("questions"))


def questionnaire(evaluation: Evaluation, sections=None) -> list[SectionRepondue]:
    """The framework's sections and questions in order, each with the evaluation's answer.
    `sections`: the framework's, when the caller already read them (`sections_du_cadre`)."""
    reponses = {r.question_id: r for r in evaluation.reponses.all()}
    out = []
    for section in sections if sections is not None else sections_du_cadre(evaluation.cadre):
        out.append(
            SectionRepondue(
                section,
                [QuestionRepondue(q, reponses.get(q.pk)) for q in section.questions.all()],
            )
        )
    return out


def manquantes(evaluation: Evaluation) -> list[Question]:
    """The required questions still without an answer."""
    return [
        qr.question
        for s in questionnaire(evaluation)
        for qr in s.questions
        if qr.question.obligatoire and vide(qr.reponse)
    ]
