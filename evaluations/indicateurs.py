"""The fiches' indicators compared across territories (issue: « indicators can be compared
across territories that use the same one»).

The fiches have no shared catalogue of indicators: each fiche names its own (fiches.models
.Indicateur). Two indicators are the same when their name and their unit are, case, accents
and spacing aside (referentiel.saisie.cle, the rule fiches.services already matches names
by); the framework's indicators (IndicateurCadre) use the same key. For each territory, the
fiches of its action plan that follow the indicator are summed: targets, and each fiche's
latest measurement. Only the fiches the reader may see count (fiches.selectors).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from fiches.models import Indicateur
from fiches.selectors import fiches_visibles
from referentiel import saisie

from .chiffres import ETATS_PLAN, IndicateurRapporte, lire


@dataclass
class IndicateurCommun:
    libelle: str  # the most frequent way it is written
    unite: str
    territoires: int
    fiches: int

    @property
    def cle(self) -> tuple[str, str]:
        return saisie.cle(self.libelle), saisie.cle(self.unite)


def _indicateurs(user, phase):
    fiches = fiches_visibles(user).filter(territoire__phase_id=phase, etat__in=ETATS_PLAN)
    return (
        Indicateur.objects.filter(fiche__in=fiches.values("pk"))
        .select_related("fiche__territoire")
        .prefetch_related("valeurs")
        .order_by("fiche__territoire__code", "fiche__numero", "pk")
    )


def communs(user, phase, *, minimum: int = 2) -> list[IndicateurCommun]:
    """The indicators followed in at least `minimum` territories of the phase, most shared
    first."""
    ecritures: dict[tuple, Counter] = defaultdict(Counter)
    territoires: dict[tuple, set] = defaultdict(set)
    fiches: Counter = Counter()
    for i in _indicateurs(user, phase):
        cle = (saisie.cle(i.libelle), saisie.cle(i.unite))
        ecritures[cle][(i.libelle.strip(), i.unite.strip())] += 1
        territoires[cle].add(i.fiche.territoire_id)
        fiches[cle] += 1
    out = []
    for cle, ts in territoires.items():
        if len(ts) >= minimum:
            libelle, unite = ecritures[cle].most_common(1)[0][0]
            out.append(IndicateurCommun(libelle, unite, len(ts), fiches[cle]))
    return sorted(out, key=lambda c: (-c.territoires, -c.fiches, c.cle))


def comparer(user, phase, libelle: str, unite: str) -> list[tuple[object, IndicateurRapporte]]:
    """(territory, the indicator summed over its fiches) for each territory that follows it."""
    cle = (saisie.cle(libelle), saisie.cle(unite))
    par_territoire: dict[int, tuple] = {}
    for i in _indicateurs(user, phase):
        if (saisie.cle(i.libelle), saisie.cle(i.unite)) != cle:
            continue
        t = i.fiche.territoire
        _, r = par_territoire.setdefault(t.pk, (t, IndicateurRapporte(libelle, unite)))
        r.ajouter(lire(i.fiche, i))
    return sorted(par_territoire.values(), key=lambda tr: tr[0].code)
