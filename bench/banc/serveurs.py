"""The database of the benchmark, and the two servers that serve it: the platform behind
gunicorn with its production settings (config.settings.base), Datasette on the same file."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TRAVAIL = BASE_DIR / "bench" / "travail"
# The platform, Datasette, and the platform on the small-scale dataset (the growth measure);
# national.py --port moves them (set by regler_ports before any server starts).
PORT_PLATEFORME = int(os.environ.get("BENCH_PORT", "8210"))
PORT_DATASETTE = PORT_PLATEFORME + 1
PORT_PETIT = PORT_PLATEFORME + 2
VENV_DATASETTE = BASE_DIR / "bench" / ".venv-datasette"
ENV_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "SECRET_KEY": "banc-de-mesure-seulement-jamais-en-production",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_COOKIES": "0",
    # Served on plain HTTP on loopback: no redirection to HTTPS, as behind a TLS proxy.
    "SECURE_SSL_REDIRECT": "0",
    "DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # The export of every fiche written by the request itself, as the worker writes it
    # (fiches.exports): measured, rather than the redirection to its waiting page.
    "EXPORT_FICHES_IMMEDIAT_MAX": "1000000",
}


def regler_ports(port: int, port_petit: int | None = None) -> None:
    global PORT_PLATEFORME, PORT_DATASETTE, PORT_PETIT
    PORT_PLATEFORME, PORT_DATASETTE = port, port + 1
    PORT_PETIT = port_petit or port + 2


def cle_du_jeu(echelle: float) -> str:
    """Changes with the generator, the migrations and the shipped data: a cached dataset is
    reused only when it would be built the same."""
    h = hashlib.sha256(f"{echelle}".encode())
    motifs = ["*/migrations/*.py", "data/territoires/*", "data/referentiel/*"]
    motifs += ["bench/generateur/*.py"] if echelle else []
    for motif in motifs:
        for p in sorted(BASE_DIR.glob(motif)):
            h.update(p.name.encode())
            h.update(str(p.stat().st_size).encode())
            if p.suffix == ".py":
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def preparer_sqlite(echelle: float, service: str = "service", sortie=print) -> Path:
    """The dataset, built once per key into bench/travail/, then copied for this run (the
    load phase writes into the copy). One cache per scale: the run's and the small one."""
    TRAVAIL.mkdir(parents=True, exist_ok=True)
    cache = TRAVAIL / f"national-{echelle}-{cle_du_jeu(echelle)}.sqlite3"
    if not cache.exists():
        # This scale's older builds, and those named before the scale was in the name.
        for vieux in [
            *TRAVAIL.glob(f"national-{echelle}-*.sqlite3*"),
            *TRAVAIL.glob("national-" + "?" * 12 + ".sqlite3*"),
        ]:
            vieux.unlink()
        sortie(
            f"Construction du jeu national (échelle {echelle}) dans {cache.relative_to(BASE_DIR)}…"
        )
        en_cours = cache.with_suffix(".en-cours")
        en_cours.unlink(missing_ok=True)
        # The referential and the official map, cached too: they take the longest to load.
        base = TRAVAIL / f"base-{cle_du_jeu(0)}.sqlite3"
        if not base.exists():
            for vieux in TRAVAIL.glob("base-*.sqlite3"):
                vieux.unlink()
            officiel({**os.environ, **ENV_PRODUCTION, "DATABASE_URL": f"sqlite:///{en_cours}"})
            shutil.copy(en_cours, base)
        else:
            shutil.copy(base, en_cours)
        generer({**os.environ, **ENV_PRODUCTION, "DATABASE_URL": f"sqlite:///{en_cours}"}, echelle)
        en_cours.rename(cache)
    dossier = TRAVAIL / service
    shutil.rmtree(dossier, ignore_errors=True)
    dossier.mkdir()
    # Datasette names the database after the file: "national" whatever the scale.
    shutil.copy(cache, dossier / "national.sqlite3")
    return dossier / "national.sqlite3"


def nom_de_base(url: str) -> str:
    """The database named in a PostgreSQL URL, refused unless it says « bench »: the bench
    drops it."""
    nom = url.rsplit("/", 1)[1].split("?")[0]
    if "bench" not in nom:
        raise SystemExit(
            f"La base {nom} ne contient pas « bench » : le banc la détruirait, refusé."
        )
    return nom


def url_voisine(url: str, suffixe: str) -> str:
    """The URL of a sibling database (the small scale's, a model): same server, name + suffix."""
    debut, _, fin = url.rpartition("/")
    nom, sep, options = fin.partition("?")
    return f"{debut}/{nom}{suffixe}{sep}{options}"


def preparer_postgres(url: str, echelle: float, sortie=print) -> None:
    """Recreates the database named in the URL (it must say « bench ») as a copy of a model
    database built once per key (`<name>_modele`, the key in its comment): the load phase
    writes into the copy, and the next run with the same key skips the hour of building."""
    import psycopg

    nom = nom_de_base(url)
    modele, cle = f"{nom}_modele", f"banc {cle_du_jeu(echelle)}"
    serveur = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(serveur, autocommit=True) as c:
        existante = c.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [modele],
        ).fetchone()
        if not existante or existante[0] != cle:
            sortie(
                f"Construction du jeu national (échelle {echelle}) "
                f"dans la base PostgreSQL {modele}…"
            )
            debut = time.perf_counter()
            c.execute(f'DROP DATABASE IF EXISTS "{modele}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{modele}"')
            env = {**os.environ, **ENV_PRODUCTION, "DATABASE_URL": url_voisine(url, "_modele")}
            officiel(env)
            generer(env, echelle)
            # Only a finished model carries its key: an interrupted build is redone.
            c.execute(f"COMMENT ON DATABASE \"{modele}\" IS '{cle}'")
            sortie(f"  préparation PostgreSQL : {time.perf_counter() - debut:.1f} s")
        c.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{nom}" TEMPLATE "{modele}"')


def officiel(env: dict) -> None:
    """Migrations, the referential and the official map of both phases, as `make run`."""
    debut = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_initial_data")
    print(f"  référentiel et carte officielle : {time.perf_counter() - debut:.1f} s", flush=True)


def generer(env: dict, echelle: float) -> None:
    code = (
        "import sys, django; sys.path.insert(0, '.'); django.setup()\n"
        "from bench.generateur import generer\n"
        f"print(generer({echelle!r}))\n"
        "from django.db import connection\n"
        "if connection.vendor == 'postgresql':\n"
        # As autovacuum leaves a database in service: statistics, and the visibility map that
        # lets an index be read without its table.
        "    connection.cursor().execute('VACUUM ANALYZE')\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, check=True)


class Serveurs:
    """gunicorn (2 workers, sync) and Datasette, started and stopped together."""

    def __init__(self, env: dict, fichier: Path | None, workers: int = 2, port: int | None = None):
        """`fichier`: the SQLite file Datasette serves beside (None: no Datasette)."""
        self.env, self.fichier, self.workers = env, fichier, workers
        self.port = port or PORT_PLATEFORME
        self.procs: dict[str, subprocess.Popen] = {}

    def demarrer(self) -> None:
        ports = (self.port, PORT_DATASETTE) if self.fichier is not None else (self.port,)
        for port in ports:
            if libre(port) is False:
                raise SystemExit(f"Le port {port} est déjà pris : un autre serveur y répondrait.")
        manage(self.env, "collectstatic", "--noinput", "-v0")
        self.procs["plateforme"] = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "300",
                # Stopped at the end of the run: busy workers are not waited for long.
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )
        if self.fichier is not None:
            self.procs["datasette"] = subprocess.Popen(
                [
                    str(VENV_DATASETTE / "bin" / "datasette"),
                    "serve",
                    str(self.fichier),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(PORT_DATASETTE),
                    "--setting",
                    "sql_time_limit_ms",
                    "20000",
                    "--setting",
                    "suggest_facets",
                    "off",
                    "--setting",
                    "max_returned_rows",
                    "1000",
                ],
                cwd=BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        attendre(self.port, "/api/v1/openapi.json")
        if self.fichier is not None:
            attendre(PORT_DATASETTE, "/-/versions.json")

    def workers_pids(self) -> list[int]:
        maitre = self.procs["plateforme"].pid
        pids = []
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    stat = (p / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == maitre:
                    pids.append(int(p.name))
        return pids

    def memoire(self) -> dict[str, int]:
        """Current and peak resident memory (KiB) of the platform's workers, summed and max."""
        rss, pic = [], []
        for pid in self.workers_pids():
            try:
                lignes = Path(f"/proc/{pid}/status").read_text().splitlines()
            except OSError:
                continue
            champs = {k: v for k, _, v in (x.partition(":") for x in lignes)}
            rss.append(int(champs["VmRSS"].split()[0]))
            pic.append(int(champs["VmHWM"].split()[0]))
        return {
            "rss_max_ko": max(rss, default=0),
            "pic_max_ko": max(pic, default=0),
            "rss_total_ko": sum(rss),
        }

    def arreter(self) -> None:
        workers = self.workers_pids() if "plateforme" in self.procs else []
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for pid in workers:  # never left holding the port for the next run
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)


def libre(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def attendre(port: int, chemin: str, delai: float = 120) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", chemin)
            if c.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Le serveur du port {port} ne répond pas.")
