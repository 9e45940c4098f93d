"""The delays counted in the database (suivi.durees) give exactly what the per-line
computation they replaced gave: same keys, counts, medians, 90th percentiles, lines beyond
target, at every level, with and without dates."""

import math
import statistics
from collections import Counter, defaultdict
from datetime import date

import pytest

from suivi import delais, durees, libelles
from suivi.perimetre import NIVEAUX, PAR, PERIODES, Filtres, q_lignes

from .programme import construire
from .test_delais import cibles

pytestmark = pytest.mark.django_db


def _par_ligne(user, par, **filtres):
    """The previous computation: every line read, each step's days computed in Python."""
    f = Filtres.de(**filtres)
    lignes = delais._lignes_de(q_lignes(user, f))
    c = delais.Cibles()
    regions = libelles.regions_des({li["fiche__territoire_id"] for li in lignes})
    durees_ = defaultdict(lambda: defaultdict(list))
    for li in lignes:
        for etape, (de, a, _, _) in delais.ETAPES.items():
            debut, fin = li[de], li[a]
            if debut is None or fin is None or fin < debut:
                continue
            if (f.debut and fin < f.debut) or (f.fin and fin > f.fin):
                continue
            if etape == "decision" and li["statut"] not in delais.DECIDEES:
                continue
            if par is None:
                cles = [0]
            elif par in PERIODES:
                cles = [libelles.debut_de_periode(par, fin)]
            elif par == "region":
                cles = regions.get(li["fiche__territoire_id"], [])
            else:
                cles = [li[NIVEAUX[par]]]
            for k in cles:
                durees_[k][etape].append(((fin - debut).days, c.jours(li, etape)))
    out = {}
    for k, v in durees_.items():
        for etape in delais.ETAPES:
            jours = [j for j, _ in v.get(etape, [])]
            out[(k, etape)] = (
                len(jours),
                float(statistics.median(jours)) if jours else None,
                sorted(jours)[math.ceil(0.9 * len(jours)) - 1] if jours else None,
                sum(1 for j, cible in v.get(etape, []) if cible is not None and j > cible),
            )
    return out


def _en_base(user, par, **filtres):
    return {
        (r.cle, etape): (s.n, s.mediane, s.p90, s.hors_cible)
        for r in delais.delais(user, par, **filtres)
        for etape, s in r.etapes.items()
    }


def test_delais_comptes_en_base_egaux_au_calcul_ligne_par_ligne():
    w = construire()
    cibles(w)
    u = w["national"]
    for par in (None, *PAR):
        attendu = _par_ligne(u, par)
        assert attendu, par
        assert _en_base(u, par) == attendu, par
    bornes = {"debut": date(2025, 1, 1), "fin": date(2025, 3, 31)}
    assert _en_base(u, "financeur", **bornes) == _par_ligne(u, "financeur", **bornes)
    # Another reader sees fewer lines: the same computation over their scope.
    for qui in ("chef2704", "pilote84", "referent_bpi"):
        assert _en_base(w[qui], "financeur") == _par_ligne(w[qui], "financeur"), qui


def test_mediane_et_90e_centile_lus_sur_les_comptes_par_jour():
    for valeurs in ([5], [1, 2], [3, 1, 2], [4, 4, 9, 1], list(range(1, 12)), [7] * 10 + [30]):
        c = Counter(valeurs)
        assert durees.mediane(c) == float(statistics.median(valeurs))
        assert durees.rang_90(c) == delais.percentile_90(valeurs)
    assert durees.mediane(Counter()) is None
    assert durees.rang_90(Counter()) is None
