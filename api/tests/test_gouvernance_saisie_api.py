"""Writes of the governance and contracts API: each through its domain function, with the
programme's identifiers; 401 without a token, 404 outside one's scope, 403 for a visible
object whose action is not one's own, 422 with the rule's French message, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from comptes.services import creer_jeton
from contrats import cycle
from contrats.models import Signataire
from contrats.tests import test_matrice_contrats as matrice_contrats
from contrats.tests.fabriques import J
from fiches.tests.fabriques import fiche
from gouvernance.models import DemandePerimetre, PointOrdreDuJour, Reunion
from gouvernance.tests import test_matrice_gouvernance as matrice

pytestmark = pytest.mark.django_db

monde = matrice.monde
monde_contrats = matrice_contrats.monde
JSON = "application/json"


def _post(client, url, data, comptes=None, persona=None):
    auth = {}
    if persona:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}
    return client.post(url, data, content_type=JSON, **auth)


def test_une_reunion_passee_se_cree_a_sa_vraie_date_par_qui_anime_l_instance(client, monde):
    comptes, objets = monde
    comite = objets["reunion_8401"].comite
    url = f"/api/v1/gouvernance/comites/{comite.pk}/reunions"
    corps = {"debut": "2020-03-02T18:30:00", "lieu": "Mairie de Tournon"}
    assert _post(client, url, corps).status_code == 401
    # Seen by the State's referent, run by the team: 403; not seen by another team: 404.
    r = _post(client, url, corps, comptes, "etat_8401")
    assert r.status_code == 403 and r.json()["detail"] == "Vous ne pouvez pas animer ce comité."
    assert _post(client, url, corps, comptes, "chef_8408").status_code == 404
    r = _post(client, url, corps, comptes, "chef_8401")
    assert r.status_code == 201, r.content
    reunion = Reunion.objects.get(pk=r.json()["id"])
    # The time given without a zone is a time of Paris.
    assert timezone.localtime(reunion.debut).strftime("%d/%m/%Y %H:%M") == "02/03/2020 18:30"
    r = _post(client, url, {**corps, "fin": "2020-03-02T17:00:00"}, comptes, "chef_8401")
    assert r.status_code == 422
    assert r.json()["detail"] == "La fin de la réunion doit suivre son début."
    assert Reunion.objects.filter(comite=comite).count() == 2


def test_un_point_nomme_sa_fiche_par_sa_reference_et_la_decision_s_y_enregistre(client, monde):
    comptes, objets = monde
    chef = comptes["chef_8401"]
    r = objets["reunion_8401"]
    f = fiche(chef, t=r.comite.territoire)
    url = f"/api/v1/gouvernance/reunions/{r.pk}/points"
    rep = _post(client, url, {"nature": "fiche", "fiche": f.reference}, comptes, "chef_8401")
    assert rep.status_code == 201, rep.content
    assert [p["fiche"] for p in rep.json()["points"]] == [f.reference]
    # A fiche the team does not see is not found; a point with no title is refused.
    inconnue = {"nature": "fiche", "fiche": "8408-01"}
    assert _post(client, url, inconnue, comptes, "chef_8401").status_code == 404
    rep = _post(client, url, {"nature": "information"}, comptes, "chef_8401")
    assert rep.status_code == 422 and rep.json()["detail"] == "Donnez un intitulé au point."
    assert PointOrdreDuJour.objects.filter(reunion=r).count() == 1

    info = _post(
        client, url, {"nature": "information", "intitule": "Calendrier"}, comptes, "chef_8401"
    ).json()["points"][-1]
    decision = f"/api/v1/gouvernance/points/{info['id']}/decision"
    assert _post(client, decision, {"texte": "Noté."}, comptes, "etat_8401").status_code == 403
    rep = _post(client, decision, {"texte": "Calendrier adopté."}, comptes, "chef_8401")
    assert rep.status_code == 201, rep.content
    # Dated on the meeting's day (3 February 2020), not today.
    assert rep.json()["date"] == "2020-02-03" and rep.json()["reunion"] == r.pk


def test_une_demande_de_perimetre_se_depose_avec_les_identifiants_du_programme(client, monde):
    comptes, _ = monde
    url = "/api/v1/gouvernance/demandes"
    corps = {
        "nature": "retrait_epci",
        "territoire": "8401",
        "phase": 1,
        "epci": "200072015",
        "justification": "Retrait voté en conseil communautaire.",
        "date": (J - timedelta(days=10)).isoformat(),
    }
    assert _post(client, url, corps).status_code == 401
    avant = DemandePerimetre.objects.count()
    # The map is public, the request for another team's territory is not chef 8408's to make.
    rep = _post(client, url, corps, comptes, "chef_8408")
    assert rep.status_code == 403
    assert rep.json()["detail"] == "Vous ne pouvez pas déposer cette demande."
    assert DemandePerimetre.objects.count() == avant
    rep = _post(client, url, corps, comptes, "chef_8401")
    assert rep.status_code == 201, rep.content
    d = rep.json()
    assert d["territoire"]["code"] == "8401" and d["epci"] == "200072015"
    assert d["deposee_le"] == corps["date"]
    assert [m["action"] for m in d["historique"]] == ["deposer"]
    assert d["historique"][0]["date_effet"] == corps["date"]


def test_une_signature_s_enregistre_sur_un_document_valide(client, monde_contrats):
    comptes, objets = monde_contrats
    c = objets["brouillon_8401"]
    s = c.signataires.first()
    url = f"/api/v1/contrats/signataires/{s.pk}/signature"
    jour = {"signe_le": J.isoformat()}
    assert _post(client, url, jour).status_code == 401
    assert _post(client, url, jour, comptes, "chef_8408").status_code == 404
    rep = _post(client, url, jour, comptes, "chef_8401")
    assert rep.status_code == 422 and "pas encore validé" in rep.json()["detail"]
    cycle.valider(user=comptes["pilote_84"], document=c, date=J - timedelta(days=2))
    assert _post(client, url, jour, comptes, "membre_comite_8401").status_code == 403
    rep = _post(client, url, jour, comptes, "chef_8401")
    assert rep.status_code == 201, rep.content
    [signe] = [x for x in rep.json()["signataires"] if x["id"] == s.pk]
    assert signe["signe_le"] == J.isoformat()
    assert Signataire.objects.get(pk=s.pk).signe_le == J
