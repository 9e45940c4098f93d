"""Optimistic locks for objects that carry no version number: the version is a fingerprint of
the fields the writer read (a meeting's minutes, a contract's canvas, a measure). A writer
sends back the fingerprint it read; if the stored fields no longer give it, someone saved in
between and nothing is written (comptes.services.ConflitEdition, 409 in the API)."""

from __future__ import annotations

import hashlib
import json

from .services import ConflitEdition


def _valeur(valeur) -> object:
    if isinstance(valeur, list | tuple | set | frozenset):
        return sorted(str(v) for v in valeur)
    return None if valeur is None else str(valeur)


def empreinte(valeurs: dict) -> str:
    """The version of these field values: the same values give the same version."""
    texte = json.dumps({k: _valeur(v) for k, v in sorted(valeurs.items())}, ensure_ascii=False)
    return hashlib.sha256(texte.encode()).hexdigest()[:16]


def verifier(actuelles: dict, version: str, donnees: dict) -> None:
    """Refuses the write when `version` is not the fingerprint of the stored values: the
    differences list each field sent whose stored value is not the one sent."""
    if empreinte(actuelles) == version:
        return
    differences = [
        (nom, donnees[nom], actuelles[nom])
        for nom in donnees
        if nom in actuelles and _valeur(actuelles[nom]) != _valeur(donnees[nom])
    ]
    raise ConflitEdition(differences or [("version", version, empreinte(actuelles))])
