"""Two app servers behind one reverse proxy, as production may run them: a person's session,
uploads and edits work whichever server answers, and a server stopped in the middle of the
journey loses nothing.

Two gunicorn servers (config/gunicorn.py, production settings config.settings.base) share the
test database — the same PostgreSQL database when DATABASE_URL names one; on SQLite, the same
database file, which only works on one machine — and one media folder. Debian's nginx, started
from a temporary folder on loopback, sends requests to them in turn (round robin) and skips a
server that refuses the connection (`proxy_next_upstream error timeout`). The person's client
speaks HTTP to nginx only, with its cookie jar, like a browser.

When nginx is missing the test is skipped, unless NGINX_REQUIRED=1 (set in CI), where it fails.
Bounded: every wait and request has a timeout; processes are stopped at the end, failure or not.
"""

from __future__ import annotations

import os
import re
import time
from html import escape
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from comptes.tests.fabriques import MDP
from fiches.models import FicheAction
from fiches.tests.fabriques import equipe, fiche

from . import plateforme as pf

pytestmark = [pytest.mark.serveurs, pytest.mark.usefixtures("restore_shipped_data")]

DELAI = 30  # seconds per request: bounds one that would hang, never reached when all is well
PIECE = "date;sujet\n2026-03-02;Comité de projet : lancement de la ligne pilote\n".encode()


@pytest.fixture(scope="session")
def nginx_disponible() -> Path:
    if pf.NGINX.is_file() and os.access(pf.NGINX, os.X_OK):
        return pf.NGINX
    raison = (
        f"Deux serveurs derrière nginx non testés : nginx est introuvable ({pf.NGINX}). "
        "Installer le paquet Debian « nginx »."
    )
    if os.environ.get("NGINX_REQUIRED") == "1":
        pytest.fail(raison + " NGINX_REQUIRED=1 rend ce test obligatoire.", pytrace=False)
    pytest.skip(raison)


class Navigateur:
    """A person's browser talking to nginx: its cookies, and which server answered each
    request (nginx's X-Serveur: the servers tried, the last one answered)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.reponses: list[tuple[str, int, list[str]]] = []

    def _noter(self, r: requests.Response) -> requests.Response:
        for rep in [*r.history, r]:
            essais = [s.strip() for s in rep.headers.get("X-Serveur", "").split(",") if s]
            self.reponses.append(
                (f"{rep.request.method} {rep.request.path_url}", rep.status_code, essais)
            )
        assert r.status_code == 200, (r.status_code, r.url, r.text[:2000])
        return r

    def get(self, chemin: str) -> requests.Response:
        return self._noter(self.session.get(self.base + chemin, timeout=DELAI))

    def post(self, chemin: str, donnees: dict, fichiers: dict | None = None) -> requests.Response:
        # What a browser sends with a form, behind TLS: the page's origin (CSRF checks it).
        origine = "https://" + self.base.split("://", 1)[1]
        entetes = {"Origin": origine, "Referer": origine + chemin}
        return self._noter(
            self.session.post(
                self.base + chemin, data=donnees, files=fichiers, headers=entetes, timeout=DELAI
            )
        )

    def servis_par(self, depuis: int = 0) -> list[str]:
        return [essais[-1] for _, _, essais in self.reponses[depuis:]]


def _preparer_donnees():
    p = equipe()
    chef = p["chef"]
    # The production settings know PBKDF2, not the quick hash of the test settings.
    hasheur = PBKDF2PasswordHasher()
    chef.password = hasheur.encode(MDP, hasheur.salt())
    chef.save(update_fields=["password"])
    return chef, fiche(chef, lignes=[])


def _modifier_titre(nav: Navigateur, f: FicheAction, titre: str) -> None:
    chemin = f"/fiches/{f.uuid}/modifier/"
    page = nav.get(chemin)
    form = pf.formulaire(page.text, "")
    r = nav.post(chemin, form.donnees(bouton="aller", titre=titre))
    assert escape(titre) in r.text, "La page de la fiche, après l'enregistrement, montre le titre."


def _lien_de_la_piece(html: str, f: FicheAction, titre: str) -> str:
    m = re.search(rf'href="(/fiches/{f.uuid}/pieces-jointes/\d+/)"[^>]*>{re.escape(titre)}<', html)
    assert m, f"La pièce « {titre} » n'est pas listée sur la page de la fiche."
    return m.group(1)


def test_deux_serveurs_derriere_nginx_une_session_un_envoi_et_des_modifications_survivent_a_l_arret_d_un_serveur(  # noqa: E501
    transactional_db, shipped_data, nginx_disponible, tmp_path, tmp_path_factory
):
    debut = time.monotonic()
    temps: dict[str, float] = {}
    media = tmp_path / "media"
    media.mkdir()
    env = pf.environnement(pf.url_de_la_base(connection.settings_dict), media)
    env["STATIC_ROOT"] = str(pf.statiques_collectees(tmp_path_factory.getbasetemp().parent, env))
    temps["collectstatic"] = time.monotonic() - debut
    shipped_data.restore()
    chef, f = _preparer_donnees()
    temps["données"] = time.monotonic() - debut - temps["collectstatic"]
    port_nginx, port_a, port_b = pf.ports_libres(3)
    serveurs = {
        f"127.0.0.1:{port_a}": pf.gunicorn("serveur-a", port_a, env, tmp_path),
        f"127.0.0.1:{port_b}": pf.gunicorn("serveur-b", port_b, env, tmp_path),
    }
    proxy = pf.nginx(tmp_path, port_nginx, [port_a, port_b])
    t = time.monotonic()
    try:
        for s in [*serveurs.values(), proxy]:
            s.demarrer()
        for adresse, s in serveurs.items():
            pf.attendre(int(adresse.rsplit(":", 1)[1]), s)
        pf.attendre(port_nginx, proxy)
        temps["démarrage des serveurs"] = time.monotonic() - t
        _parcours(f, chef, serveurs, port_nginx, media, temps)
    finally:
        for s in [proxy, *serveurs.values()]:
            s.arreter()
    temps["total"] = time.monotonic() - debut
    print("Deux serveurs : " + ", ".join(f"{k} {v:.1f} s" for k, v in temps.items()))


def _parcours(f, chef, serveurs, port_nginx, media, temps) -> None:
    """Sign in, edit, upload and read back through nginx; stop a server; go on."""
    t0 = time.monotonic()
    nav = Navigateur(f"http://127.0.0.1:{port_nginx}")
    tous = set(serveurs)

    # Signed in on one server, the next pages come from the other: the session is shared.
    page = nav.get("/connexion/")
    form = pf.formulaire(page.text, "")
    r = nav.post("/connexion/", form.donnees(username=chef.email, password=MDP))
    assert r.url.endswith("/compte/") and chef.email in r.text
    _modifier_titre(nav, f, "Ligne pilote : titre modifié derrière nginx")
    page = nav.get(f"/fiches/{f.uuid}/")
    form = pf.formulaire(page.text, f"/fiches/{f.uuid}/pieces-jointes/")
    r = nav.post(
        f"/fiches/{f.uuid}/pieces-jointes/",
        form.donnees(**{"piece-titre": "Relevé des comités"}),
        {"piece-fichier": ("releve.csv", PIECE, "text/csv")},
    )
    lien = _lien_de_la_piece(r.text, f, "Relevé des comités")
    assert nav.get(lien).content == PIECE
    avant = nav.servis_par()
    # Round robin: each request to the other server, both served, none retried.
    assert set(avant) == tous, nav.reponses
    assert all(a != b for a, b in zip(avant, avant[1:], strict=False)), nav.reponses
    assert all(len(essais) == 1 for _, _, essais in nav.reponses), nav.reponses
    temps["parcours à deux serveurs"] = time.monotonic() - t0

    # One server stops in the middle of the journey; the person goes on.
    t1 = time.monotonic()
    arrete = avant[-1]
    serveurs[arrete].arreter()
    restant = (tous - {arrete}).pop()
    n = len(nav.reponses)
    page = nav.get(f"/fiches/{f.uuid}/")
    assert "Ligne pilote : titre modifié derrière nginx" in page.text
    assert nav.get(_lien_de_la_piece(page.text, f, "Relevé des comités")).content == PIECE
    _modifier_titre(nav, f, "Ligne pilote : modifiée après l'arrêt d'un serveur")
    r = nav.get("/compte/")
    assert chef.email in r.text, "Toujours connecté."
    apres = nav.reponses[n:]
    assert set(nav.servis_par(n)) == {restant}, apres
    # nginx tried the stopped server once, and passed the request on without an error.
    assert any(essais == [arrete, restant] for _, _, essais in apres), apres
    temps["parcours après l'arrêt"] = time.monotonic() - t1

    assert {statut for _, statut, _ in nav.reponses} == {200, 302}, "Aucune erreur."

    # Nothing lost: what the person wrote is in the shared database and media folder.
    f.refresh_from_db()
    assert f.titre == "Ligne pilote : modifiée après l'arrêt d'un serveur"
    [piece] = f.pieces_jointes.all()
    assert (media / piece.fichier.name).read_bytes() == PIECE
    # Each server's access log (stdout, config/gunicorn.py) has the requests it answered.
    for adresse, s in serveurs.items():
        lignes = [
            li for li in s.fin_du_journal(10**6).splitlines() if '"GET /' in li or '"POST /' in li
        ]
        attendues = sum(essais[-1] == adresse for _, _, essais in nav.reponses)
        assert len(lignes) >= attendues > 0, (adresse, lignes)
