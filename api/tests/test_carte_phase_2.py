"""The API with both phases loaded: phase 2 by default today, phase 1 at its dates, ids as
the programme writes them, the September 2024 update, the Grand Paris shared by territories,
communes in several territories."""

import json
from datetime import date

import pytest

from territoires import services
from territoires.models import Territoire
from territoires.tests.fabriques import decision

pytestmark = pytest.mark.django_db

MGP = "200054781"
HAUTE_CORREZE = "200066744"


def liste(client, **params) -> dict:
    r = client.get("/api/v1/territoires", {"limit": 500, **params})
    assert r.status_code == 200
    return r.json()


def test_phase_2_aujourd_hui_183_territoires_et_c_est_la_phase_par_defaut(client):
    phase_2 = liste(client, phase=2)
    assert phase_2["count"] == 183
    par_defaut = liste(client)
    assert par_defaut == phase_2
    assert {item["phase"] for item in par_defaut["items"]} == {2}
    assert "ti-8401" in {item["code"] for item in par_defaut["items"]}


def test_phase_1_au_1er_juin_2020_148_territoires_dont_11_interregionaux(client):
    phase_1 = liste(client, phase=1, date="2020-06-01")
    assert phase_1["count"] == 148
    assert sum(item["interregional"] for item in phase_1["items"]) == 11
    # A date before 9 November 2023 shows phase 1 without asking for it.
    assert liste(client, date="2020-06-01") == phase_1
    assert liste(client, date="2023-11-08")["items"][0]["phase"] == 1
    assert liste(client, date="2023-11-09")["count"] == 183
    # Phase 1 stays browsable today.
    assert liste(client, phase=1)["count"] == 148


def test_ti_7506_garde_11_communes_de_haute_correze_a_partir_du_16_septembre_2024(client):
    def part(jour: str) -> dict:
        data = client.get("/api/v1/territoires/ti-7506", {"date": jour}).json()
        return next(e for e in data["epcis"] if e["siren"] == HAUTE_CORREZE)

    veille, lendemain = part("2024-09-15"), part("2024-09-17")
    assert (veille["communes_dans"], veille["communes_total"]) == (70, 70)
    assert (lendemain["communes_dans"], lendemain["communes_total"]) == (11, 70)
    historique = client.get("/api/v1/territoires/ti-7506").json()["historique"]
    assert [h["date"] for h in historique] == ["2023-11-09", "2024-09-16"]
    assert "seules les 11 communes nommées par leur SIREN restent" in historique[1]["description"]


def test_le_nouveau_nom_de_ti_8412_date_du_16_septembre_2024(client):
    def nom(jour: str) -> str:
        return client.get("/api/v1/territoires/ti-8412", {"date": jour}).json()["nom"]

    assert nom("2024-09-15") == "Pays de Gex – Genevois – Pays Bellegardien"
    assert nom("2024-09-16") == "Pays de Gex – Genevois – Terre Valserhône"
    assert liste(client, q="Bellegardien", date="2024-09-15")["count"] == 1
    assert liste(client, q="Bellegardien")["count"] == 0


def test_les_identifiants_de_chaque_phase_restent_les_leurs(client):
    assert client.get("/api/v1/territoires/ti-8401").json()["phase"] == 2
    # 8401 is a phase-1 id: it still names the phase-1 territory.
    p1 = client.get("/api/v1/territoires/8401").json()
    assert (p1["phase"], p1["code"], p1["nom"]) == (1, "8401", "Ardèche Drome")
    # « 8401 » asked in phase 2 is read as ti-8401.
    assert client.get("/api/v1/territoires/8401", {"phase": 2}).json()["code"] == "ti-8401"
    r = client.get("/api/v1/territoires/ti-8401/geojson")
    assert r.status_code == 200
    props = {f["properties"]["territoire"] for f in json.loads(r.content)["features"]}
    assert props == {"ti-8401"}


def test_carte_par_defaut_de_la_phase_en_vigueur(client):
    def phases(**params) -> set[int]:
        r = client.get("/api/v1/carte", params)
        return {f["properties"]["phase"] for f in json.loads(r.content)["features"]}

    assert phases() == {2}
    assert phases(date="2020-06-01") == {1}
    assert phases(phase=1) == {1}


def test_metropole_du_grand_paris_liste_chaque_territoire_qui_en_comprend_une_partie(client):
    data = client.get(f"/api/v1/epcis/{MGP}").json()
    assert data["phase"] == 2
    parts = {t["code"]: t for t in data["territoires"]}
    # Phase 2 holds it through three EPT, each in its own territory.
    assert set(parts) == {"ti-1101", "ti-1104", "ti-1105"}
    for t in parts.values():
        assert t["communes_total"] == len(data["communes"]) == 130
        assert 0 < t["part_communes"] < 1 and 0 < t["part_population"] < 1
        assert t["part_communes"] == round(t["communes_dans"] / 130, 4)
    assert sum(t["part_communes"] for t in parts.values()) < 1
    # In phase 1, the territories of that time.
    phase_1 = client.get(f"/api/v1/epcis/{MGP}", {"phase": 1}).json()
    assert phase_1["territoires"] and {t["phase"] for t in phase_1["territoires"]} == {1}


def test_une_commune_de_deux_territoires_est_signalee_dans_chacun(client):
    # An official list may place a commune in two territories of a phase (« ; » in id_ti).
    t1, t2 = (Territoire.objects.get(phase_id=2, code=c) for c in ("ti-8401", "ti-8402"))
    commune = t2.perimetre.order_by("commune_id").first().commune_id
    services.ajouter_communes(
        territoire=t1, communes=[commune], decision=decision(date(2025, 1, 6)), partagees=[commune]
    )
    for t, autre in ((t1, "ti-8402"), (t2, "ti-8401")):
        communes = client.get(f"/api/v1/territoires/{t.code}").json()["communes"]
        assert next(c for c in communes if c["code"] == commune)["partagee_avec"] == [autre]
        assert all(c["partagee_avec"] == [] for c in communes if c["code"] != commune)
