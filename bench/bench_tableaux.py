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
    # Every dashboard as the national delegation reads it.
    ("national@demo.ti", "/tableaux/regions/84/"),
    ("national@demo.ti", "/tableaux/territoires/2/ti-8401/"),
    ("national@demo.ti", "/delais/"),
    ("national@demo.ti", "/evaluations/consolidation/"),
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
    programme()


def _euros(total) -> str:
    if getattr(total, "valeur", total) is None:
        return f"retenu ({total.motif})"
    return fr(float(getattr(total, "valeur", total)), 2) + " €"


def _somme(qs):
    from django.db.models import Sum

    return qs.aggregate(s=Sum("montant"))["s"] or 0


def programme() -> None:
    """The demo programme's figures: as the national dashboard shows them (statistical
    secrecy), and the exact sums of the database (the lines of the fiches out of draft, the
    bearer's own money left out, as suivi.perimetre counts them)."""
    from django.db.models import F

    from comptes.models import Utilisateur
    from fiches.enums import Etat, StatutLigne
    from fiches.models import FicheAction, LigneFinancement
    from financements.models import Ajustement, Engagement, Paiement
    from suivi import chiffres

    national = Utilisateur.objects.get(email="national@demo.ti")
    lignes = LigneFinancement.objects.exclude(fiche__etat=Etat.BROUILLON).exclude(
        financeur_id=F("fiche__porteur_id")
    )
    rangs = []
    for phase in (1, 2):
        vue = chiffres.montants(national, phase=phase)
        de = lignes.filter(fiche__territoire__phase_id=phase)
        engage = _somme(Engagement.objects.filter(ligne__in=de)) - _somme(
            Ajustement.objects.filter(engagement__ligne__in=de)
        )
        exact = {
            "demandé": _somme(de),
            "accordé": _somme(de.filter(statut=StatutLigne.ACCORDE)),
            "engagé": engage,
            "payé": _somme(Paiement.objects.filter(engagement__ligne__in=de)),
        }
        vus = {
            "demandé": vue.demande,
            "accordé": vue.accorde,
            "engagé": vue.engage,
            "payé": vue.paye,
        }
        for nom, valeur in exact.items():
            rangs.append([f"phase {phase}", nom, _euros(vus[nom]), _euros(valeur)])
    print_table(
        "Chiffres du programme de démonstration",
        ["phase", "chiffre", "tableau national", "base (exact)"],
        rangs,
    )
    print(
        f"{FicheAction.objects.count()} fiches, {LigneFinancement.objects.count()} lignes de "
        f"financement, {Engagement.objects.count()} engagements, {Paiement.objects.count()} "
        f"paiements, {Ajustement.objects.count()} ajustements."
    )


if __name__ == "__main__":
    main()
