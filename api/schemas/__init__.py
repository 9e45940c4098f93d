"""Shapes shared by every domain of the API: bounded integers, texts asked about, pagination,
references. Each domain's shapes are in `api/schemas/<domain>.py`; the error answers in
api.erreurs."""

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


# Another object named in an answer: its identifier and its name.
class Reference(Schema):
    id: int
    nom: str
