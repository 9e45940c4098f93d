"""Benchmark of the platform: import times, sizes, SQL queries and response times per page.

    python bench/bench.py            (`make bench`)

Prints figures and asserts nothing. Runs on a throwaway SQLite database of its own, created in
a temporary directory and deleted at the end: db.sqlite3 is never touched. Pages are requested
through Django's test client with the development settings (DEBUG on), so times are those of
the application and the database, without any network; they vary with the machine.
"""

from __future__ import annotations

import gzip
import lzma
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The test phase of (iv): a map of three territories, apart from the two official phases.
PHASE_ESSAI = 9
PHASE_ESSAI_DATE = date(2023, 6, 1)
REPEAT = 20
# Per page: stop repeating after this many seconds (at least MIN_REPEAT requests), so that the
# whole run stays well under two minutes on a slow machine.
PAGE_BUDGET = 5.0
MIN_REPEAT = 5


def fr(value: float, decimals: int = 0) -> str:
    """French number: space between thousands, comma before decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def ko(size: int) -> str:
    return f"{fr(size / 1024, 1 if size < 10 * 1024 else 0)} Ko"


def print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    print(f"\n{title}")
    line = "  ".join("-" * w for w in widths)
    print(line)
    for i, row in enumerate([headers, *rows]):
        cells = [
            str(c).ljust(w) if j == 0 else str(c).rjust(w)
            for j, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if i == 0:
            print(line)
    print(line)


@contextmanager
def captured_queries():
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # DEBUG keeps the last 9000 queries only: after the imports the log is full and would
    # count nothing; start each capture on an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        yield queries


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


# --- (i) imports -------------------------------------------------------------------------


def pending_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def bench_imports() -> None:
    from django.core.management import call_command

    from referentiel.importer import importer as import_referential
    from territoires import officiel

    rows = []
    for run in (1, 2):
        pending = pending_migrations()
        _, seconds = timed(call_command, "migrate", verbosity=0, interactive=False)
        note = f"{pending} migrations appliquées" if pending else "rien à appliquer"
        rows.append(["migrate", str(run), f"{fr(seconds, 2)} s", "", note])
    for run in (1, 2):
        report, seconds = timed(import_referential)
        totals = report.totaux
        what = (
            f"{fr(totals.get('Communes', 0))} communes, "
            f"{fr(sum(v for k, v in totals.items() if k.startswith('Contours')))} contours"
        )
        note = "aucun changement" if report.inchange else f"{fr(sum(report.crees.values()))} créés"
        rows.append([f"référentiel ({what})", str(run), f"{fr(seconds, 2)} s", "", note])
    for run in (1, 2):
        # The official map, list by list, as `make run` loads it.
        for liste in officiel.LISTES:
            [(_, report)], seconds = timed(officiel.charger, [liste])
            if report.inchange:
                note = "aucun changement"
            elif report.crees:
                note = f"{len(report.crees)} territoires créés"
            else:
                note = f"{len(report.changements)} territoires changés"
            if report.ecarts:
                note += f", {len(report.ecarts)} différences de forme"
            rows.append(
                [
                    f"{liste.fichier} (phase {liste.phase}, {fr(report.lignes)} lignes)",
                    str(run),
                    f"{fr(seconds, 2)} s",
                    f"{fr(report.lignes / seconds)} lignes/s",
                    note,
                ]
            )
    print_table(
        "(i) Imports sur une base SQLite vide, puis une seconde fois (idempotence)",
        ["étape", "passage", "durée", "débit", "résultat"],
        rows,
    )


# --- (ii) sizes -----------------------------------------------------------------------------


def client():
    from django.test import Client

    # The dev settings allow 127.0.0.1, not the test client's default "testserver".
    return Client(SERVER_NAME="127.0.0.1")


def bench_sizes(db_path: Path) -> None:
    rows = []
    data_dir = BASE_DIR / "data"
    for path in sorted((data_dir / "referentiel").iterdir()):
        size = path.stat().st_size
        if path.suffix == ".xz":
            raw = len(lzma.decompress(path.read_bytes()))
            rows.append([path.name, ko(size), ko(raw), f"{fr(raw / size, 1)} ×"])
        else:
            rows.append([path.name, ko(size), "", ""])
    for path in sorted((data_dir / "territoires").glob("*.csv")):
        rows.append([path.name, ko(path.stat().st_size), "", ""])
    rows.append(["base SQLite après import", ko(db_path.stat().st_size), "", ""])
    print_table(
        "(ii) Données livrées (data/) et base obtenue",
        ["fichier", "taille", "décompressé", "rapport"],
        rows,
    )

    c = client()
    rows = []
    for url in (
        "/api/v1/carte",
        "/api/v1/contours/departement",
        "/api/v1/contours/region",
        "/api/v1/territoires?limit=200",
    ):
        plain = c.get(url)
        packed = c.get(url, HTTP_ACCEPT_ENCODING="gzip")
        gzipped = packed.get("Content-Encoding") == "gzip"
        # Check that what the middleware sent is the same document, compressed.
        same = gzipped and gzip.decompress(packed.content) == plain.content
        rows.append(
            [
                url,
                plain["Content-Type"].split(";")[0],
                ko(len(plain.content)),
                ko(len(packed.content)) if same else "non compressé",
                f"{fr(len(plain.content) / len(packed.content), 1)} ×" if same else "",
            ]
        )
    print_table(
        "(ii) Réponses de l'API, brutes et compressées (Accept-Encoding: gzip)",
        ["requête", "type", "brut", "gzip", "rapport"],
        rows,
    )


# --- (iii) pages ------------------------------------------------------------------------------


def measure(url: str) -> dict:
    """Cold request (empty cache), then up to REPEAT warm ones: queries, times, size."""
    from django.core.cache import cache

    c = client()
    cache.clear()
    # Counted right away: a capture reads the log, which the next capture empties.
    with captured_queries() as queries:
        response, cold = timed(c.get, url)
    cold_queries = len(queries)
    with captured_queries() as queries:
        c.get(url)
    warm_queries = len(queries)
    times = []
    start = time.perf_counter()
    while len(times) < REPEAT and (
        len(times) < MIN_REPEAT or time.perf_counter() - start < PAGE_BUDGET
    ):
        times.append(timed(c.get, url)[1])
    return {
        "status": response.status_code,
        "cold_queries": cold_queries,
        "warm_queries": warm_queries,
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(times) * 1000,
        "n": len(times),
        "size": len(response.content),
    }


def bench_pages() -> None:
    from territoires import selectors
    from territoires.models import Territoire

    vue = selectors.vue_territoire(Territoire.objects.get(phase_id=2, code="ti-8401"))
    siren = vue.epcis[0].siren
    urls = [
        "/",
        "/carte/",
        "/territoires/",
        "/territoires/?region=84",
        "/territoires/2/ti-8401/",
        "/territoires/1/8401/",
        "/regions/",
        "/regions/84/",
        "/api/v1/territoires?limit=200",
        "/api/v1/territoires/ti-8401",
        "/api/v1/carte",
        f"/api/v1/epcis/{siren}",
    ]
    rows = []
    for url in urls:
        m = measure(url)
        queries = str(m["cold_queries"])
        if m["warm_queries"] != m["cold_queries"]:
            queries += f" puis {m['warm_queries']}"
        rows.append(
            [
                url,
                str(m["status"]),
                queries,
                fr(m["cold_ms"], 1),
                fr(m["median_ms"], 1),
                str(m["n"]),
                ko(m["size"]),
            ]
        )
    print_table(
        "(iii) Pages et API, phase en vigueur (phase 2, 183 territoires) ; requêtes SQL : cache "
        "vide (puis cache chaud)",
        ["page", "statut", "requêtes SQL", "1re (ms)", "médiane (ms)", "n", "taille"],
        rows,
    )


# --- (iv) constant number of queries --------------------------------------------------------


def tiny_phase_2_file() -> bytes:
    """Three territories of the test phase, each made of the communes of one real EPCI."""
    from referentiel.models import EPCI

    lines = ["insee_com,lib_com,id_ti,lib_ti"]
    epcis = EPCI.objects.exclude(nature="EPT").order_by("siren")[:3]
    for i, epci in enumerate(epcis, start=1):
        for code, nom in epci.communes.order_by("code").values_list("code", "nom"):
            lines.append(f'{code},"{nom}",ti-99{i:02d},Essai {i}')
    return ("\n".join(lines) + "\n").encode()


def bench_constant_queries() -> None:
    from territoires.importer import importer as import_territories
    from territoires.models import Instance, Phase

    phase_essai, _ = Phase.objects.get_or_create(
        numero=PHASE_ESSAI,
        defaults={
            "nom": "Phase d'essai",
            "date_debut": date(2000, 1, 1),
            "date_fin": date(2000, 12, 31),
        },
    )
    report = import_territories(
        tiny_phase_2_file(),
        phase=phase_essai,
        date=PHASE_ESSAI_DATE,
        instance=Instance.CNI,
        intitule="Liste d'essai du banc de mesure",
    )
    c = client()
    rows = []
    for label, template in (
        ("/territoires/", "/territoires/?phase={}"),
        ("/api/v1/territoires", "/api/v1/territoires?phase={}&limit=200"),
    ):
        counts = []
        for phase in (1, PHASE_ESSAI):
            url = template.format(phase)
            with captured_queries() as queries:
                response = c.get(url)
            if label.startswith("/api"):
                shown = response.json()["count"]
            else:
                shown = _total_from_html(response)
            counts.append((phase, shown, len(queries)))  # before the next capture
        (_, n1, q1), (_, n2, q2) = counts
        rows.append([label, str(n1), str(q1), str(n2), str(q2), "oui" if q1 == q2 else "NON"])
    print_table(
        f"(iv) Requêtes SQL selon la taille de la carte (phase d'essai : {report.territoires} "
        f"territoires, {fr(report.communes)} communes)",
        ["page", "territoires ph. 1", "requêtes", "territoires essai", "requêtes", "constant"],
        rows,
    )


def _total_from_html(response) -> str:
    import re

    match = re.search(rb"<strong>(\d+)</strong> territoire", response.content)
    return match.group(1).decode() if match else "?"


def bench_tableaux() -> None:
    """(v) The dashboards on the demo data: the throwaway base holds no demo, so they are read
    on db.sqlite3 (`make data`), in a process of their own (bench/bench_tableaux.py)."""
    import subprocess

    if not (BASE_DIR / "db.sqlite3").exists():
        print("\n(v) Tableaux de bord : pas de db.sqlite3 (lancer `make data`), non mesurés.")
        return
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(BASE_DIR / "bench")
    print("\n(v) ", end="", flush=True)
    subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / "bench_tableaux.py")], env=env, check=False
    )


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-territoires-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        # Before django.setup(): the settings read both when they are imported.
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        import logging

        # The importers and the request log would drown the figures.
        logging.disable(logging.WARNING)
        from django.db import connections

        try:
            print("Banc de mesure — Territoires d'industrie (base SQLite jetable, réglages dev)")
            bench_imports()
            bench_sizes(db_path)
            bench_pages()
            bench_constant_queries()
        finally:
            connections.close_all()
    bench_tableaux()
    print(f"\nDurée totale : {fr(time.perf_counter() - started, 1)} s.")


if __name__ == "__main__":
    main()
