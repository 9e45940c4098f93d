"""The pages and API endpoints measured, each beside Datasette's view of the same rows and
its own SQL run alone, interleaved: platform, Datasette, SQL, platform, Datasette, SQL…"""

from __future__ import annotations

import http.client
import re
import statistics
import time
from dataclasses import dataclass, field

from . import serveurs

DB = "national"  # Datasette names the database after the file
# Per case: at least MIN requests of each kind, then stop after BUDGET seconds or MAX rounds.
MIN, MAX, BUDGET = 3, 25, 8.0
LENT = 20.0
# A page that reads no data: the fixed cost of any page (HTTP, middleware, template).
PLANCHER = "Page sans données (accessibilité)"


@dataclass
class Cas:
    libelle: str
    url: str
    qui: str = ""  # "" anonymous, "session:<email>" a signed-in page, "jeton" the API token
    datasette: str = ""  # path on Datasette; "" when it has no equivalent
    liste: bool = False  # a list: the target is Datasette's speed
    sql: list = field(default_factory=list)  # the page's SELECTs, captured in process
    ecritures: int = 0  # other statements the page ran (a read must write nothing)
    requetes: int = 0
    # "petit": the same page on the small-scale dataset (the growth from the demo's size).
    temps: dict = field(
        default_factory=lambda: {"plateforme": [], "datasette": [], "sql": [], "petit": []}
    )
    statut: int = 0
    taille: int = 0


def cas_mesures(ids: dict) -> list[Cas]:
    """`ids`: the territory, fiche and accounts the cases read (national.reperes)."""
    t, nat = ids["territoire"], f"session:{ids['national']}"
    tt, ff = f"/{DB}/territoires_territoire", f"/{DB}/fiches_ficheaction"
    publiques = "etat__in=inscrite,realisee"
    return [
        Cas(PLANCHER, "/accessibilite/"),
        Cas("Liste des territoires", "/territoires/", "", f"{tt}?phase_id=2&_nosuggest=1", True),
        Cas("Page d'un territoire", f"/territoires/2/{t['code']}/", "", f"{tt}/{t['pk']}"),
        Cas("Carte nationale", "/carte/", "", f"{tt}?phase_id=2&_nosuggest=1"),
        Cas("API carte", "/api/v1/carte", "", f"{tt}.json?phase_id=2&_size=max"),
        *_cas_fiches(ids),
        Cas("Tableau de bord national", "/tableaux/", nat),
        Cas(
            "Suivi du déploiement",
            "/tableaux/deploiement/",
            nat,
            f"{tt}?phase_id=2&_nosuggest=1",
            True,
        ),
        Cas("Export XLSX des fiches", "/fiches/export.xlsx", nat, f"{ff}.csv?_stream=on&_size=max"),
        Cas("Export CSV des fiches", "/fiches/export.csv", nat, f"{ff}.csv?_stream=on&_size=max"),
        Cas("Export CSV (fiches par étape)", "/tableaux/?figure=fiches-etapes&format=csv", nat),
        Cas(
            "API territoires",
            "/api/v1/territoires?limit=200",
            "",
            f"{tt}.json?phase_id=2&_size=200",
            True,
        ),
        Cas(
            "API fiches d'un territoire",
            f"/api/v1/fiches?territoire={t['code']}",
            "",
            f"{ff}.json?territoire_id={t['pk']}&{publiques}",
            True,
        ),
        Cas(
            "API fiches d'un territoire (jeton)",
            f"/api/v1/fiches?territoire={t['code']}",
            "jeton",
            f"{ff}.json?territoire_id={t['pk']}",
            True,
        ),
    ]


def _cas_fiches(ids: dict) -> list[Cas]:
    t, f, nat = ids["territoire"], ids["fiche"], f"session:{ids['national']}"
    ff = f"/{DB}/fiches_ficheaction"
    simplification = "_where=axe%3D%27simplifier%27+or+demande_simplification%3D1"
    return [
        Cas("Fiches (national)", "/fiches/", nat, f"{ff}?_nosuggest=1", True),
        Cas(
            "Fiches filtrées (état, axe)",
            "/fiches/?etat=instruction&axe=transition",
            nat,
            f"{ff}?etat=instruction&axe=transition&_nosuggest=1",
            True,
        ),
        Cas(
            "Fiches d'un territoire",
            f"/fiches/?territoire={t['code']}",
            nat,
            f"{ff}?territoire_id={t['pk']}&_nosuggest=1",
            True,
        ),
        Cas(
            "Fiches : recherche",
            "/fiches/?q=chaleur",
            nat,
            f"{ff}?titre__contains=chaleur&_nosuggest=1",
            True,
        ),
        Cas(
            "Simplification (national)",
            "/fiches/simplification/",
            nat,
            f"{ff}?{simplification}&_nosuggest=1",
            True,
        ),
        Cas("Page d'une fiche", f"/fiches/{f['uuid']}/", nat, f"{ff}/{f['pk']}"),
    ]


def get(
    port: int, url: str, entetes: dict | None = None, timeout: float = 300
) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one GET on a fresh connection, body read to the end."""
    debut = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", url, headers=entetes or {})
        r = c.getresponse()
        taille = len(r.read())
        return r.status, taille, time.perf_counter() - debut
    finally:
        c.close()


# PostgreSQL reads through a server-side cursor (QuerySet.iterator()): a SELECT all the same.
CURSEUR = re.compile(
    r"^DECLARE\s+\S+\s+(?:\w+\s+)*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def lecture(sql: str) -> str | None:
    """The SELECT a captured statement runs, or None when it is not a read."""
    sql = sql.lstrip()
    curseur = CURSEUR.match(sql)
    if curseur:
        sql = curseur.group(1)
    return sql if sql[:6].upper() == "SELECT" or sql[:4].upper() == "WITH" else None


def capturer(cas: Cas, clients: dict, chauffer: bool = True) -> None:
    """Runs the page once in this process (same code, same database) to keep its SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, entetes = clients[cas.qui]
    if chauffer:
        # Once to warm this process's caches as the workers' are, then captured.
        r = client.get(cas.url, **entetes)
        if getattr(r, "streaming", False):
            b"".join(r.streaming_content)
    with CaptureQueriesContext(connection) as q:
        r = client.get(cas.url, **entetes)
        if getattr(r, "streaming", False):
            b"".join(r.streaming_content)
    cas.requetes = len(q.captured_queries)
    for x in q.captured_queries:
        sql = x["sql"].lstrip()
        if lu := lecture(sql):
            cas.sql.append(lu)
        elif not sql.upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")):
            cas.ecritures += 1


def rejouer(cas: Cas) -> float:
    """The page's SELECTs, alone, on a raw connection: the floor of its time."""
    from django.db import connection

    debut = time.perf_counter()
    with connection.cursor() as c:
        for sql in cas.sql:
            c.execute(sql)
            c.fetchall()
    return time.perf_counter() - debut


def mesurer(
    cas: Cas, entetes: dict, datasette: bool, petit: tuple[str, dict] | None = None
) -> None:
    """`petit`: the same page's URL and headers on the small-scale server, measured in the
    same rounds so that a change of the machine's load weighs on both scales alike."""
    debut, n = time.perf_counter(), 0
    while n < MAX and (n < MIN or time.perf_counter() - debut < BUDGET):
        if n >= 2 and time.perf_counter() - debut > LENT:
            break  # a page of several seconds: two rounds say enough, the run stays bounded
        statut, taille, s = get(serveurs.PORT_PLATEFORME, cas.url, entetes)
        cas.statut, cas.taille = statut, taille
        cas.temps["plateforme"].append(s)
        if datasette and cas.datasette:
            cas.temps["datasette"].append(get(serveurs.PORT_DATASETTE, cas.datasette)[2])
        cas.temps["sql"].append(rejouer(cas))
        if petit:
            cas.temps["petit"].append(get(serveurs.PORT_PETIT, *petit)[2])
        n += 1


def p(valeurs: list[float], q: float) -> float | None:
    if not valeurs:
        return None
    v = sorted(valeurs)
    return v[min(len(v) - 1, round(q * (len(v) - 1)))] * 1000


def resume(cas: Cas) -> dict:
    med = {k: (statistics.median(v) * 1000 if v else None) for k, v in cas.temps.items()}
    return {
        "libelle": cas.libelle,
        "url": cas.url,
        "datasette": cas.datasette or None,
        "liste": cas.liste,
        "statut": cas.statut,
        "octets": cas.taille,
        "n": len(cas.temps["plateforme"]),
        "requetes_sql": cas.requetes,
        "ecritures": cas.ecritures,
        "mediane_ms": med["plateforme"],
        "p95_ms": p(cas.temps["plateforme"], 0.95),
        "datasette_mediane_ms": med["datasette"],
        "sql_mediane_ms": med["sql"],
        "ratio_datasette": med["plateforme"] / med["datasette"] if med["datasette"] else None,
        "ratio_sql": med["plateforme"] / med["sql"] if med["sql"] and cas.sql else None,
        "petite_mediane_ms": med["petit"],
        "croissance": med["plateforme"] / med["petit"] if med["petit"] else None,
    }
