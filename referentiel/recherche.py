"""Finding a commune as people type it: its INSEE code, or its name without caring for case,
accents, hyphens or apostrophes (« tournon sur rhone » finds Tournon-sur-Rhône).

The ~35,000 names are folded once per process and kept while the referential stays the same
(the last load and the number of communes say so): folding them on each search would cost
a fifth of a second.
"""

from __future__ import annotations

import re
import threading

from .models import Commune, ImportReferentiel
from .saisie import cle

CODE_COMMUNE = re.compile(r"^(\d{5}|2[AaBb]\d{3})$")
LONGUEUR_MIN = 3  # below it, a name matches thousands of communes
MAX_COMMUNES = 200

_verrou = threading.Lock()
_index: tuple[tuple, list[tuple[str, str]]] = ((), [])


def replier(texte: str) -> str:
    """The key names are compared on: folded, with word separators as spaces."""
    return " ".join(re.sub(r"[-'’‐]", " ", cle(texte)).split())


def _version() -> tuple:
    dernier = ImportReferentiel.objects.order_by("-id").values_list("id", flat=True).first()
    return (dernier, Commune.objects.count())


def _noms() -> list[tuple[str, str]]:
    global _index
    version = _version()
    with _verrou:
        if _index[0] != version:
            _index = (
                version,
                [(replier(nom), code) for code, nom in Commune.objects.values_list("code", "nom")],
            )
        return _index[1]


def communes(q: str) -> list[str]:
    """The INSEE codes of the communes that `q` names: its code, or a name whose words start
    with the words typed (at most MAX_COMMUNES, none for fewer than three letters)."""
    q = (q or "").strip()
    if CODE_COMMUNE.match(q):
        return list(Commune.objects.filter(code=q.upper()).values_list("code", flat=True))
    aiguille = replier(q)
    if len(aiguille) < LONGUEUR_MIN:
        return []
    trouvees = []
    for nom, code in _noms():
        if f" {aiguille}" in f" {nom}":
            trouvees.append(code)
            if len(trouvees) >= MAX_COMMUNES:
                break
    return trouvees
