"""GET /api/v1/recherche: the pages' search with the same scope (anonymous: the public; with a
token: what its person may see), grouped by kind with totals, `limit`/`offset` in each kind."""

import pytest

from comptes.services import creer_jeton
from fiches.tests.fabriques import equipe, fiche

pytestmark = pytest.mark.django_db


def _fiches(client, q, **entetes):
    r = client.get("/api/v1/recherche", {"q": q, "genre": "fiches"}, **entetes)
    assert r.status_code == 200
    (groupe,) = r.json()["groupes"]
    return groupe


def test_api_portee_le_brouillon_pour_l_equipe_seulement(client):
    p = equipe()
    f = fiche(p["chef"], titre="Fonderie d'aluminium")
    chef = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(p['chef'])}"}
    autre = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(p['chef8408'])}"}
    groupe = _fiches(client, "fonderies aluminium", **chef)
    assert groupe["total"] == 1
    (r,) = groupe["resultats"]
    assert r["identifiant"] == f.reference
    assert r["url"].endswith(f"/fiches/{f.uuid}/")
    assert _fiches(client, "fonderies aluminium", **autre)["total"] == 0
    assert _fiches(client, "fonderies aluminium")["total"] == 0


def test_api_groupes_par_sorte_limit_et_offset_dans_chaque_sorte(client):
    r = client.get("/api/v1/recherche", {"q": "saint", "limit": 2, "offset": 1}).json()
    genres = [g["genre"] for g in r["groupes"]]
    assert genres == [
        "territoires",
        "fiches",
        "mesures",
        "actualites",
        "ressources",
        "evenements",
    ]  # no directory
    territoires = r["groupes"][0]
    assert territoires["total"] > 3 and len(territoires["resultats"]) == 2
    tous = client.get("/api/v1/recherche", {"q": "saint", "genre": "territoires", "limit": 3})
    assert [x["identifiant"] for x in tous.json()["groupes"][0]["resultats"]][1:] == [
        x["identifiant"] for x in territoires["resultats"]
    ]


def test_api_sorte_inconnue_ou_requete_absente_refusees(client):
    r = client.get("/api/v1/recherche", {"q": "x", "genre": "inconnue"})
    assert r.status_code == 422 and "Sorte inconnue" in str(r.json()["detail"])
    assert client.get("/api/v1/recherche").status_code == 422
    # A control character is refused at the door, before any search.
    assert client.get("/api/v1/recherche", {"q": "a\x00b"}).status_code == 400
