"""What the API reads, it reads as its OpenAPI document says, never loosely: a day is
AAAA-MM-JJ (not 0, a timestamp or a moment), an identifier is an integer (not `true`); and
the document declares, for every operation, every error it may answer (api.document)."""

from __future__ import annotations

import pytest

from . import test_fiches_api as fiches_api
from .test_fiches_api import corps_fiche, jeton, post

pytestmark = pytest.mark.django_db
acteurs = fiches_api.acteurs  # the people of the fiches API tests, as a fixture here too


@pytest.mark.parametrize("date", ["0", "1700000000", "2024-01-01T00:00:00", "20240101"])
def test_date_lue_strictement(client, date):
    r = client.get("/api/v1/territoires", {"date": date})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Une date est attendue (AAAA-MM-JJ)."
    assert client.get("/api/v1/territoires", {"date": "2024-01-01"}).status_code == 200


@pytest.mark.parametrize("limite", ["1_0", " 10", "10.0"])
def test_entier_lu_strictement(client, limite):
    r = client.get("/api/v1/territoires", {"limit": limite})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Un nombre entier est attendu."


def test_true_refuse_comme_identifiant(client, acteurs):
    auth = jeton(client, "chef@exemple.fr")
    r = post(client, "/api/v1/fiches", {**corps_fiche(acteurs), "phase": True}, auth)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "phase"
    assert post(client, "/api/v1/fiches", corps_fiche(acteurs), auth).status_code == 201


def test_document_declare_les_erreurs_de_chaque_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    manquantes = [
        (methode, chemin, statut)
        for chemin, operations in doc["paths"].items()
        for methode, operation in operations.items()
        for statut in ("400", "401", "403", "404", "422")
        if statut not in operation["responses"]
    ]
    assert manquantes == []


def test_document_dit_les_textes_sans_caractere_de_controle(client):
    doc = client.get("/api/v1/openapi.json").json()
    code = doc["paths"]["/api/v1/territoires/{code}"]["get"]["parameters"][0]["schema"]
    assert "\\u0000-\\u0008" in code["pattern"]
    r = client.get("/api/v1/territoires/84%0001")
    assert r.status_code == 400


def test_carte_d_une_region_au_nom_quelconque(client):
    """The region filter goes into a cache key: whatever it holds, the map answers."""
    r = client.get("/api/v1/carte", {"region": "lectures de secrets"})
    assert r.status_code == 200
    assert r.json()["features"] == []
