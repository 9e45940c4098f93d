"""Similar fiches of other territories, so that teams learn from each other.

French full-text similarity: words folded (case, accents), French stop words dropped,
Snowball French stems, TF-IDF weights and cosine similarity (SMART « lnc.ltc »: a stored fiche
weighs its stems by the log of their count, normed; the fiche one reads adds their rarity).
Only fields that are never secret are indexed (title, context, problem), so a similarity cannot
reveal a secret.

The index lives in the database (docs/adr/0019): each fiche's stems (TermeFiche) and each
stem's document frequency (Terme), rewritten for that fiche alone when its text changes. A page
reads the postings of the fiche's most telling stems, among the fiches the person may see, and
the database adds the scores up: no index held in memory, nothing to rebuild.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import snowballstemmer
from django.db import transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)

from .models import FicheAction, Terme, TermeFiche

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
LONGUEUR_TERME = 60
# Candidates are looked up by the fiche's most telling stems, as « more like this » searches
# do, leaving out the common ones (in more than a tenth of the fiches: long postings, little
# weight); the best candidates are then scored on all the stems.
TERMES_CHERCHES = 25
PART_COMMUNE = 0.1
CANDIDATS = 50
SEUIL = 0.05


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def termes(text: str) -> list[str]:
    words = [w for w in _WORD.findall(_fold(text)) if len(w) > 2 and w not in STOP]
    return [t[:LONGUEUR_TERME] for t in _STEMMER.stemWords(words)]


def _texte(titre: str, contexte: str, probleme: str) -> str:
    return f"{titre} {titre} {contexte} {probleme}"  # the title counts twice


def _log_tf(texte: str) -> dict[str, float]:
    return {t: 1 + math.log(c) for t, c in Counter(termes(texte)).items()}


def vecteur(titre: str, contexte: str, probleme: str) -> dict[str, float]:
    """The stored weights of a fiche: log of each stem's count, normed to 1."""
    v = _log_tf(_texte(titre, contexte, probleme))
    norme = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norme for t, x in v.items()}


# --- Writes: one fiche at a time -------------------------------------------------------------


def indexer(fiche: FicheAction) -> None:
    """Brings the index up to date for this fiche: its stems rewritten and the frequencies of
    the stems it gained or lost, nothing else (called when a fiche is saved)."""
    nouveau = vecteur(fiche.titre, fiche.contexte, fiche.probleme)
    with transaction.atomic():
        ancien = dict(TermeFiche.objects.filter(fiche=fiche).values_list("terme", "poids"))
        if ancien.keys() == nouveau.keys() and all(
            math.isclose(ancien[t], p) for t, p in nouveau.items()
        ):
            return
        TermeFiche.objects.filter(fiche=fiche).delete()
        TermeFiche.objects.bulk_create(
            TermeFiche(fiche=fiche, terme=t, poids=p) for t, p in nouveau.items()
        )
        _compter(nouveau.keys() - ancien.keys(), +1)
        _compter(ancien.keys() - nouveau.keys(), -1)


def oublier(fiche: FicheAction) -> None:
    """A fiche deleted: its stems count one fiche less (its rows go with it)."""
    _compter(TermeFiche.objects.filter(fiche=fiche).values_list("terme", flat=True), -1)


def _compter(mots, pas: int) -> None:
    mots = sorted(mots)  # always in the same order: two saves never wait on each other
    if not mots:
        return
    if pas > 0:
        Terme.objects.bulk_create([Terme(mot=m) for m in mots], ignore_conflicts=True)
    Terme.objects.filter(mot__in=mots).update(nb_fiches=F("nb_fiches") + pas)


def reindexer() -> int:
    """The whole index rebuilt from the fiches (after a bulk load that bypassed the saves,
    command `indexer_fiches`); returns the number of fiches."""
    frequences: Counter[str] = Counter()
    with transaction.atomic():
        TermeFiche.objects.all().delete()
        Terme.objects.all().delete()
        lot: list[TermeFiche] = []
        fiches = FicheAction.objects.values_list("pk", "titre", "contexte", "probleme")
        for pk, titre, contexte, probleme in fiches.iterator():
            v = vecteur(titre, contexte, probleme)
            frequences.update(v.keys())
            lot += [TermeFiche(fiche_id=pk, terme=t, poids=p) for t, p in v.items()]
            if len(lot) > 5000:
                TermeFiche.objects.bulk_create(lot)
                lot = []
        TermeFiche.objects.bulk_create(lot)
        Terme.objects.bulk_create(
            (Terme(mot=m, nb_fiches=c) for m, c in frequences.items()), batch_size=5000
        )
    return FicheAction.objects.count()


# --- Reads -----------------------------------------------------------------------------------


def _requete(fiche: FicheAction) -> tuple[dict[str, float], list[str]]:
    """The fiche read as a query: its stored weights times each stem's rarity
    (log(1 + N/df)), normed to 1; and the stems to look candidates up with, its most telling
    ones among those that are not common (a common stem's postings are long and weigh
    little; with nothing but common stems, the three rarest)."""
    # Its stems with their rarity and the number of fiches, in one read.
    lus = list(
        TermeFiche.objects.filter(fiche=fiche)
        .annotate(
            df=Subquery(Terme.objects.filter(mot=OuterRef("terme")).values("nb_fiches")[:1]),
            n=Subquery(_nombre_de_fiches()),
        )
        .values_list("terme", "poids", "df", "n")
    )
    v = {t: p for t, p, _, _ in lus}
    df = {t: d for t, _, d, _ in lus if d is not None}
    n = max(lus[0][3], 1) if lus else None
    if not v:  # not indexed yet (a bulk load): read from its text, nothing written
        v = vecteur(fiche.titre, fiche.contexte, fiche.probleme)
        df = dict(Terme.objects.filter(mot__in=v).values_list("mot", "nb_fiches")) if v else {}
    if n is None:
        n = max(FicheAction.objects.count(), 1)
    w = {t: x * math.log(1 + n / max(df.get(t, 0), 1)) for t, x in v.items()}
    norme = math.sqrt(sum(x * x for x in w.values())) or 1.0
    w = {t: x / norme for t, x in w.items()}
    par_poids = sorted(w, key=lambda t: (-w[t], t))
    rares = [t for t in par_poids if df.get(t, 0) <= PART_COMMUNE * n]
    return w, rares[:TERMES_CHERCHES] or par_poids[:3]


def _nombre_de_fiches():
    """The number of fiches, as a subquery (COUNT without GROUP BY: one row)."""
    compte = Func(Value(1), function="COUNT", output_field=IntegerField())
    return FicheAction.objects.order_by().annotate(c=compte).values("c")[:1]


def _score(q: dict[str, float]) -> Sum:
    poids_requete = Case(
        *(When(terme=t, then=Value(w)) for t, w in q.items()), output_field=FloatField()
    )
    return Sum(F("poids") * poids_requete)


def similaires(fiche: FicheAction, parmi, n: int = 5) -> list[tuple[FicheAction, float]]:
    """The `n` fiches of other territories closest to this one, among those `parmi` (the
    queryset the person may see): candidates found by the fiche's telling stems, then scored
    on all its stems (the cosine of the two vectors)."""
    q, cherches = _requete(fiche)
    if not cherches:
        return []
    autres = parmi.exclude(territoire_id=fiche.territoire_id).values("pk")
    candidats = (
        TermeFiche.objects.filter(terme__in=cherches)
        # `fiche_id + 0`: the postings of the stems drive the query (their index), the fiches
        # one may see only sift them; otherwise SQLite walks every visible fiche.
        .alias(visible=F("fiche_id") + 0)
        .filter(visible__in=autres)
        .values("fiche_id")
        .annotate(score=_score({t: q[t] for t in cherches}))
        .order_by("-score", "fiche_id")
        .values_list("fiche_id", flat=True)[:CANDIDATS]
    )
    scores: Counter[int] = Counter()
    for pk, terme, poids in TermeFiche.objects.filter(
        fiche_id__in=list(candidats), terme__in=q
    ).values_list("fiche_id", "terme", "poids"):
        scores[pk] += poids * q[terme]
    meilleurs = sorted(
        ((pk, s) for pk, s in scores.items() if s > SEUIL), key=lambda c: (-c[1], c[0])
    )[:n]
    par_pk = FicheAction.objects.select_related("territoire").in_bulk([pk for pk, _ in meilleurs])
    return [(par_pk[pk], round(s, 3)) for pk, s in meilleurs]
