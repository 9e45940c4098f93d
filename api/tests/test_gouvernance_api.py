"""The governance API answers per persona exactly as the pages do (gouvernance matrix: the
same world, the same hand-written rule table), and shows what a person reads on a meeting's
or a request's page: agenda by fiche reference, minutes, decisions, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptes.services import creer_jeton
from gouvernance import services
from gouvernance.enums import NaturePoint, ObjetDecision
from gouvernance.tests import test_matrice_gouvernance as matrice
from gouvernance.tests.test_matrice_gouvernance import (
    COMPTES_RENDUS,
    PERSONAS,
    REUNIONS,
    _publier,
    voit,
)

pytestmark = pytest.mark.django_db

monde = matrice.monde  # the world of the pages' matrix, so both are checked on the same

OBJETS = (*REUNIONS, "demande_8401")
CAS = [pytest.param(p, o, id=f"{p}-{o}") for p in PERSONAS for o in OBJETS]


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


def _page(client, comptes, persona, url) -> int:
    client.logout()
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    code = client.get(url).status_code
    client.logout()
    return code


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_l_api_de_gouvernance_repond_comme_les_pages(client, monde, persona, objet):
    comptes, objets = monde
    o = objets[objet]
    auth = _auth(comptes, persona)
    if objet == "demande_8401":
        pages = [reverse("gouvernance:demande", args=[o.pk])]
        apis = [f"/api/v1/gouvernance/demandes/{o.pk}"]
        liste, cle = "/api/v1/gouvernance/demandes", o.pk
    else:
        pages = [
            reverse("gouvernance:reunion", args=[o.pk]),
            reverse("gouvernance:comite", args=[o.comite_id]),
        ]
        apis = [
            f"/api/v1/gouvernance/reunions/{o.pk}",
            f"/api/v1/gouvernance/comites/{o.comite_id}",
        ]
        liste, cle = "/api/v1/gouvernance/reunions", o.pk
    attendu = voit(persona, objet)
    for page, api in zip(pages, apis, strict=True):
        r = client.get(api, **auth)
        assert r.status_code == (200 if attendu else 404), (api, r.content)
        # The page answers the same: 200, or not at all (404; the sign-in page if anonymous).
        assert (_page(client, comptes, persona, page) == 200) == attendu
    ids = [x["id"] for x in client.get(liste, **auth).json()["items"]]
    assert (cle in ids) == attendu
    if objet in REUNIONS and attendu:
        corps = client.get(apis[0], **auth).json()
        assert corps["compte_rendu"] == COMPTES_RENDUS[objet]


def test_sans_jeton_aucune_instance_et_un_jeton_invalide_repond_401(client, monde):
    assert client.get("/api/v1/gouvernance/comites").json() == {"items": [], "count": 0}
    r = client.get("/api/v1/gouvernance/reunions", HTTP_AUTHORIZATION="Bearer faux")
    assert r.status_code == 401


def test_une_reunion_montre_son_ordre_du_jour_par_reference_de_fiche_et_sa_decision(client, monde):
    from fiches.tests.fabriques import fiche

    comptes, objets = monde
    chef = comptes["chef_8401"]
    r = objets["reunion_8401"]
    f = fiche(chef, t=r.comite.territoire)
    point = services.ajouter_point(user=chef, reunion=r, nature=NaturePoint.FICHE, fiche=f)
    corps = client.get(f"/api/v1/gouvernance/reunions/{r.pk}", **_auth(comptes, "chef_8401"))
    assert corps.status_code == 200
    [p] = corps.json()["points"]
    assert p["fiche"] == f.reference and p["id"] == point.pk
    assert corps.json()["peut_animer"] is True


def test_les_filtres_des_reunions_par_territoire_et_par_dates(client, monde):
    comptes, objets = monde
    auth = _auth(comptes, "national")
    url = "/api/v1/gouvernance/reunions"
    ids = {x["id"] for x in client.get(url, {"territoire": "8401"}, **auth).json()["items"]}
    assert ids == {objets["reunion_8401"].pk}
    # The meetings are on 3, 4 and 5 February 2020 (Europe/Paris), each bound included.
    jour = {"du": "2020-02-04", "au": "2020-02-04"}
    ids = {x["id"] for x in client.get(url, jour, **auth).json()["items"]}
    assert ids == {objets["reunion_8408"].pk}
    r = client.get("/api/v1/gouvernance/comites", {"territoire": "9999"}, **auth)
    assert r.status_code == 404


def test_une_demande_montre_son_historique(client, monde):
    comptes, objets = monde
    d = objets["demande_8401"]
    r = client.get(f"/api/v1/gouvernance/demandes/{d.pk}", **_auth(comptes, "pilote_84"))
    assert r.status_code == 200
    corps = r.json()
    assert corps["territoire"]["code"] == "8401" and corps["epci"] == "200072015"
    [depot] = corps["historique"]
    assert depot["action"] == "deposer" and depot["etat_apres"] == "deposee"


def test_les_versions_de_la_carte_sont_publiques(client, monde):
    comptes, _ = monde
    v = _publier(comptes)
    liste = client.get("/api/v1/gouvernance/versions").json()
    assert [x["nom"] for x in liste["items"]] == [v.nom]
    r = client.get(f"/api/v1/gouvernance/versions/{v.pk}")
    assert r.status_code == 200 and r.json()["nb_territoires"] == len(r.json()["territoires"])


def test_les_decisions_se_lisent_par_qui_voit_leur_reunion(client, monde):
    comptes, objets = monde
    animateurs = {"reunion_8401": "chef_8401", "reunion_8408": "chef_8408", "copil_84": "pilote_84"}
    prises = {}
    for objet, qui in animateurs.items():
        r, user = objets[objet], comptes[qui]
        point = services.ajouter_point(
            user=user, reunion=r, nature=NaturePoint.INFORMATION, intitule=f"Point {objet}"
        )
        prises[objet] = services.decider(
            user=user, reunion=r, point=point, objet=ObjetDecision.AUTRE, texte="Adopté."
        ).pk
    for persona in PERSONAS:
        corps = client.get("/api/v1/gouvernance/decisions", **_auth(comptes, persona)).json()
        vues = {x["id"] for x in corps["items"]}
        assert vues == {prises[o] for o in REUNIONS if voit(persona, o)}, persona
