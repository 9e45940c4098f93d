"""The national benchmark (`make bench`, issue 15): the platform at ten times the programme,
served by gunicorn with its production settings, beside Datasette on the same SQLite file.

    python bench/national.py [--echelle 1] [--petite-echelle 0.1] [--charge 60] [--clients 6]
                             [--port 8210]
    make bench                                   # SQLite
    make bench DATABASE_URL=postgres://…/x_bench # PostgreSQL (the base is recreated: its name
                                                 # must contain « bench »; no Datasette then)

1. The dataset (bench/generateur) is built once into bench/travail/ (gitignored, never
   db.sqlite3), then copied for the run; on PostgreSQL, once into <name>_modele, then copied
   (CREATE DATABASE … TEMPLATE). The same at the small scale (0.1: the programme's size, as
   the demo), built the same deterministic way.
2. gunicorn (2 sync workers) on 127.0.0.1:8210, Datasette on :8211 (its own venv,
   bench/.venv-datasette, from bench/requirements-datasette.lock), gunicorn on the small
   dataset on :8212.
3. Per page or endpoint: its SQL is captured by running it once in this process (same code,
   same settings, same database), then, interleaved, the page over HTTP, Datasette's view of
   the same rows, the page's SELECTs alone on a raw connection, and the same page on the
   small dataset: medians, 95th percentile, queries per request, statements other than
   reads, growth from the small scale.
4. 60 s of load, reads and writes mixed, from several clients; errors and rate.
5. One table, the targets of the issue met or not, bench/results.json.
Times depend on the machine; the figures are a measure, never a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The script's own folder holds bench.py, which would hide the bench package.
sys.path[0] = str(BASE_DIR)

from bench.banc import charge, pages, rapport, serveurs  # noqa: E402


def reperes() -> dict:
    """The territory, fiche and accounts the measures use; a session and a token."""
    from django.test import Client

    from comptes.models import Utilisateur
    from comptes.services import creer_jeton
    from fiches.models import FicheAction
    from territoires.models import Territoire

    t = (
        Territoire.objects.filter(phase_id=2, code="ti-8401").first()
        or Territoire.objects.filter(phase_id=2, fiches__isnull=False).first()
    )
    fiches = FicheAction.objects.filter(territoire=t)
    fiche = fiches.filter(etat="inscrite", lignes__isnull=False).first() or fiches.first()
    national = Utilisateur.objects.get(email="national@bench.ti")
    chef = Utilisateur.objects.get(email=f"chef.{t.code}@bench.ti")
    connecte = Client(SERVER_NAME="127.0.0.1")
    connecte.force_login(national)
    jeton = creer_jeton(chef)
    return {
        "territoire": {"pk": t.pk, "code": t.code},
        "fiche": {"pk": fiche.pk, "uuid": str(fiche.uuid)},
        "national": national.email,
        "session": connecte.cookies["sessionid"].value,
        "jeton": jeton,
        "fiches_territoire": [str(u) for u in fiches.values_list("uuid", flat=True)[:50]],
        "brouillons": [
            {"uuid": str(u), "version": v}
            for u, v in fiches.filter(etat="brouillon").values_list("uuid", "version")
        ],
        "_clients": {
            "": (Client(SERVER_NAME="127.0.0.1"), {}),
            f"session:{national.email}": (connecte, {}),
            "jeton": (Client(SERVER_NAME="127.0.0.1"), {"HTTP_AUTHORIZATION": f"Bearer {jeton}"}),
        },
    }


def entetes(qui: str, ids: dict) -> dict:
    if qui.startswith("session:"):
        return {"Cookie": f"sessionid={ids['session']}"}
    if qui == "jeton":
        return {"Authorization": f"Bearer {ids['jeton']}"}
    return {}


def reperes_de(url: str) -> dict:
    """The landmarks of another database (the small scale's), read by a process of its own."""
    env = {**os.environ, **serveurs.ENV_PRODUCTION, "DATABASE_URL": url}
    sortie = subprocess.run(
        [sys.executable, __file__, "--reperes"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(sortie.strip().splitlines()[-1])


def mesurer_tout(srv, ids: dict, datasette: bool, ids_petit: dict | None) -> tuple[list, dict]:
    url_fiche = f"/fiches/{ids['fiche']['uuid']}/"
    session = entetes("session:", ids)
    # The first fiche page of a fresh worker, then every worker warmed on it.
    premiere = pages.get(serveurs.PORT_PLATEFORME, url_fiche, session)[2]
    print(f"Première page de fiche d'un worker neuf : {premiere:.1f} s", flush=True)
    for _ in range(3):
        pages.get(serveurs.PORT_PLATEFORME, url_fiche, session)
    extra = {"premiere_fiche_s": premiere, "memoire_exports_ko": 0}
    petits = {c.libelle: c for c in pages.cas_mesures(ids_petit)} if ids_petit else {}
    lignes = []
    for cas in pages.cas_mesures(ids):
        h = entetes(cas.qui, ids)
        chaud = pages.get(serveurs.PORT_PLATEFORME, cas.url, h)[2]  # warm: caches, imports
        if datasette and cas.datasette:
            pages.get(serveurs.PORT_DATASETTE, cas.datasette)
        petit = None
        if cas.libelle in petits:
            petit = (petits[cas.libelle].url, entetes(cas.qui, ids_petit))
            pages.get(serveurs.PORT_PETIT, *petit)
        avant = srv.memoire()["rss_max_ko"]
        # A page of several seconds (an export) is not run twice more in this process.
        pages.capturer(cas, ids["_clients"], chauffer=chaud < 5)
        pages.mesurer(cas, h, datasette, petit)
        if cas.libelle.startswith("Export"):
            extra["memoire_exports_ko"] = max(
                extra["memoire_exports_ko"], srv.memoire()["rss_max_ko"] - avant
            )
        r = pages.resume(cas)
        lignes.append(r)
        print(
            f"  {cas.libelle} : {r['statut']}, médiane {rapport.fr(r['mediane_ms'], 1)} ms "
            f"({r['n']} fois, {r['requetes_sql']} requêtes"
            f"{', croissance ' + rapport.fr(r['croissance'], 2) if r['croissance'] else ''})",
            flush=True,
        )
    return lignes, extra


def imprimer(lignes: list[dict], extra: dict, cibles: list[dict], titre: str) -> None:
    print(f"\nBanc national — {titre}\n")
    print(rapport.tableau(lignes))
    if all(x["datasette_mediane_ms"] is None for x in lignes):
        print("\nPas de Datasette dans ce passage (il ne lit que SQLite) : pas de comparaison.")
    if extra.get("petite_echelle"):
        print(
            f"Croissance : médiane à l'échelle {extra['echelle']} / médiane à l'échelle "
            f"{extra['petite_echelle']} (même page, mêmes tours de mesure)."
        )
    c = extra.get("charge")
    if c:
        print(
            f"\nCharge : {c['requetes']} requêtes en {c['duree_s']} s "
            f"({rapport.fr(c['par_seconde'], 1)}/s, {c['ecritures']} écritures), "
            f"{c['erreurs']} erreurs, médiane {rapport.fr(c['mediane_ms'], 0)} ms, "
            f"p95 {rapport.fr(c['p95_ms'], 0)} ms {c['motifs_erreurs'] or ''}"
        )
    print(f"Préparation des jeux : {rapport.fr(extra['preparation_s'], 0)} s")
    m = extra["memoire_finale"]
    print(f"Mémoire des workers : pic {rapport.fr(m['pic_max_ko'] / 1024, 0)} Mo par worker")
    print("\nObjectifs de l'issue :\n" + rapport.imprimer_objectifs(cibles))


def options():
    args = argparse.ArgumentParser()
    args.add_argument("--echelle", type=float, default=1.0)
    args.add_argument(
        "--petite-echelle",
        type=float,
        default=0.1,
        help="échelle du jeu de comparaison (0,1 : la taille du programme) ; 0 : sans",
    )
    args.add_argument("--charge", type=float, default=60, help="durée de la phase de charge (s)")
    args.add_argument("--clients", type=int, default=6)
    args.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", "8210")),
        help="port de la plateforme ; Datasette sur le suivant, la petite échelle sur port+2",
    )
    args.add_argument("--reperes", action="store_true", help=argparse.SUPPRESS)
    return args.parse_args()


def preparer(url: str, echelle: float, service: str) -> tuple[str, Path | None]:
    """The run's database at that scale: its URL, and its SQLite file (None on PostgreSQL)."""
    if url.startswith("postgres"):
        serveurs.preparer_postgres(url, echelle)
        return url, None
    fichier = serveurs.preparer_sqlite(echelle, service)
    return f"sqlite:///{fichier}", fichier


def main() -> None:
    opts = options()
    if opts.reperes:
        import django

        django.setup()
        print(json.dumps({k: v for k, v in reperes().items() if k != "_clients"}))
        return
    serveurs.regler_ports(opts.port)
    debut = time.perf_counter()
    url, fichier = preparer(os.environ.get("DATABASE_URL", ""), opts.echelle, "service")
    petite = 0 < opts.petite_echelle < opts.echelle
    if petite:
        source = serveurs.url_voisine(url, "_petit") if url.startswith("postgres") else ""
        url_petit = preparer(source, opts.petite_echelle, "service-petit")[0]
    preparation = time.perf_counter() - debut
    print(f"Préparation des jeux : {preparation:.1f} s", flush=True)
    env = {**os.environ, **serveurs.ENV_PRODUCTION, "DATABASE_URL": url}
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.db import connection

    ids = reperes()
    ids_petit = reperes_de(url_petit) if petite else None
    if fichier is not None and not (serveurs.VENV_DATASETTE / "bin" / "datasette").exists():
        print("Datasette n'est pas installé (make bench l'installe) : mesure sans lui.")
        fichier = None
    srv = serveurs.Serveurs(env, fichier)
    srv_petit = (
        serveurs.Serveurs({**env, "DATABASE_URL": url_petit}, None, port=serveurs.PORT_PETIT)
        if petite
        else None
    )
    try:
        srv.demarrer()
        if srv_petit:
            srv_petit.demarrer()
        lignes, extra = mesurer_tout(srv, ids, fichier is not None, ids_petit)
        if srv_petit:
            srv_petit.arreter()  # idle, but not left beside the load phase
        extra["memoire_apres_mesures"] = srv.memoire()
        if opts.charge > 0:
            print(f"Phase de charge : {opts.charge:.0f} s, {opts.clients} clients…", flush=True)
            extra["charge"] = charge.charger(ids, opts.charge, opts.clients)
        extra["memoire_finale"] = srv.memoire()
    finally:
        srv.arreter()
        if srv_petit:
            srv_petit.arreter()
    extra.update(echelle=opts.echelle, petite_echelle=opts.petite_echelle if petite else None)
    extra["preparation_s"] = round(preparation, 1)
    ecrire_resultats(lignes, extra, connection, debut)


def ecrire_resultats(lignes: list[dict], extra: dict, connection, debut: float) -> None:
    cibles = rapport.objectifs(lignes, extra)
    connection.ensure_connection()
    resultats = {
        "echelle": extra["echelle"],
        "machine": rapport.machine(
            connection.vendor,
            connection.Database.sqlite_version
            if connection.vendor == "sqlite"
            else str(connection.pg_version),
        ),
        "duree_totale_s": round(time.perf_counter() - debut, 1),
        "pages": lignes,
        **extra,
        "objectifs": cibles,
    }
    titre = f"{connection.vendor}, échelle {resultats['echelle']}"
    imprimer(lignes, extra, cibles, titre)
    nom = "results.json" if connection.vendor == "sqlite" else f"results-{connection.vendor}.json"
    rapport.ecrire(BASE_DIR / "bench" / nom, resultats)
    print(f"\nÉcrit : bench/{nom} ; durée totale {rapport.fr(resultats['duree_totale_s'], 0)} s.")


if __name__ == "__main__":
    main()
