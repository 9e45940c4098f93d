"""The follow-up's API: figures and delays in the caller's scope, a withheld figure null with
its `motif`, snapshots for their readers only."""

from datetime import date

import pytest

from comptes.secrets import MOTIF_SEUIL
from comptes.tests.fabriques import MDP
from suivi import instantanes
from suivi.tests.programme import construire

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return construire()


def jeton(client, user) -> dict:
    r = client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": MDP},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}


def test_chiffres_du_pilote_au_centime_et_par_financeur(client, w):
    r = client.get("/api/v1/suivi/chiffres?par=financeur", **jeton(client, w["pilote84"]))
    assert r.status_code == 200
    corps = r.json()
    assert corps["ensemble"]["accorde"] == {"valeur": "255000.75", "motif": None}
    assert corps["ensemble"]["effet_levier"] == {"valeur": "1.47", "motif": None}
    bpi = next(li for li in corps["lignes"] if li["libelle"] == "Bpifrance")
    assert bpi["paye"]["valeur"] == "110000.00"
    assert "private" in r["Cache-Control"] and "no-store" in r["Cache-Control"]


def test_un_chiffre_retenu_est_nul_avec_son_motif(client, w):
    r = client.get(
        "/api/v1/suivi/chiffres?region=84&par=territoire", **jeton(client, w["national"])
    )
    corps = r.json()
    assert corps["ensemble"]["accorde"] == {"valeur": None, "motif": MOTIF_SEUIL}
    assert "80000.5" not in r.content.decode() and "100000" not in r.content.decode()


def test_filtres_de_l_api(client, w):
    h = jeton(client, w["pilote84"])
    r = client.get(
        f"/api/v1/suivi/chiffres?territoire=ti-8413&financeur={w['bpi'].pk}&fin=2025-01-31", **h
    )
    assert r.json()["ensemble"]["engage"]["valeur"] == "30000.00"
    assert client.get("/api/v1/suivi/chiffres?territoire=ti-9999", **h).status_code == 404
    assert client.get("/api/v1/suivi/chiffres?par=commune", **h).status_code == 422
    assert client.get("/api/v1/suivi/chiffres?axe=inconnu", **h).status_code == 422


def test_sans_jeton_les_chiffres_des_fiches_inscrites(client, w):
    corps = client.get("/api/v1/suivi/chiffres").json()
    # C (Bpifrance 30 000, Banque des territoires 20 000) and E (45 000,25) only.
    assert corps["ensemble"]["demande"]["valeur"] == "95000.25"


def test_delais_et_lignes_en_retard(client, w):
    corps = client.get("/api/v1/suivi/delais?par=financeur", **jeton(client, w["national"])).json()
    bdt = next(li for li in corps["lignes"] if li["libelle"] == "Banque des territoires")
    assert bdt["etapes"]["decision"] == {"n": 3, "mediane": 90.0, "p90": 106, "hors_cible": 0}


def test_instantanes_pour_leurs_seuls_lecteurs(client, w):
    regional = instantanes.figer(
        w["pilote84"], libelle="COPIL", region="84", date=date(2025, 6, 30)
    )
    h = jeton(client, w["pilote84"])
    assert [i["id"] for i in client.get("/api/v1/suivi/instantanes", **h).json()] == [regional.pk]
    detail = client.get(f"/api/v1/suivi/instantanes/{regional.pk}", **h).json()
    assert detail["donnees"]["programme"][0]["accorde"]["valeur"] == "210000.50"
    national = jeton(client, w["national"])
    assert client.get("/api/v1/suivi/instantanes", **national).json() == []
    assert client.get(f"/api/v1/suivi/instantanes/{regional.pk}", **national).status_code == 404
    assert client.get("/api/v1/suivi/instantanes").status_code == 401


# --- Operators' announced commitments --------------------------------------------------------

ANNONCE = {"phase": 2, "montant": "500000", "date": "2024-01-15", "source": "Communiqué"}


def test_engagement_annonce_saisi_par_la_delegation_nationale_seule(client, w):
    corps = {**ANNONCE, "operateur": w["bpi"].pk}
    r = client.post(
        "/api/v1/suivi/engagements-annonces",
        corps,
        content_type="application/json",
        **jeton(client, w["national"]),
    )
    assert r.status_code == 201
    assert (r.json()["operateur_nom"], r.json()["montant"], r.json()["version"]) == (
        "Bpifrance",
        "500000.00",
        1,
    )
    # A Région's pilot: 403 with a French message, nothing written.
    r = client.post(
        "/api/v1/suivi/engagements-annonces",
        corps,
        content_type="application/json",
        **jeton(client, w["pilote84"]),
    )
    assert r.status_code == 403
    assert "délégation nationale" in r.json()["detail"]
    from suivi.models import EngagementAnnonce

    assert EngagementAnnonce.objects.count() == 1


@pytest.mark.parametrize(
    "changement, mot",
    [
        ({"date": "2099-01-01"}, "futur"),
        ({"montant": "-5"}, "montant"),
        ({"source": ""}, "source"),
        ({"operateur": "entreprise"}, "opérateur"),
    ],
)
def test_engagement_annonce_refuse_une_mauvaise_saisie_en_francais(client, w, changement, mot):
    from suivi.models import EngagementAnnonce

    corps = {**ANNONCE, "operateur": w["bpi"].pk, **changement}
    if corps["operateur"] == "entreprise":
        corps["operateur"] = w["a"].porteur_id  # a firm announces nothing
    r = client.post(
        "/api/v1/suivi/engagements-annonces",
        corps,
        content_type="application/json",
        **jeton(client, w["national"]),
    )
    assert r.status_code == 422, r.content
    assert mot in str(r.json()).lower()
    assert not EngagementAnnonce.objects.exists()


def test_engagements_annonces_listes_dans_la_portee(client, w):
    from suivi import services

    services.annoncer_engagement(
        user=w["national"],
        operateur=w["bpi"],
        phase=2,
        montant="500000",
        date=date(2024, 1, 15),
        source="Communiqué",
    )
    services.annoncer_engagement(
        user=w["national"],
        operateur=w["bdt"],
        phase=2,
        montant="300000",
        date=date(2024, 2, 1),
        source="Convention",
    )

    def noms(user):
        r = client.get("/api/v1/suivi/engagements-annonces", **jeton(client, user))
        assert r.status_code == 200
        return sorted(a["operateur_nom"] for a in r.json())

    assert noms(w["national"]) == ["Banque des territoires", "Bpifrance"]
    assert noms(w["referent_bpi"]) == ["Bpifrance"]  # its own operator's
    assert noms(w["pilote84"]) == []
    assert client.get("/api/v1/suivi/engagements-annonces").status_code == 401
