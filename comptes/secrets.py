"""Industrial secrecy (FAQ §7.3), for any model.

A model lists the fields that may be secret (`SECRETABLE`) and keeps, per object, those that
are (`champs_secrets`). Values are read only through `champs()` / `valeurs()`: a person without
the need to know gets the field masked, a person with it gets the value and the read is logged
(who, what, when), for the territory's team to see. Everyone else sees aggregates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import LectureSecret
from .permissions import Contexte, contexte, peut_lire_secrets

MASQUE = "Confidentiel"
# Statistical secrecy: an aggregate over fewer firms would disclose one of them.
SEUIL_AGREGAT = 3


@dataclass
class Champ:
    nom: str
    libelle: str
    valeur: Any
    secret: bool
    masque: bool


def est_secret(obj, nom: str) -> bool:
    return nom in (getattr(obj, "champs_secrets", None) or ())


def champs(user, obj, noms, *, canal: str = "page", ctx: Contexte | None = None) -> list[Champ]:
    """Fields for display, masked where the person has no need to know; reads are logged.

    `ctx`: the object's access context when the caller already has it (a bulk export), to
    spare the queries of `contexte(obj)`; it must be what `contexte(obj)` would return."""
    ctx = ctx or contexte(obj)
    lisible = peut_lire_secrets(user, obj, ctx)
    out, lus = [], []
    for nom in noms:
        field = obj._meta.get_field(nom)
        secret = est_secret(obj, nom)
        if secret and not lisible:
            out.append(Champ(nom, str(field.verbose_name), None, True, True))
            continue
        valeur = getattr(obj, nom)
        if secret and valeur not in (None, ""):
            lus.append(nom)
        out.append(Champ(nom, str(field.verbose_name), valeur, secret, False))
    if lus:
        journaliser(user, obj, lus, canal=canal, territoires=ctx.territoires)
    return out


def valeurs(
    user, obj, noms, *, canal: str = "api", ctx: Contexte | None = None
) -> tuple[dict, list[str]]:
    """Values for the API or an export: masked fields are None and listed apart."""
    result, masques = {}, []
    for c in champs(user, obj, noms, canal=canal, ctx=ctx):
        result[c.nom] = c.valeur
        if c.masque:
            masques.append(c.nom)
    return result, masques


@transaction.atomic
def journaliser(user, obj, noms, *, canal: str, territoires) -> None:
    ct = ContentType.objects.get_for_model(obj)
    lignes = LectureSecret.objects.bulk_create(
        LectureSecret(lecteur=user, content_type=ct, object_id=str(obj.pk), champ=nom, canal=canal)
        for nom in noms
    )
    through = LectureSecret.territoires.through
    through.objects.bulk_create(
        through(lecturesecret_id=ligne.pk, territoire_id=t) for ligne in lignes for t in territoires
    )


def journal(territoire) -> list[LectureSecret]:
    return list(
        LectureSecret.objects.filter(territoires=territoire).select_related(
            "lecteur", "lecteur__personne", "content_type"
        )[:500]
    )
