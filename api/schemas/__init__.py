from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator

from referentiel import saisie

# Every integer a caller sends (identifiers, phases, pagination) is bounded, so that none
# reaches the database beyond what it holds: 422 with the French message instead.
Identifiant = Annotated[int, Field(ge=1, le=saisie.ENTIER_MAX)]


def _lisible(valeur: str) -> str:
    try:
        saisie.valider_texte(valeur)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return valeur


# A text the database is asked about (a code, a SIREN, an address): the rule of every text
# (referentiel.saisie) at the door, since PostgreSQL refuses NUL in a query. Texts that are
# stored are checked by the models, with the same message.
Cle = Annotated[str, AfterValidator(_lisible)]
LIMITE_MAX = 1000
DECALAGE_MAX = 1_000_000_000


class Pagination(LimitOffsetPagination):
    """`limit` (100 by default, at most 1 000) and `offset`, both bounded."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=LIMITE_MAX)
        offset: int = Field(0, ge=0, le=DECALAGE_MAX)


class EpciPartOut(Schema):
    siren: str
    nom: str
    nature: str
    part_communes: float
    part_population: float
    communes_dans: int
    communes_total: int


class TerritoireOut(Schema):
    code: str
    nom: str
    phase: int
    regions: list[str]
    interregional: bool
    pilote: bool
    population: int
    nb_communes: int
    epcis: list[EpciPartOut]


class ChangementOut(Schema):
    date: date
    nature: str
    libelle: str
    description: str
    communes_ajoutees: int
    communes_retirees: int
    decision: str
    instance: str
    demo: bool


class CommuneOut(Schema):
    code: str
    nom: str
    population: int


class CommunePerimetreOut(CommuneOut):
    # Other territories of the phase holding this commune too (an official list may share it).
    partagee_avec: list[str] = []


class TerritoireDetailOut(TerritoireOut):
    date: date
    date_creation: date
    date_retrait: date | None
    communes: list[CommunePerimetreOut]
    historique: list[ChangementOut]


class AppartenanceOut(Schema):
    code: str
    nom: str
    phase: int
    part_communes: float
    part_population: float
    communes_dans: int
    communes_total: int


class EpciOut(Schema):
    siren: str
    nom: str
    nature: str
    parent: str | None
    population: int
    date: date
    phase: int | None
    communes: list[CommuneOut]
    territoires: list[AppartenanceOut]


class RegionOut(Schema):
    code: str
    nom: str


class Erreur(Schema):
    """Every error answer of the API, whatever its status."""

    detail: str | list[dict] = Field(
        description="Message en français ; pour un corps qui ne respecte pas le schéma (422), "
        "la liste de ses erreurs (`loc`, `msg` en français, `type`)."
    )


class Difference(Schema):
    champ: str
    votre_valeur: str | None
    valeur_actuelle: str | None


class Conflit(Schema):
    """409: the version sent is outdated; nothing was overwritten."""

    detail: str
    differences: list[Difference]
