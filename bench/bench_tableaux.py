"""Benchmark of the dashboards: SQL queries and response times of each, on the demo data.

    python bench/bench_tableaux.py

Runs on the current database (DATABASE_URL, or db.sqlite3 of `make data`), which must hold the
demo; writes nothing. Each dashboard is requested through Django's test client, signed in as
the demo persona who reads it, with the development settings: a first request (empty cache),
then up to 20 more within a few seconds, of which the median. Prints figures and asserts
nothing; times vary with the machine.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from pathlib import Path

from bench import captured_queries, fr, ko, print_table, timed

BASE_DIR = Path(__file__).resolve().parent.parent
REPEAT, MIN_REPEAT, BUDGET = 20, 3, 8.0

# (persona of demo/personas.py, page)
PAGES = [
    ("national@demo.ti", "/tableaux/"),
    ("national@demo.ti", "/tableaux/?phase=1"),
    ("national@demo.ti", "/tableaux/?phase=toutes"),
    ("national@demo.ti", "/tableaux/?phase=2&carte=retenues"),
    ("region.ara@demo.ti", "/tableaux/regions/84/"),
    ("region.ara@demo.ti", "/tableaux/regions/84/?phase=1"),
    ("chef.8401@demo.ti", "/tableaux/territoires/2/ti-8401/"),
    ("national@demo.ti", "/tableaux/territoires/1/8401/"),
    ("national@demo.ti", "/tableaux/deploiement/"),
    ("national@demo.ti", "/tableaux/deploiement/?phase=toutes&tri=contrat&ordre=desc"),
    ("national@demo.ti", "/tableaux/deploiement/?phase=2&figure=deploiement&format=xlsx"),
    ("national@demo.ti", "/tableaux/?figure=fiches-etapes&format=csv"),
]


def mesurer(email: str, url: str) -> list[str]:
    from django.core.cache import cache
    from django.test import Client

    from comptes.models import Utilisateur

    c = Client(SERVER_NAME="127.0.0.1")
    c.force_login(Utilisateur.objects.get(email=email))
    cache.clear()
    with captured_queries() as requetes:
        reponse, premiere = timed(c.get, url)
    n = len(requetes)
    temps, debut = [], time.perf_counter()
    while len(temps) < REPEAT and (len(temps) < MIN_REPEAT or time.perf_counter() - debut < BUDGET):
        temps.append(timed(c.get, url)[1])
    return [
        url,
        email.split("@")[0],
        str(reponse.status_code),
        str(n),
        fr(premiere * 1000, 0),
        fr(statistics.median(temps) * 1000, 0),
        str(len(temps)),
        ko(len(reponse.content)),
    ]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.db import connection

    print(f"Tableaux de bord — base {connection.vendor}, données de démonstration")
    lignes = [mesurer(email, url) for email, url in PAGES]
    print_table(
        "Requêtes SQL et temps de chaque tableau de bord",
        ["page", "lecteur", "statut", "requêtes SQL", "1re (ms)", "médiane (ms)", "n", "taille"],
        lignes,
    )


if __name__ == "__main__":
    main()
