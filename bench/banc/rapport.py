"""The table printed at the end, and bench/results.json: figures, ratios, targets met or not."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from .pages import PLANCHER


def fr(valeur, decimales: int = 0) -> str:
    if valeur is None:
        return "—"
    return f"{valeur:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


COLONNES = [
    ("page", "libelle", None),
    ("requêtes", "requetes_sql", None),
    ("médiane ms", "mediane_ms", 1),
    ("p95 ms", "p95_ms", 1),
    ("Datasette ms", "datasette_mediane_ms", 1),
    ("SQL seul ms", "sql_mediane_ms", 1),
    ("× Datasette", "ratio_datasette", 2),
    ("× SQL", "ratio_sql", 1),
    ("petite échelle ms", "petite_mediane_ms", 1),
    ("croissance", "croissance", 2),
]


def tableau(lignes: list[dict]) -> str:
    """One row per page; a column nobody measured (Datasette on PostgreSQL, the small scale
    when skipped) is left out rather than printed empty."""
    colonnes = [c for c in COLONNES if c[2] is None or any(x.get(c[1]) is not None for x in lignes)]
    entetes = [titre for titre, _, _ in colonnes]
    rangs = [[str(x[k]) if d is None else fr(x.get(k), d) for _, k, d in colonnes] for x in lignes]
    largeurs = [max(len(r[i]) for r in [entetes, *rangs]) for i in range(len(entetes))]
    sortie = []
    for k, r in enumerate([entetes, *rangs]):
        sortie.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, largeurs, strict=True))
            )
        )
        if k == 0:
            sortie.append("  ".join("-" * w for w in largeurs))
    return "\n".join(sortie)


def _par(lignes, libelle):
    return next((x for x in lignes if x["libelle"] == libelle), {})


def _cible(texte: str, atteint, constat: str) -> dict:
    return {"objectif": texte, "atteint": atteint, "constat": constat}


def _pire(xs: list[dict], k: str):
    return max((x[k] for x in xs if x[k] is not None), default=None)


def objectifs(lignes: list[dict], extra: dict) -> list[dict]:
    """The targets of the issue, each met (True), missed (False) or not measured (None)."""
    return _cibles_temps(lignes, extra) + _cibles_sobriete(lignes, extra)


def _cibles_temps(lignes: list[dict], extra: dict) -> list[dict]:
    listes = [x for x in lignes if x["liste"] and x["ratio_datasette"] is not None]
    fiche, nat = _par(lignes, "Page d'une fiche"), _par(lignes, "Tableau de bord national")
    exports = [x for x in lignes if x["libelle"].startswith("Export")]
    return [
        _cible(
            "Listes et API de liste au plus aussi lentes que Datasette (rapport ≤ 1,0)",
            all(x["ratio_datasette"] <= 1.0 for x in listes) if listes else None,
            f"pire rapport {fr(_pire(listes, 'ratio_datasette'), 2)}"
            if listes
            else "pas de Datasette dans ce passage (il ne lit que SQLite)",
        ),
        _cible_sql(lignes),
        _cible(
            "Page d'une fiche : p95 ≤ 100 ms",
            (fiche.get("p95_ms") or 1e9) <= 100,
            f"p95 {fr(fiche.get('p95_ms'), 1)} ms",
        ),
        _cible(
            "Première page de fiche d'un worker neuf en moins d'une seconde",
            extra["premiere_fiche_s"] < 1,
            f"{fr(extra['premiere_fiche_s'], 1)} s",
        ),
        _cible(
            "Tableau de bord national : p95 ≤ 150 ms",
            (nat.get("p95_ms") or 1e9) <= 150,
            f"p95 {fr(nat.get('p95_ms'), 1)} ms",
        ),
        _cible(
            "Exports de toutes les fiches en 5 s au plus",
            all((x["mediane_ms"] or 1e9) <= 5000 for x in exports),
            f"pire médiane {fr(_pire(exports, 'mediane_ms'), 0)} ms",
        ),
    ]


def _cible_sql(lignes: list[dict]) -> dict:
    """Every page within 3 times its own SQL; the constat says which, and how many read so
    little that a third of the fixed cost of a page (`pages.PLANCHER`) is more than their
    SQL: those cannot be within 3 times, whatever the page does."""
    mesurees = [x for x in lignes if x["ratio_sql"] is not None]
    pire = max(mesurees, key=lambda x: x["ratio_sql"], default=None)
    if pire is None:
        return _cible("Chaque page au plus 3 fois son propre SQL", None, "non mesuré")
    dans = [x for x in mesurees if x["ratio_sql"] <= 3]
    constat = (
        f"pire rapport {fr(pire['ratio_sql'], 1)} ({pire['libelle']}) ; "
        f"{len(dans)} sur {len(mesurees)} pages au plus 3 fois"
    )
    if (plancher := _par(lignes, PLANCHER).get("mediane_ms")) is not None:
        sous = [x for x in mesurees if x["ratio_sql"] > 3 and 3 * x["sql_mediane_ms"] < plancher]
        constat += (
            f" ; une page sans données prend {fr(plancher, 1)} ms : {len(sous)} des "
            f"{len(mesurees) - len(dans)} autres lisent en moins du tiers de ce plancher"
        )
    return _cible("Chaque page au plus 3 fois son propre SQL", len(dans) == len(mesurees), constat)


def _cibles_sobriete(lignes: list[dict], extra: dict) -> list[dict]:
    charge = extra.get("charge") or {}
    ecritures = [f"{x['libelle']} : {x['ecritures']}" for x in lignes if x["ecritures"]]
    return [
        _cible(
            "Mémoire du serveur stable pendant les exports (au plus 50 Mo de plus)",
            extra["memoire_exports_ko"] <= 50 * 1024,
            f"+{fr(extra['memoire_exports_ko'] / 1024, 0)} Mo",
        ),
        _cible(
            "Aucune écriture sur une requête de lecture",
            not ecritures,
            ", ".join(ecritures) or "aucune",
        ),
        _cible(
            "Au plus 15 requêtes SQL par page",
            all(x["requetes_sql"] <= 15 for x in lignes),
            f"au plus {max(x['requetes_sql'] for x in lignes)}",
        ),
        _cible(
            "Aucune erreur pendant la phase de charge",
            charge.get("erreurs") == 0 if charge else None,
            f"{charge.get('erreurs')} erreurs sur {charge.get('requetes')}"
            if charge
            else "non mesuré",
        ),
        _cible_croissance(lignes, extra),
    ]


def _cible_croissance(lignes: list[dict], extra: dict) -> dict:
    """The growth from the small scale (the programme's size, as the demo) to the run's, on
    the paginated pages: the lists and API lists."""
    paginees = [x for x in lignes if x["liste"] and x.get("croissance") is not None]
    texte = "Du jeu de démonstration à 10 fois : au plus 1,5 fois plus lent (pages paginées)"
    if not paginees:
        return _cible(texte, None, "non mesuré (pas de petite échelle)")
    pire = max(paginees, key=lambda x: x["croissance"])
    return _cible(
        texte,
        pire["croissance"] <= 1.5,
        f"échelle {fr(extra.get('petite_echelle'), 2)} → {fr(extra.get('echelle'), 2)} : "
        f"pire croissance {fr(pire['croissance'], 2)} ({pire['libelle']})",
    )


def machine(vendor: str, version: str) -> dict:
    modele = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        modele = next(
            (
                x.split(":", 1)[1].strip()
                for x in cpuinfo.read_text().splitlines()
                if x.startswith("model name")
            ),
            "",
        )
    memoire = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memoire = f"{int(meminfo.read_text().split()[1]) // 1024 // 1024 + 1} Go"
    return {
        "processeur": modele,
        "coeurs": os.cpu_count(),
        "memoire": memoire,
        "systeme": platform.platform(),
        "python": platform.python_version(),
        "base": f"{vendor} {version}",
    }


def ecrire(chemin: Path, donnees: dict) -> None:
    chemin.write_text(json.dumps(donnees, ensure_ascii=False, indent=1, default=str) + "\n")


def imprimer_objectifs(cibles: list[dict]) -> str:
    marque = {True: "atteint", False: "NON atteint", None: "non mesuré"}
    return "\n".join(f"- {c['objectif']} : {marque[c['atteint']]} ({c['constat']})" for c in cibles)
