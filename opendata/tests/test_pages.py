"""The page that presents the package, and its files at their stable addresses, for anyone."""

import pytest

from opendata import paquet

pytestmark = pytest.mark.django_db


def test_page_des_donnees_ouvertes_et_fichiers_aux_adresses_stables(client):
    r = client.get("/donnees-ouvertes/")
    assert r.status_code == 200
    assert "pas encore été construit" in r.content.decode()
    paquet.construire()
    page = client.get("/donnees-ouvertes/").content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in page
    for res in paquet.lire_descripteur()["resources"]:
        assert f'href="/donnees-ouvertes/{res["path"]}"' in page
        assert f'href="/donnees-ouvertes/{res["schema"]}"' in page
    csv = client.get("/donnees-ouvertes/territoires.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.startswith(b"phase,territoire_code,nom")
    assert client.get("/donnees-ouvertes/datapackage.json").json()["name"]
    assert client.get("/donnees-ouvertes/inconnu.csv").status_code == 404
    assert client.get("/donnees-ouvertes/..%2Fsecret.csv").status_code == 404


def test_donnees_ouvertes_liees_du_pied_de_page_et_du_plan(client):
    for adresse in ("/plan-du-site/", "/api/"):
        assert 'href="/donnees-ouvertes/"' in client.get(adresse).content.decode()
