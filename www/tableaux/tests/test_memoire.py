"""The dashboards kept per version of the data, day and reader (comptes.memoire): read again,
they are the same and cost no count; a write anywhere shows at once; a dashboard computed
under secrecy stays private when read again (each reader's own: comptes/tests/test_memoire.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fiches.tests.fabriques import fiche

from .outils import programme, tableau_html

pytestmark = pytest.mark.django_db

NATIONAL = "/tableaux/?phase=1"


@pytest.fixture
def p():
    return programme()


def _etapes(client, url=NATIONAL) -> dict[str, int]:
    _, lignes = tableau_html(client.get(url).content.decode(), "fiches-etapes")
    return {etape: int(n) for etape, n in lignes}


def test_un_tableau_relu_sans_ecriture_est_le_meme_sans_rien_recompter(client, p):
    client.force_login(p["national"])
    premier = _etapes(client)
    with CaptureQueriesContext(connection) as relu:
        second = _etapes(client)
    assert second == premier and premier["Brouillon"] == 1
    lues = " ".join(q["sql"] for q in relu.captured_queries)
    assert "fiches_ficheaction" not in lues and "financements_" not in lues


def test_une_fiche_ecrite_compte_aussitot_au_tableau(client, p):
    client.force_login(p["national"])
    assert _etapes(client)["Brouillon"] == 1
    fiche(p["chef8408"], code="8408", titre="Atelier de peinture partagé")
    assert _etapes(client)["Brouillon"] == 2


def test_un_tableau_calcule_sous_le_secret_reste_prive_relu(client, p):
    client.force_login(p["national"])
    premier = client.get(NATIONAL)
    assert "no-store" in premier["Cache-Control"]
    assert "no-store" in client.get(NATIONAL)["Cache-Control"]
