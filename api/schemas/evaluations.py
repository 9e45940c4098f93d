"""Shapes of the evaluations API (api/evaluations.py)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from evaluations.enums import EtatEvaluation, NatureEvaluation

from . import Cle, Identifiant, Jour

EtatLiteral = Literal[tuple(EtatEvaluation.values)]  # type: ignore[valid-type]
NatureLiteral = Literal[tuple(NatureEvaluation.values)]  # type: ignore[valid-type]


class FiltresEvaluations(Schema):
    phase: Identifiant | None = None
    territoire: Cle | None = Field(None, max_length=12, description="« ti-8401 », « 8401 »…")
    etat: EtatLiteral | None = None
    nature: NatureLiteral | None = None


class TerritoireRef(Schema):
    code: str
    nom: str
    phase: int


class CadreRef(Schema):
    id: int
    titre: str
    version: int


class EvaluationOut(Schema):
    id: int
    territoire: TerritoireRef
    nature: str = Field(description="mi_parcours ou finale.")
    nature_libelle: str
    etat: str
    etat_libelle: str
    tour: int = Field(description="Tour de revue : un par soumission.")
    cadre: CadreRef
    modifie_le: datetime


class QuestionOut(Schema):
    id: int
    intitule: str
    nature: str
    obligatoire: bool
    reponse: str = Field(description="La réponse telle qu'elle se lit ; vide sans réponse.")
    nombre: Decimal | None = Field(description="Pour une question qui attend un nombre.")


class SectionOut(Schema):
    titre: str
    questions: list[QuestionOut]


class RevueOut(Schema):
    tour: int
    role: str = Field(description="region ou etat.")
    date: Jour
    avis: str
    commentaire: str


class MouvementOut(Schema):
    action: str
    libelle: str
    etat_avant: str
    etat_apres: str
    date: Jour
    commentaire: str


class EvaluationDetailOut(EvaluationOut):
    sections: list[SectionOut]
    revues: list[RevueOut]
    parcours: list[MouvementOut]
    chiffres: dict = Field(
        description="Chiffres tirés de la plateforme : gardés à la dernière soumission, du jour "
        "pendant la rédaction ; l'argent sous secret statistique (un total retenu : null)."
    )
