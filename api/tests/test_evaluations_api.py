"""The evaluations API, in reading: each caller lists the evaluations they may read, reads one
with its answers, reviews, path and figures, and gets 404 for any other; no firm's secret."""

import pytest

from api.tests.test_suivi_api import jeton
from contrats.tests.fabriques import MONTANT_SECRET
from evaluations.tests.fabriques import fiche_du_plan, gens, redigee, revue

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    p = gens()
    fiche_du_plan(p)
    p["revue"] = revue(p)  # ti-8401, mid-term, reviewed by the Région and the State
    p["finale"] = redigee(p, p["revue"].cadre, nature="finale")  # being written
    return p


def liste(client, user, **params) -> list[tuple[str, str, str]]:
    r = client.get("/api/v1/evaluations", params, **jeton(client, user))
    assert r.status_code == 200, r.content
    return [(e["territoire"]["code"], e["nature"], e["etat"]) for e in r.json()["items"]]


def test_chacun_liste_les_evaluations_qu_il_peut_lire(client, p):
    tout = [("ti-8401", "finale", "redaction"), ("ti-8401", "mi_parcours", "revue")]
    assert liste(client, p["chef"]) == tout
    assert liste(client, p["national"]) == tout
    assert liste(client, p["pilote"]) == tout
    # The State's referent of another territory, a Région elsewhere: nothing.
    assert liste(client, p["etat_autre"]) == []
    assert liste(client, p["pilote_idf"]) == []
    # The operator's referent of the région reads it once submitted, not in writing.
    assert liste(client, p["bpi"]) == [("ti-8401", "mi_parcours", "revue")]
    assert liste(client, p["national"], etat="revue") == [("ti-8401", "mi_parcours", "revue")]
    assert liste(client, p["national"], territoire="ti-8401", nature="finale") == tout[:1]
    assert liste(client, p["national"], territoire="ti-8408") == []


def test_un_parametre_inconnu_de_la_liste_est_refuse_en_francais(client, p):
    r = client.get("/api/v1/evaluations", {"etta": "revue"}, **jeton(client, p["national"]))
    assert r.status_code == 422
    assert r.json()["detail"] == "Paramètre inconnu : etta."


def test_une_evaluation_se_lit_avec_ses_reponses_revues_parcours_et_chiffres(client, p):
    e = p["revue"]
    r = client.get(f"/api/v1/evaluations/{e.pk}", **jeton(client, p["pilote"]))
    assert r.status_code == 200
    d = r.json()
    assert (d["etat"], d["tour"], d["cadre"]["version"]) == ("revue", 1, 1)
    reponses = {q["intitule"]: q["reponse"] for s in d["sections"] for q in s["questions"]}
    assert reponses["La gouvernance associe-t-elle les industriels ?"] == "En partie"
    assert reponses["Emplois industriels créés depuis le début de la phase"] == "42 emplois"
    assert [(v["role"], v["avis"]) for v in d["revues"]] == [
        ("etat", "reserves"),
        ("region", "favorable"),
    ]
    assert [m["action"] for m in d["parcours"]] == [
        "creer",
        "soumettre",
        "reviser_region",
        "reviser_etat",
    ]
    # The figures kept at the submission: the indicator of the framework, from the fiche.
    [indicateur] = d["chiffres"]["indicateurs"]
    assert (indicateur["libelle"], indicateur["cible"], indicateur["valeur"]) == (
        "Emplois créés ou maintenus",
        "20.00",
        "7.00",
    )
    assert d["chiffres"]["fiches"] == 1


def test_hors_de_sa_portee_une_evaluation_repond_404(client, p):
    e = p["revue"]
    for user in (p["etat_autre"], p["pilote_idf"], p["sans_role"]):
        r = client.get(f"/api/v1/evaluations/{e.pk}", **jeton(client, user))
        assert r.status_code == 404
        assert r.json()["detail"] == "Évaluation introuvable."
    # In writing, the operator's referent does not read it yet.
    r = client.get(f"/api/v1/evaluations/{p['finale'].pk}", **jeton(client, p["bpi"]))
    assert r.status_code == 404
    assert client.get(f"/api/v1/evaluations/{e.pk}").status_code == 401
    assert client.get("/api/v1/evaluations/999999", **jeton(client, p["national"])).status_code == (
        404
    )


def test_aucun_secret_d_entreprise_dans_l_api_des_evaluations(client, p):
    for user in (p["national"], p["bpi"], p["chef"]):
        r = client.get(f"/api/v1/evaluations/{p['revue'].pk}", **jeton(client, user))
        texte = r.content.decode()
        assert "Procédé breveté confidentiel" not in texte
        assert str(int(MONTANT_SECRET)) not in texte
