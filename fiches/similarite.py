"""Similar fiches of other territories, so that teams learn from each other.

French full-text similarity: words folded (case, accents), French stop words dropped,
Snowball French stems, TF-IDF weights and cosine similarity. Only fields that are never secret
are indexed (title, context, problem), so a similarity cannot reveal a secret.
The index is rebuilt when a fiche changes (key: latest modification) and kept in the cache.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import snowballstemmer
from django.core.cache import cache
from django.db.models import Count, Max

from .models import FicheAction

# French stop words, folded (no accents).
STOP = set(
    """
a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
ton tu un une vos votre vous c d j l m n s t y ete etre avoir ont est sont cette cet afin
entre plus tres sans sous leurs tout tous toute toutes ainsi dont etc
""".split()  # noqa: SIM905 (a readable block of words)
)
_STEMMER = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def termes(text: str) -> list[str]:
    words = [w for w in _WORD.findall(_fold(text)) if len(w) > 2 and w not in STOP]
    return _STEMMER.stemWords(words)


def _index() -> tuple[dict[int, dict[str, float]], dict[int, int]]:
    agg = FicheAction.objects.aggregate(m=Max("modifie_le"), n=Count("id"))
    stamp = agg["m"].timestamp() if agg["m"] else 0
    key = f"similarite:{stamp}:{agg['n']}"
    index = cache.get(key)
    if index is None:
        docs = {
            pk: Counter(termes(f"{titre} {titre} {contexte} {probleme}"))
            for pk, titre, contexte, probleme in FicheAction.objects.values_list(
                "pk", "titre", "contexte", "probleme"
            )
        }
        df = Counter(t for tf in docs.values() for t in tf)
        n = len(docs) or 1
        vecteurs, territoires = {}, {}
        for pk, tf in docs.items():
            v = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in tf.items()}
            norme = math.sqrt(sum(x * x for x in v.values())) or 1.0
            vecteurs[pk] = {t: x / norme for t, x in v.items()}
        territoires = dict(FicheAction.objects.values_list("pk", "territoire_id"))
        index = (vecteurs, territoires)
        cache.set(key, index, 3600)
    return index


def similaires(fiche: FicheAction, parmi, n: int = 5) -> list[tuple[FicheAction, float]]:
    """The `n` fiches of other territories closest to this one, among those `parmi` (the
    queryset the person may see)."""
    vecteurs, territoires = _index()
    v = vecteurs.get(fiche.pk)
    if not v:
        return []
    scores = []
    for pk, w in vecteurs.items():
        if territoires.get(pk) == fiche.territoire_id:
            continue
        s = sum(x * w.get(t, 0.0) for t, x in v.items())
        if s > 0.05:
            scores.append((s, pk))
    scores.sort(reverse=True)
    visibles = parmi.filter(pk__in=[pk for _, pk in scores[: n * 4]]).select_related("territoire")
    par_pk = {f.pk: f for f in visibles}
    return [(par_pk[pk], round(s, 3)) for s, pk in scores if pk in par_pk][:n]
