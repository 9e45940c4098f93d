"""Figures computed from the data, kept until the data changes (docs/adr/0021-memoire.md).

Every write a person makes goes to the journal of writes (comptes.audit): the number of its
last entry is the version of the data. A result kept under that number, the day (delays count
Paris days) and its reader (what one sees depends on one's rights, which are written and
journaled too) stays exact until the next write anywhere; the next reader computes it again.
The last entry's time tells a database from another one built anew with the same numbers, and
the release (the project's code and templates) is part of every key: a deployment never reads
what older code computed. Kept in the cache `memoire` (settings.CACHES: files shared by the
workers of one server). A result computed under secrecy marks the response that reads it later
as private, as when it was computed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeVar

from auditlog.models import LogEntry
from django.conf import settings
from django.core.cache import caches
from django.db.models import Subquery
from django.utils import timezone

from referentiel.models import ImportReferentiel

from . import secrets

T = TypeVar("T")
# A bound on what a result that nobody asks for again occupies; its version ends it sooner.
DUREE = 6 * 3600
_ABSENT = object()
# The version as one read request reads it (version_lue_une_fois); None outside of one.
_VERSION: ContextVar[dict | None] = ContextVar("version_de_la_requete", default=None)


@contextmanager
def version_lue_une_fois() -> Iterator[None]:
    """Within it, the version is read once, however many results the request asks for (the
    menu's count, the fiche's lists, its similar fiches). For a request that reads: it writes
    nothing to the journal, so the version it read first is still the one of its data, or an
    older one (a result is never kept under a version newer than its data)."""
    jeton = _VERSION.set({})
    try:
        yield
    finally:
        _VERSION.reset(jeton)


# Folders of the project that hold no code: data, files, the environment, the benchmark's sets.
_SANS_CODE = {"media", "staticfiles", "node_modules", "travail", "var", "data", "docs"}


def version() -> str:
    """The version of the data: the number and time of the last entry of the journal of writes
    (read once in a read request: version_lue_une_fois)."""
    memo = _VERSION.get()
    if memo is None:
        return _derniere_ecriture()
    if "v" not in memo:
        memo["v"] = _derniere_ecriture()
    return memo["v"]


def _derniere_ecriture() -> str:
    # A load of the referential (populations, names) is the one write outside the journal.
    chargement = ImportReferentiel.objects.order_by("-pk").values("pk")[:1]
    dernier = (
        LogEntry.objects.order_by("-pk")
        .annotate(chargement=Subquery(chargement))
        .values_list("pk", "timestamp", "chargement")
        .first()
    )
    return f"{dernier[0]}.{dernier[1].timestamp()}.{dernier[2]}" if dernier else "0"


@cache
def edition() -> str:
    """The release running: a digest of the project's code and templates (names, sizes, times),
    read once per process."""
    h = hashlib.sha256()
    for racine, dossiers, fichiers in os.walk(settings.BASE_DIR):
        dossiers[:] = sorted(d for d in dossiers if not d.startswith(".") and d not in _SANS_CODE)
        for nom in sorted(fichiers):
            if nom.endswith((".py", ".html", ".txt")):
                st = (Path(racine) / nom).stat()
                h.update(f"{racine}/{nom}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _cle(espace: str, cle: str, lecteur, v: str) -> str:
    qui = getattr(lecteur, "pk", None) if getattr(lecteur, "is_authenticated", False) else None
    empreinte = hashlib.sha256(cle.encode()).hexdigest()[:32]
    jour = timezone.localdate().isoformat()
    return f"ti:{edition()}:{espace}:{v}:{jour}:{qui or 'anonyme'}:{empreinte}"


def memoriser(espace: str, cle: str, lecteur, calcul: Callable[[], T]) -> T:
    """`calcul()` as `lecteur` sees it, computed once per version of the data and day.

    The version is read before computing: a write that lands during the computation gives a
    new version, so a result is never kept under a version newer than its data."""
    memoire = caches["memoire"]
    k = _cle(espace, cle, lecteur, version())
    garde = memoire.get(k, _ABSENT)
    if garde is not _ABSENT:
        valeur, prive = garde
        if prive:
            secrets.marquer_reponse()
        return valeur
    with secrets.observer() as marque:
        valeur = calcul()
    memoire.set(k, (valeur, marque.secrets), DUREE)
    return valeur


def oublier() -> None:
    """After data is put back outside the journal (a restored backup): nothing kept holds."""
    caches["memoire"].clear()
