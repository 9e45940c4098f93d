"""Serving the platform as production serves it, for the tests: gunicorn servers with the
production settings (config.settings.base) and the project's gunicorn configuration, behind
Debian's nginx on loopback, all started from a temporary folder and stopped at the end.

Nothing here is shipped: the test's nginx configuration names the server that answered in an
`X-Serveur` header (nginx's `$upstream_addr`), which a production proxy has no need of.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NGINX = Path("/usr/sbin/nginx")
DEMARRAGE = 45  # seconds: the longest wait for a server to answer, never reached when all is well
ARRET = 35  # seconds: gunicorn's graceful stop (30 s by default in config/gunicorn.py) and more


def ports_libres(n: int) -> list[int]:
    """`n` ports: from DEUX_SERVEURS_PORT on when set (a machine's allotted range), else free
    ones the system hands out."""
    if base := os.environ.get("DEUX_SERVEURS_PORT"):
        return [int(base) + i for i in range(n)]
    prises, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        prises.append(s)
        ports.append(s.getsockname()[1])
    for s in prises:
        s.close()
    return ports


def url_de_la_base(settings_dict: dict) -> str:
    """The DATABASE_URL of the test database, for the servers' own processes."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    auth = settings_dict["USER"] or ""
    if settings_dict.get("PASSWORD"):
        auth += f":{settings_dict['PASSWORD']}"
    hote = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
    return f"postgres://{auth}@{hote}/{settings_dict['NAME']}"


def environnement(database_url: str, media: Path) -> dict[str, str]:
    """Production settings, as a deployment sets them; what the servers share: the database,
    the media folder, the secret key (sessions and CSRF tokens signed by one, read by the
    other)."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "deux-serveurs-tests-seulement-jamais-en-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        # One proxy in front (nginx): the client's address is the last of X-Forwarded-For.
        "PROXYS_DE_CONFIANCE": "1",
        # TLS ends in front of nginx (X-Forwarded-Proto: https): no redirect. The test's client
        # speaks plain HTTP to nginx, and would not send a cookie marked Secure back.
        "SECURE_COOKIES": "0",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "1",  # two servers on a small machine
        "PROCONNECT_CLIENT_ID": "",
    }


def empreinte_des_statiques() -> str:
    """Changes with any static file (name, size, date) and with the versions of Django and
    whitenoise, which decide what collectstatic writes."""
    from importlib.metadata import version

    from django.contrib.staticfiles import finders

    fichiers = sorted(
        (chemin, os.stat(stockage.path(chemin)))
        for finder in finders.get_finders()
        for chemin, stockage in finder.list(["CVS", ".*", "*~"])
    )
    h = hashlib.sha256(f"{version('django')} {version('whitenoise')}".encode())
    for chemin, st in fichiers:
        h.update(f"{chemin}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def statiques_collectees(racine: Path, env: dict) -> Path:
    """`collectstatic` as a deployment runs it (some seconds, more on a busy machine), kept in
    `racine` for the next runs while no static file changes."""
    cle = empreinte_des_statiques()
    dossier = racine / f"statiques-{cle}"
    if (dossier / "staticfiles.json").is_file():
        return dossier
    en_cours = racine / f"statiques-{cle}.en-cours-{os.getpid()}"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env={**env, "STATIC_ROOT": str(en_cours)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    try:
        en_cours.rename(dossier)
    except OSError:  # another run got there first, with the same files
        shutil.rmtree(en_cours, ignore_errors=True)
    for vieux in racine.glob("statiques-*"):
        if vieux.name != dossier.name and ".en-cours-" not in vieux.name:
            shutil.rmtree(vieux, ignore_errors=True)
    return dossier


@dataclass
class Processus:
    nom: str
    journal: Path
    commande: list[str]
    env: dict
    proc: subprocess.Popen | None = None

    def demarrer(self) -> None:
        with self.journal.open("ab") as sortie:
            # Its own process group: a gunicorn master and its workers stop together.
            self.proc = subprocess.Popen(
                self.commande,
                cwd=BASE_DIR,
                env=self.env,
                stdout=sortie,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def arreter(self) -> None:
        """SIGTERM (gunicorn and nginx stop gracefully), then SIGKILL on the group if late."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(ARRET)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def fin_du_journal(self, n: int = 3000) -> str:
        return self.journal.read_text(errors="replace")[-n:] if self.journal.exists() else ""


def attendre(port: int, proc: Processus, chemin: str = "/") -> None:
    """Until the server answers on loopback (any HTTP answer), or fails clearly."""
    limite = time.monotonic() + DEMARRAGE
    while time.monotonic() < limite:
        if proc.proc.poll() is not None:
            raise AssertionError(f"{proc.nom} s'est arrêté :\n{proc.fin_du_journal()}")
        with contextlib.suppress(requests.RequestException):
            requests.get(
                f"http://127.0.0.1:{port}{chemin}",
                headers={"X-Forwarded-Proto": "https"},
                allow_redirects=False,
                timeout=5,
            )
            return
        time.sleep(0.2)
    raise AssertionError(f"{proc.nom} ne répond pas après {DEMARRAGE} s :\n{proc.fin_du_journal()}")


def gunicorn(nom: str, port: int, env: dict, dossier: Path) -> Processus:
    """A server started with the project's configuration, its address given by the
    environment as a deployment would give it."""
    return Processus(
        nom,
        dossier / f"{nom}.log",
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_PROC_NAME": nom},
    )


def configuration_nginx(dossier: Path, port: int, amont: list[int]) -> str:
    serveurs = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in amont)
    temporaires = "\n".join(
        f"  {t}_temp_path {dossier / t};"
        for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would otherwise run as nobody, who may not enter the folder.
    utilisateur = "user root;" if os.geteuid() == 0 else ""
    return f"""
{utilisateur}
daemon off;
worker_processes 1;
pid {dossier / "nginx.pid"};
error_log {dossier / "nginx-erreurs.log"} warn;
events {{ worker_connections 64; }}
http {{
  access_log {dossier / "nginx-acces.log"};
{temporaires}
  client_max_body_size 25m;
  upstream plateforme {{
{serveurs}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://plateforme;
      # A server that refuses the connection or does not answer: the next one takes the request.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # Stands for the TLS front that production has.
      proxy_set_header X-Forwarded-Proto https;
      # For the test only: which server(s) the request went to, the last one answered.
      add_header X-Serveur $upstream_addr always;
    }}
  }}
}}
"""


def nginx(dossier: Path, port: int, amont: list[int]) -> Processus:
    for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (dossier / t).mkdir(exist_ok=True)
    conf = dossier / "nginx.conf"
    conf.write_text(configuration_nginx(dossier, port, amont))
    return Processus(
        "nginx",
        dossier / "nginx.log",
        [str(NGINX), "-p", str(dossier), "-c", str(conf), "-e", str(dossier / "nginx-erreurs.log")],
        dict(os.environ),
    )


# --- The person's browser: forms as a page gives them --------------------------------------


@dataclass
class Formulaire:
    action: str
    champs: list[tuple[str, str]] = field(default_factory=list)
    boutons: list[tuple[str, str]] = field(default_factory=list)

    def donnees(self, bouton: str | None = None, **changes: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for nom, valeur in self.champs:
            out.setdefault(nom, []).append(valeur)
        for nom, valeur in changes.items():
            assert nom in out, f"Le formulaire n'a pas de champ « {nom} »."
            out[nom] = [valeur]
        for nom, valeur in self.boutons:
            if nom == bouton:
                out[nom] = [valeur]
        return out


class LecteurDeFormulaires(HTMLParser):
    """The forms of a page and what a browser would send from them unchanged: text fields,
    hidden fields, checked boxes, selected options, text areas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.formulaires: list[Formulaire] = []
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.formulaires.append(Formulaire(a.get("action") or ""))
        if not self.formulaires or "disabled" in a:
            return
        f, nom = self.formulaires[-1], a.get("name")
        if tag == "input" and nom:
            genre = (a.get("type") or "text").lower()
            if genre in ("checkbox", "radio"):
                if "checked" in a:
                    f.champs.append((nom, a.get("value") or "on"))
            elif genre in ("submit", "button", "image"):
                f.boutons.append((nom, a.get("value") or ""))
            elif genre != "file":
                f.champs.append((nom, a.get("value") or ""))
        elif tag == "button" and nom:
            f.boutons.append((nom, a.get("value") or ""))
        elif tag == "select" and nom:
            self._select = (nom, [], [])
            if "multiple" in a:
                self._select[2].append("multiple")
        elif tag == "option" and self._select:
            valeur = a.get("value") or ""
            self._select[1].append(valeur)
            if "selected" in a:
                self._select[2].append(valeur)
        elif tag == "textarea" and nom:
            self._textarea = (nom, [])

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            nom, options, choisis = self._select
            multiple = "multiple" in choisis
            choisis = [c for c in choisis if c != "multiple"] if multiple else choisis
            if not choisis and not multiple and options:
                choisis = options[:1]  # a browser sends the first option of a plain list
            self.formulaires[-1].champs.extend((nom, c) for c in choisis)
            self._select = None
        elif tag == "textarea" and self._textarea:
            nom, texte = self._textarea
            self.formulaires[-1].champs.append((nom, "".join(texte).removeprefix("\n")))
            self._textarea = None


def formulaire(html: str, action: str) -> Formulaire:
    lecteur = LecteurDeFormulaires()
    lecteur.feed(html)
    for f in lecteur.formulaires:
        if f.action == action:
            return f
    raise AssertionError(f"Aucun formulaire vers {action} dans la page.")
