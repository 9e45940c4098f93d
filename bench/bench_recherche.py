"""Response time of the platform's search (docs/adr/0018-recherche.md), on the demo data and,
with `--fiches N`, with the fiches multiplied up to N (national scale: 20 000).

    python bench/bench_recherche.py [--fiches 20000]

Runs on the current database (DATABASE_URL, or db.sqlite3 of `make data`), which must hold the
demo. The fiches added for `--fiches` are written inside a transaction rolled back at the end:
nothing is left. Each search is asked through the page (/recherche/?q=) and the API, as a
visitor, a chef de projet and the national delegation: a first request, then the median of the
next ones within a few seconds, and the number of SQL queries. Prints figures, asserts
nothing; times vary with the machine.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
REPEAT, BUDGET = 15, 4.0
REQUETES = ["tournon sur rhone", "07010", "ti-8401", "Épinal", "fonderies", "industrie", "saint"]
PERSONAS = [None, "chef.8401@demo.ti", "national@demo.ti"]


def mesurer(client, url: str) -> tuple[float, float, int]:
    from django.db import connection

    requetes = []

    def compter(execute, sql, params, many, context):
        requetes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(compter):
        debut = time.perf_counter()
        r = client.get(url)
        premier = time.perf_counter() - debut
    assert r.status_code == 200, (url, r.status_code)
    temps, fin = [], time.perf_counter() + BUDGET
    while len(temps) < REPEAT and time.perf_counter() < fin:
        debut = time.perf_counter()
        client.get(url)
        temps.append(time.perf_counter() - debut)
    return premier * 1000, statistics.median(temps) * 1000, len(requetes)


def moteur(user, q: str) -> float:
    """The search alone (without the page around it): every kind counted, five of each."""
    from referentiel.moteur import chercher

    temps = []
    for _ in range(5):
        debut = time.perf_counter()
        _, groupes = chercher(user, q)
        for g in groupes:
            g.presenter(g.objets[:5]), g.total
        temps.append(time.perf_counter() - debut)
    return statistics.median(temps) * 1000


def multiplier_les_fiches(cible: int) -> int:
    """Copies of the demo fiches (each its searchable text) until there are `cible`."""
    from django.core.management import call_command
    from django.db.models import Max

    from fiches.models import FicheAction

    modeles = list(FicheAction.objects.select_related("territoire"))
    manque = cible - len(modeles)
    if manque <= 0 or not modeles:
        return len(modeles)
    numeros = dict(
        FicheAction.objects.values("territoire")
        .annotate(m=Max("numero"))
        .values_list("territoire", "m")
    )
    copies = []
    for i in range(manque):
        f = modeles[i % len(modeles)]
        numeros[f.territoire_id] += 1
        f.pk, f.id, f.uuid = None, None, uuid.uuid4()
        f.numero = numeros[f.territoire_id]
        f.texte_recherche = f.texte_a_chercher()
        copies.append(
            FicheAction(**{c.attname: getattr(f, c.attname) for c in f._meta.concrete_fields})
        )
    FicheAction.objects.bulk_create(copies, batch_size=1000)
    # The bulk insert skips save(): the words of the copies are indexed as after any bulk load.
    call_command("reindexer_recherche", stdout=io.StringIO())
    return FicheAction.objects.count()


def campagne(titre: str) -> None:
    from django.test import Client

    from comptes.models import Utilisateur

    print(f"\n{titre}")
    print(
        f"{'qui':<20} {'requête':<20} {'moteur (ms)':>12} {'page 1re (ms)':>14} "
        f"{'page méd.':>10} {'SQL':>4} {'API méd. (ms)':>14}"
    )
    for email in PERSONAS:
        client = Client()
        entetes, user = {}, None
        if email:
            user = Utilisateur.objects.get(email=email)
            client.force_login(user)
            from comptes.services import creer_jeton

            entetes = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(user)}"}
        for q in REQUETES:
            premier, median, sql = mesurer(client, f"/recherche/?q={q}")
            api = Client(**entetes)
            _, median_api, _ = mesurer(api, f"/api/v1/recherche?q={q}")
            seul = moteur(user, q)
            print(
                f"{email or 'visiteur':<20} {q:<20} {seul:>12.1f} {premier:>14.1f} "
                f"{median:>10.1f} {sql:>4} {median_api:>14.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=0, help="fiches à atteindre (ex. 20000)")
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection, transaction

    from fiches.models import FicheAction

    settings.ALLOWED_HOSTS = ["*"]
    print(f"Base : {connection.vendor}, {FicheAction.objects.count()} fiches")
    campagne("Données de démonstration")
    if args.fiches:
        with transaction.atomic():
            debut = time.perf_counter()
            n = multiplier_les_fiches(args.fiches)
            if connection.vendor == "postgresql":
                with connection.cursor() as c:
                    c.execute("ANALYZE fiches_ficheaction")
                    c.execute("ANALYZE fiches_motfiche")
            print(f"\n{n} fiches ({time.perf_counter() - debut:.1f} s pour les écrire)")
            campagne(f"{n} fiches")
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
