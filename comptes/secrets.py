"""Industrial secrecy (FAQ §7.3), for any model.

A model lists the fields that may be secret (`SECRETABLE`) and keeps, per object, those that
are (`champs_secrets`). Values are read only through `champs()` / `valeurs()`: a person without
the need to know gets the field masked, a person with it gets the value and the read is logged
(who, what, when), for the territory's team to see. Everyone else sees aggregates only.

Aggregates (statistical secrecy): every total of a secret figure, on any page, API answer,
export or dashboard, is computed by `totaliser()` (or `total()` for model objects), which
withholds it when it would disclose one firm's value (docs/adr/0007-secret-statistique.md).

Responses: whenever a secret field or a total of secret values is asked for while a request
is served, the request is marked (`ReponsePrivee`, set by comptes.middleware), and its response
goes out with `Cache-Control: private, no-store`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import LectureSecret
from .permissions import Contexte, contexte, peut_lire_secrets

MASQUE = "Confidentiel"
# Statistical secrecy, as official statistics apply it: a total over fewer than three firms,
# or one where a single firm makes more than 85 % of it, would disclose that firm's figure.
SEUIL_AGREGAT = 3
DOMINANCE = Decimal("0.85")
MOTIF_SEUIL = "secret statistique : moins de trois entreprises renseignées"
MOTIF_DOMINANCE = "secret statistique : une entreprise représente plus de 85 % du total"


class ReponsePrivee:
    """Set for the time of a request: whether its response carries (or may carry) secrets."""

    def __init__(self) -> None:
        self.secrets = False


_reponse: ContextVar[ReponsePrivee | None] = ContextVar("reponse_privee", default=None)


def suivre_reponse() -> tuple[ReponsePrivee, object]:
    """For the middleware: start watching the current request (returns the reset token)."""
    marque = ReponsePrivee()
    return marque, _reponse.set(marque)


def fin_de_reponse(jeton) -> None:
    _reponse.reset(jeton)


def _marquer() -> None:
    marque = _reponse.get()
    if marque is not None:
        marque.secrets = True


def marquer_reponse() -> None:
    """For figures computed earlier under secrecy and read now (a frozen snapshot): the
    response that carries them is never kept by a cache either."""
    _marquer()


@contextmanager
def observer():
    """Whether what runs inside asks for secrets (yields its own mark); the request around it
    is marked as well. comptes.memoire keeps the answer with a result computed inside."""
    dehors = _reponse.get()
    marque = ReponsePrivee()
    jeton = _reponse.set(marque)
    try:
        yield marque
    finally:
        _reponse.reset(jeton)
        if marque.secrets and dehors is not None:
            dehors.secrets = True


@dataclass
class Champ:
    nom: str
    libelle: str
    valeur: Any
    secret: bool
    masque: bool


def est_secret(obj, nom: str) -> bool:
    return nom in (getattr(obj, "champs_secrets", None) or ())


def champs_secrets_admis(model, noms) -> list[str]:
    """The fields of `model` asked to be secret, in the model's order. A field the model does
    not let be secret is refused, whatever the channel (page, API, import): silently dropping
    it would leave public what the writer believed secret."""
    inconnus = set(noms) - set(model.SECRETABLE)
    if inconnus:
        raise ValidationError(
            {
                "champs_secrets": f"Peuvent être secrets : {', '.join(model.SECRETABLE)} "
                f"(pas {', '.join(sorted(inconnus))})."
            }
        )
    return [c for c in model.SECRETABLE if c in set(noms)]


def champs(user, obj, noms, *, canal: str = "page", ctx: Contexte | None = None) -> list[Champ]:
    """Fields for display, masked where the person has no need to know; reads are logged.

    `ctx`: the object's access context when the caller already has it (a bulk export), to
    spare the queries of `contexte(obj)`; it must be what `contexte(obj)` would return."""
    ctx = ctx or contexte(obj)
    lisible = peut_lire_secrets(user, obj, ctx)
    if any(est_secret(obj, nom) for nom in noms):
        _marquer()  # a view that renders secrets: its response is never stored by a cache
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


# Reads waiting to be logged together (`journal_groupe`), for the time of a block, and how
# many may wait before they are written.
_groupe: ContextVar[tuple[list, int | None] | None] = ContextVar("lectures_groupees", default=None)


def journaliser(user, obj, noms, *, canal: str, territoires) -> None:
    lecture = (user, obj, list(noms), canal, set(territoires))
    if (en_cours := _groupe.get()) is None:
        _ecrire_journal([lecture])
        return
    groupe, plafond = en_cours
    groupe.append(lecture)
    if plafond is not None and len(groupe) >= plafond:
        _ecrire_journal(groupe)
        groupe.clear()


@contextmanager
def journal_groupe(plafond: int | None = None):
    """The reads of the block logged together when it ends, in two writes whatever their
    number (an export reads thousands of objects: a few writes, not one per object).
    The caller hands out what was read only after the block: never a secret without its
    log. A block that fails logs nothing it had not yet written (nothing read was handed
    out). With a `plafond`, the reads are also written each time that many wait: the memory
    of a long block stays bounded (logging before handing out is the safe side)."""
    groupe: list = []
    jeton = _groupe.set((groupe, plafond))
    try:
        yield
    finally:
        _groupe.reset(jeton)
    _ecrire_journal(groupe)


def _ecrire_journal(lectures) -> None:
    # Nothing read, nothing written: not even an empty transaction.
    if lectures:
        _ecrire(lectures)


@transaction.atomic
def _ecrire(lectures) -> None:
    lignes, territoires_des = [], []
    for user, obj, noms, canal, territoires in lectures:
        ct = ContentType.objects.get_for_model(obj)
        for nom in noms:
            lignes.append(
                LectureSecret(
                    lecteur=user, content_type=ct, object_id=str(obj.pk), champ=nom, canal=canal
                )
            )
            territoires_des.append(territoires)
    lignes = LectureSecret.objects.bulk_create(lignes)
    through = LectureSecret.territoires.through
    through.objects.bulk_create(
        through(lecturesecret_id=ligne.pk, territoire_id=t)
        for ligne, territoires in zip(lignes, territoires_des, strict=True)
        for t in territoires
    )


def journal(territoire) -> list[LectureSecret]:
    return list(
        LectureSecret.objects.filter(territoires=territoire).select_related(
            "lecteur", "lecteur__personne", "content_type"
        )[:500]
    )


def situation_lisible(user, profil) -> bool:
    """A firm's declaration under the RGEC (in difficulty or not) is its own situation, never
    a public fact: only those with the need to know its secrets read it (FAQ §7.3)."""
    return peut_lire_secrets(user, profil)


# --- Statistical secrecy: totals ----------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """One value entering a total.

    `unite`: whose figure it is (the firm): the values of one unit add up before the rules
    apply. `secret`: covered by the secret; `lisible`: the person may read it anyway (need to
    know). A public or readable value is known to the reader: only the others are protected."""

    unite: object
    valeur: int | Decimal | None
    secret: bool = True
    lisible: bool = False


@dataclass(frozen=True)
class Total:
    """A total as a person may see it: `valeur`, or withheld (`valeur` None) with `motif`."""

    valeur: int | Decimal | None
    motif: str = ""
    renseignees: int = 0  # units that have a value for this figure

    @property
    def retenu(self) -> bool:
        return bool(self.motif)


def totaliser(contributions: Iterable[Contribution]) -> Total:
    """The one rule for every total of secret figures (docs/adr/0007-secret-statistique.md).

    Only values that exist count (an empty figure is no figure). The values the person may
    read (public, or within their need to know) are known; the others, added up by unit, must
    come from at least three units, none of which makes more than 85 % of them — otherwise
    the total is withheld whole, since the known part subtracted from it would leave one
    firm's value. Someone who may read every value gets the exact total."""
    connu, caches = [], defaultdict(lambda: 0)
    unites = set()
    secret = False
    for c in contributions:
        secret = secret or c.secret
        if c.valeur is None:
            continue
        unites.add(c.unite)
        if c.secret and not c.lisible:
            caches[c.unite] += c.valeur
        else:
            connu.append(c.valeur)
    if secret:
        _marquer()
    if caches:
        if len(caches) < SEUIL_AGREGAT:
            return Total(None, MOTIF_SEUIL, len(unites))
        somme = sum(caches.values())
        if max(caches.values()) > DOMINANCE * somme:
            return Total(None, MOTIF_DOMINANCE, len(unites))
    if not unites:
        return Total(None, "", 0)
    return Total(sum(connu) + sum(caches.values()), "", len(unites))


def total(
    user,
    objets: Iterable,
    nom: str,
    *,
    unite: Callable[[Any], object],
    contextes: Callable[[Any], Contexte] | None = None,
) -> Total:
    """`totaliser()` over a field of model objects, each read as `champs()` would decide
    (public, or within this person's need to know). `unite(obj)`: the firm the value belongs
    to; `contextes(obj)`: the object's access context when the caller has it (no query)."""
    out = []
    for obj in objets:
        valeur = getattr(obj, nom)
        secret = est_secret(obj, nom)
        lisible = not secret or (
            valeur is not None
            and peut_lire_secrets(user, obj, contextes(obj) if contextes else None)
        )
        out.append(Contribution(unite(obj), valeur, secret, lisible))
    return totaliser(out)
