"""The production gunicorn configuration reads its environment (config/gunicorn.py)."""

import os
import runpy
from pathlib import Path

from django.conf import settings

CONFIGURATION = Path(settings.BASE_DIR) / "config" / "gunicorn.py"


def lire(monkeypatch, **env) -> dict:
    for nom in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(nom, raising=False)
    for nom, valeur in env.items():
        monkeypatch.setenv(nom, valeur)
    return runpy.run_path(str(CONFIGURATION))


def test_gunicorn_par_defaut_deux_workers_par_coeur_plus_un_sur_la_boucle_locale(monkeypatch):
    c = lire(monkeypatch)
    assert c["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert c["bind"] == "127.0.0.1:8000"
    assert (c["timeout"], c["graceful_timeout"]) == (60, 30)
    assert (c["accesslog"], c["errorlog"]) == ("-", "-")
    assert c["control_socket_disable"] is True


def test_gunicorn_adresse_workers_et_delai_donnes_par_l_environnement(monkeypatch):
    c = lire(monkeypatch, GUNICORN_BIND="0.0.0.0:8080", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="120")
    assert (c["bind"], c["workers"], c["timeout"]) == ("0.0.0.0:8080", 3, 120)
