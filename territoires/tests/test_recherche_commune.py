"""Finding a territory by one of its communes, as people type it (name or INSEE code)."""

import re
from html import unescape

import pytest

from referentiel import recherche

pytestmark = pytest.mark.django_db


def texte(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("q", ["Tournon-sur-Rhône", "tournon sur rhone", "TOURNON SUR RHÔNE"])
def test_la_recherche_de_territoires_trouve_une_commune_par_son_nom(client, q):
    vu = texte(client.get("/territoires/", {"q": q}).content.decode())
    assert "1 territoire correspond aux filtres" in vu
    assert "Ardèche Drôme Nord" in vu
    assert "Comprend Tournon-sur-Rhône (07324)" in vu


def test_la_recherche_de_territoires_trouve_une_commune_par_son_code_insee(client):
    vu = texte(client.get("/territoires/", {"q": "07010"}).content.decode())
    assert "Ardèche Drôme Nord" in vu and "Comprend Annonay (07010)" in vu


def test_la_recherche_par_commune_suit_la_phase_demandee(client):
    vu = texte(client.get("/territoires/", {"q": "07324", "phase": "1"}).content.decode())
    assert "Ardèche Drome" in vu and "Ardèche Drôme Nord" not in vu


def test_l_api_trouve_un_territoire_par_une_commune(client):
    data = client.get("/api/v1/territoires", {"q": "tournon sur rhone"}).json()
    assert [t["code"] for t in data["items"]] == ["ti-8401"]


def test_un_nom_de_commune_se_cherche_par_le_debut_de_ses_mots():
    assert "07324" in recherche.communes("rhone")  # a word of Tournon-sur-Rhône
    assert "07324" not in recherche.communes("hone")  # not the middle of a word
    assert recherche.communes("to") == []  # too short: thousands of communes


def test_une_commune_inconnue_ne_trouve_aucun_territoire(client):
    vu = texte(client.get("/territoires/", {"q": "99999"}).content.decode())
    assert "Aucun territoire ne correspond à ces filtres." in vu
