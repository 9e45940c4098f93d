"""Shapes shared by every domain of the API: bounded integers, texts asked about, pagination,
references. Each domain's shapes are in `api/schemas/<domain>.py`; the error answers in
api.erreurs."""

import re
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator

from referentiel import saisie

# What the validation library would otherwise read loosely: `true` as 1, "1_0" as 10, 0 or
# "0" as 1970-01-01. A caller sends what the OpenAPI document says, or gets a 422.
_ENTIER = re.compile(r"-?[0-9]+")
_JOUR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*")


def _entier(valeur):
    if isinstance(valeur, bool) or (isinstance(valeur, str) and not _ENTIER.fullmatch(valeur)):
        raise ValueError("Un nombre entier est attendu.")
    return valeur


def _jour(valeur):
    if isinstance(valeur, date) and not isinstance(valeur, datetime):
        return valeur
    if isinstance(valeur, str) and _JOUR.fullmatch(valeur):
        return valeur
    raise ValueError("Une date est attendue (AAAA-MM-JJ).")


def _moment(valeur):
    if isinstance(valeur, datetime) or (isinstance(valeur, str) and _MOMENT.fullmatch(valeur)):
        return valeur
    raise ValueError("Une date et une heure sont attendues (AAAA-MM-JJTHH:MM).")


# Every integer a caller sends (identifiers, phases, pagination) is bounded, so that none
# reaches the database beyond what it holds: 422 with the French message instead.
Identifiant = Annotated[int, BeforeValidator(_entier), Field(ge=1, le=saisie.ENTIER_MAX)]
Entier = Annotated[int, BeforeValidator(_entier)]
# A day as the document says it: AAAA-MM-JJ, nothing else (no timestamp, no time).
Jour = Annotated[date, BeforeValidator(_jour)]
Moment = Annotated[datetime, BeforeValidator(_moment)]


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
        limit: Entier = Field(100, ge=1, le=LIMITE_MAX)
        offset: Entier = Field(0, ge=0, le=DECALAGE_MAX)


# Another object named in an answer: its identifier and its name.
class Reference(Schema):
    id: int
    nom: str
