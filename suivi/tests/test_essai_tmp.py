import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suivi import chiffres
from suivi.tests.programme import construire

pytestmark = pytest.mark.django_db


def test_essai():
    w = construire()
    for u in ("national", "pilote84", "chef2704"):
        with CaptureQueriesContext(connection) as ctx:
            m = chiffres.montants(w[u])
        print(u, len(ctx.captured_queries), m)
    with CaptureQueriesContext(connection) as ctx:
        rows = chiffres.repartition(w["pilote84"], "financeur")
    for r in rows:
        print(r.libelle, r.montants)
    print(ctx.captured_queries[-3]["sql"])
    for r in chiffres.repartition(w["pilote84"], "mois"):
        print(r.libelle, r.montants.paye, r.montants.demande)
    for r in chiffres.repartition(w["national"], "region"):
        print(r.libelle, r.montants)
