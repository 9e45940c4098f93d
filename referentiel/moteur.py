"""The platform's search (docs/adr/0018-recherche.md): French folding, and the registry of
what each domain lets be found.

Folding: case, accents, hyphens and apostrophes do not count, and each word is kept with its
Snowball French stem, so that a plural or a feminine meets its singular (« fonderies » finds
« fonderie »). A query word matches a word of the text that starts with it, or with its stem.
The same folding runs in Python for every database: SQLite and PostgreSQL answer the same.

Providers: each domain declares, in its own `recherche.py`, one function per kind of result
(`@fournisseur`); it returns the objects the reader may see that match, from the domain's own
scoped querysets, and only ever looks at fields that are never secret. Pages and the API ask
`chercher()` and know nothing of the domains' fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import snowballstemmer
from django.db.models import Q
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

LONGUEUR_MIN = 2  # a single letter would match nearly everything
MOTS_MAX = 8  # beyond, a query is a sentence pasted: its first words are enough
_MOT = re.compile(r"[a-z0-9]+")
# Words that say nothing on their own, dropped from a query that has others.
VIDES = frozenset(
    "a au aux avec d de des du en et l la le les ou par pour sur un une".split()  # noqa: SIM905
)
_STEMMER = snowballstemmer.stemmer("french")


def sans_accents(texte: str) -> str:
    texte = unicodedata.normalize("NFKD", str(texte).lower())
    return "".join(c for c in texte if not unicodedata.combining(c))


def mots(texte: str) -> list[str]:
    """The words of a text, folded: « Tournon-sur-Rhône » is tournon, sur, rhone."""
    return _MOT.findall(sans_accents(texte))


@lru_cache(maxsize=200_000)
def racine(mot: str) -> str:
    """The Snowball French stem of a folded word (kept: the vocabulary is small)."""
    return _STEMMER.stemWord(mot)


def plier(*textes: str) -> str:
    """The searchable form of a text: each word and its stem, once, between spaces (so that
    « contains ' mot' » means « a word starts with mot »)."""
    vus: dict[str, None] = {}
    for texte in textes:
        for mot in mots(texte or ""):
            vus[mot] = None
            vus[racine(mot)] = None
    return f" {' '.join(vus)} " if vus else ""


LONGUEUR_INDEXEE = 60  # a word's first letters are enough to find it
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"  # the letters of a folded word, in order


def mots_indexes(texte_plie: str) -> list[str]:
    """The words of a folded text (`plier`) a word index keeps, sorted: a word that begins
    another one of the same text is left out, since every beginning of it begins the other
    (« le » goes, « les » stays): the index finds the same beginnings with fewer rows."""
    tries = sorted({m[:LONGUEUR_INDEXEE] for m in texte_plie.split()})
    return [m for m, apres in zip(tries, [*tries[1:], ""], strict=True) if not apres.startswith(m)]


def _apres(debut: str) -> str | None:
    """The first folded word after all those that begin with `debut` (None: there is none).
    Among words of [0-9a-z], « begins with debut » is the range [debut, _apres(debut)) in
    any collation that orders letters and digits as the alphabet does (SQLite's, and
    PostgreSQL's whatever its locale): an index on the column answers it."""
    debut = debut.rstrip("z")
    if not debut:
        return None
    dernier = debut[-1]
    suivant = (
        _ALPHABET[_ALPHABET.index(dernier) + 1] if dernier in _ALPHABET else chr(ord(dernier) + 1)
    )
    return debut[:-1] + suivant


def commence_par(champ: str, debut: str) -> Q:
    """`champ` begins with the folded `debut`, as a range an index reads (see `_apres`)."""
    debut = debut[:LONGUEUR_INDEXEE]
    fin = _apres(debut)
    q = Q(**{f"{champ}__gte": debut})
    return q & Q(**{f"{champ}__lt": fin}) if fin else q


@dataclass(frozen=True)
class Requete:
    """What a person typed, ready to be matched: for each word, the beginnings that find it."""

    texte: str
    aiguilles: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.aiguilles)

    def correspond(self, texte_plie: str) -> bool:
        """Whether a folded text (`plier`) holds every word of the query."""
        return all(any(f" {a}" in texte_plie for a in mot) for mot in self.aiguilles)

    def filtre(self, champ: str) -> Q:
        """The same test in SQL, on a column that holds a folded text."""
        q = Q()
        for mot in self.aiguilles:
            un = Q()
            for a in mot:
                un |= Q(**{f"{champ}__contains": f" {a}"})
            q &= un
        return q

    def filtre_index(self, index, colonne: str) -> Q:
        """The same test through a word index: `index`, a queryset of rows (`mot`, and in
        `colonne` the key of the object whose folded text holds it, written from
        `mots_indexes`); each word of the query is a range of that index, not a read of
        every text."""
        q = Q()
        for mot in self.aiguilles:
            un = Q()
            for a in mot:
                un |= commence_par("mot", a)
            q &= Q(pk__in=index.filter(un).values(colonne))
        return q


def requete(q: str) -> Requete:
    """The query for `q`: its folded words (common small words dropped when others remain),
    each found by its beginning or by its stem's."""
    texte = " ".join(str(q or "").split())[:200]
    tous = [m for m in mots(texte) if len(m) >= LONGUEUR_MIN or m.isdigit()]
    pleins = [m for m in tous if m not in VIDES] or tous
    aiguilles = []
    for mot in pleins[:MOTS_MAX]:
        r = racine(mot)
        # The stem is most often the word's beginning, which it then finds too.
        aiguilles.append((r,) if mot.startswith(r) else (r, mot))
    return Requete(texte, tuple(aiguilles))


# --- Registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resultat:
    """One thing found, as pages and the API show it; never a secret field.

    `page`: the URL name of its page and its arguments, resolved by pages and the API, and
    `parametres` its query string if any."""

    titre: str
    detail: str
    page: tuple[str, tuple]
    identifiant: str
    demo: bool = False
    parametres: str = ""

    @property
    def url(self) -> str:
        return reverse(self.page[0], args=self.page[1]) + (
            f"?{self.parametres}" if self.parametres else ""
        )


@dataclass(frozen=True)
class Fournisseur:
    genre: str
    libelle: str
    ordre: int
    # (user, requete) -> the objects found, scoped (a QuerySet or a list), and how to show one.
    trouver: Callable[[Any, Requete], Sequence]
    presenter: Callable[[Any], Resultat]
    public: bool = True  # False: a kind signed-in people only search (the directory)


@dataclass
class Groupe:
    fournisseur: Fournisseur
    objets: Sequence = field(default_factory=list)

    @property
    def genre(self) -> str:
        return self.fournisseur.genre

    @property
    def libelle(self) -> str:
        return self.fournisseur.libelle

    @cached_property
    def total(self) -> int:
        return len(self.objets) if isinstance(self.objets, list) else self.objets.count()

    def presenter(self, objets) -> list[Resultat]:
        return [self.fournisseur.presenter(o) for o in objets]


_FOURNISSEURS: dict[str, Fournisseur] = {}
_decouverts = False


def fournisseur(
    genre: str,
    libelle: str,
    *,
    ordre: int,
    presenter: Callable[[Any], Resultat],
    public: bool = True,
):
    """Declares the function that finds one kind of thing (in the domain's `recherche.py`)."""

    def declarer(trouver):
        _FOURNISSEURS[genre] = Fournisseur(genre, libelle, ordre, trouver, presenter, public)
        return trouver

    return declarer


def fournisseurs(user=None) -> list[Fournisseur]:
    """Every kind of result this person may search, in the order pages show them (each
    app's `recherche` module declares its own)."""
    global _decouverts
    if not _decouverts:
        autodiscover_modules("recherche")
        _decouverts = True
    connecte = bool(user is not None and user.is_authenticated)
    return sorted(
        (f for f in _FOURNISSEURS.values() if f.public or connecte), key=lambda f: f.ordre
    )


def chercher(user, q: str, genre: str | None = None) -> tuple[Requete, list[Groupe]]:
    """What `q` finds for this person, by kind (only `genre` if given); nothing for a query
    without a word to look for."""
    r = requete(q)
    groupes = []
    for f in fournisseurs(user):
        if genre and f.genre != genre:
            continue
        groupes.append(Groupe(f, f.trouver(user, r) if r else []))
    return r, groupes
