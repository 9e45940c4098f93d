"""Step durations counted in the database: each step's lines grouped by (key, days, beyond
target), so that a median or a 90th percentile is read from a few hundred counts instead of
one Python row per line (suivi.delais).

The days between two dates are computed in SQL (julianday on SQLite, date subtraction on
PostgreSQL); a line's target is a CASE over the targets (measure, then funder, then the
default, as suivi.delais.Cibles.jours)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date as Date

from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Cast


def cible_sql(par_cle: dict, champ: str | None):
    """The target of each line for one step's field, as a SQL expression (NULL: none)."""
    # Cast: a target that is NULL throughout still compares as a number (PostgreSQL).
    if champ is None:
        return Cast(Value(None), IntegerField())
    mesures, financeurs, defaut = [], [], None
    for c in par_cle.values():
        jours = getattr(c, champ)
        if jours is None:
            continue
        if c.mesure_id:
            mesures.append(When(mesure_id=c.mesure_id, then=Value(jours)))
        elif c.financeur_id:
            financeurs.append(When(financeur_id=c.financeur_id, then=Value(jours)))
        else:
            defaut = jours
    # The measure's first, then the funder's, then the default.
    cible = Case(*mesures, *financeurs, default=Value(defaut), output_field=IntegerField())
    return Cast(cible, IntegerField())


def compter(etapes: dict, cle=None, depuis=None, jusqua=None) -> dict[str, list[tuple]]:
    """For each step of `etapes` (name: queryset, start and end expressions, target), the
    lines whose step ended between `depuis` and `jusqua` (both included, None: unbounded),
    grouped by `cle` (an expression; None: no key; "_fin": the end date), the days and
    whether beyond target: (key, days, beyond 0/1, count) rows. One query for every step.

    Each line's dates are read in a derived table that the database keeps as such (LIMIT or
    OFFSET): flattened, every use of a step's date would run its correlated subquery again."""
    parties, params = [], []
    for i, (qs, debut, fin, cible) in enumerate(etapes.values()):
        sql, p = _partie(i, qs, debut, fin, cible, cle, depuis, jusqua)
        parties.append(sql)
        params += p
    with connection.cursor() as c:
        c.execute(" UNION ALL ".join(parties), params)
        rangs = c.fetchall()
    noms = list(etapes)
    out: dict[str, list[tuple]] = {nom: [] for nom in noms}
    date_texte = cle == "_fin" and connection.vendor == "sqlite"
    for i, k, j, h, n in rangs:
        out[noms[i]].append((_date(k) if date_texte else k, j, h, n))
    return out


def _partie(i: int, qs, debut, fin, cible, cle, depuis, jusqua) -> tuple[str, list]:
    colonnes = {"_debut": debut, "_fin": fin, "_cible": cible}
    if cle is not None and cle != "_fin":
        colonnes["_cle"] = cle
    sql, params = qs.annotate(**colonnes).order_by().values(*colonnes).query.sql_with_params()
    sqlite = connection.vendor == "sqlite"
    jours = (
        "CAST(julianday(t._fin) - julianday(t._debut) AS INTEGER)"
        if sqlite
        else "(t._fin - t._debut)"
    )
    barriere = " LIMIT -1" if sqlite else " OFFSET 0"
    conditions = ["t._debut IS NOT NULL", "t._fin IS NOT NULL", "t._fin >= t._debut"]
    params = list(params)
    for borne, signe in ((depuis, ">="), (jusqua, "<=")):
        if borne:
            conditions.append(f"t._fin {signe} %s")
            params.append(connection.ops.adapt_datefield_value(borne))
    colonne_cle = {None: "NULL", "_fin": "t._fin"}.get(cle, "t._cle")
    return (
        f"SELECT {i}, {colonne_cle}, {jours}, "
        f"CASE WHEN t._cible IS NOT NULL AND {jours} > t._cible THEN 1 ELSE 0 END, COUNT(*) "
        f"FROM ({sql}{barriere}) t WHERE {' AND '.join(conditions)} GROUP BY 1, 2, 3, 4"
    ), params


def _date(v) -> Date:
    return v if isinstance(v, Date) else Date.fromisoformat(v)


def au_rang(jours: Counter, rang: int) -> int:
    """The value at 0-based `rang` of the sorted values that `jours` counts."""
    vus = 0
    for j in sorted(jours):
        vus += jours[j]
        if rang < vus:
            return j
    raise IndexError(rang)


def mediane(jours: Counter) -> float | None:
    n = sum(jours.values())
    if not n:
        return None
    if n % 2:
        return float(au_rang(jours, n // 2))
    return (au_rang(jours, n // 2 - 1) + au_rang(jours, n // 2)) / 2


def rang_90(jours: Counter) -> int | None:
    """Nearest rank: the smallest value at or above which lie the slowest 10 %."""
    n = sum(jours.values())
    return au_rang(jours, math.ceil(0.9 * n) - 1) if n else None
