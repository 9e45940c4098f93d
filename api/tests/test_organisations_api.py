"""Organisations through the API: listed, searched by name or SIREN, read by SIREN, per
persona exactly as the organisation's page answers (the contracts matrix's personas and
firms); a firm's secrets never in the list, masked in the detail without the need to know."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from comptes.enums import TypeOrganisation
from comptes.models import Organisation, ProfilEntreprise
from comptes.services import creer_jeton
from contrats.tests import test_matrice_contrats as matrice
from contrats.tests.test_matrice_contrats import PERSONAS

pytestmark = pytest.mark.django_db

monde = matrice.monde
# The firms of the world: bearers of the fiches of 8401 and 8408.
FIRMES = ("Entreprise 8401", "Entreprise 8408")
CAS = [pytest.param(p, f, id=f"{p}-{f[-4:]}") for p in PERSONAS for f in FIRMES]
PROJET = "Projet PX-5521 de ligne automatisée"


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


def _firme(nom: str) -> Organisation:
    org = Organisation.objects.filter(type=TypeOrganisation.ENTREPRISE, nom__startswith=nom).get()
    ProfilEntreprise.objects.filter(organisation=org).update(projet=PROJET)
    return org


@pytest.mark.parametrize(("persona", "firme"), CAS)
def test_une_entreprise_se_lit_par_son_siren_comme_sur_sa_page(client, monde, persona, firme):
    comptes, _ = monde
    org = _firme(firme)
    auth = _auth(comptes, persona)
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    page = client.get(reverse("comptes:organisation", args=[org.pk]))
    client.logout()
    voit = page.status_code == 200
    # The organisation's page is public: out of scope, anonymous or not, it answers 404.
    assert page.status_code in (200, 404)
    assert not (voit and PERSONAS[persona] is None)
    rep = client.get(f"/api/v1/organisations/siren/{org.siren}", **auth)
    assert rep.status_code == (200 if voit else 404), rep.content
    liste = client.get("/api/v1/organisations", {"siren": org.siren}, **auth)
    assert [x["id"] for x in liste.json()["items"]] == ([org.pk] if voit else [])
    assert PROJET not in json.dumps(liste.json(), ensure_ascii=False)
    if voit:
        # The same answer as the organisation's own endpoint: secrets as its page shows them.
        assert rep.json() == client.get(f"/api/v1/organisations/{org.pk}", **auth).json()
        assert (rep.json()["profil"]["projet"] == PROJET) == (PROJET in page.content.decode())


def test_la_liste_se_cherche_par_nom_type_et_region(client, monde):
    comptes, _ = monde
    auth = _auth(comptes, "national")
    corps = client.get("/api/v1/organisations", {"q": "banque territoires"}, **auth).json()
    assert [x["nom"] for x in corps["items"]] == ["Banque des territoires"]
    assert corps["items"][0]["libelle_type"] == "Opérateur public"
    firmes = client.get("/api/v1/organisations", {"type": "entreprise", "limit": 1000}, **auth)
    assert {x["type"] for x in firmes.json()["items"]} == {"entreprise"}
    assert firmes.json()["count"] >= 2
    # Anonymous: public bodies only, never a firm.
    anonyme = client.get("/api/v1/organisations", {"type": "entreprise"}).json()
    assert anonyme == {"items": [], "count": 0}
    # A region's organisations: those of the région or seated in it.
    r84 = client.get("/api/v1/organisations", {"region": "84", "limit": 1000}, **auth).json()
    assert r84["items"] and {x["region"] for x in r84["items"]} == {"84"}


def test_un_siren_inconnu_ou_partage(client, monde):
    comptes, _ = monde
    auth = _auth(comptes, "national")
    r = client.get("/api/v1/organisations/siren/000000000", **auth)
    assert (
        r.status_code == 404
        and r.json()["detail"] == "Organisation au SIREN 000000000 introuvable."
    )
    Organisation.objects.filter(nom__in=["Bpifrance", "Banque des territoires"]).update(
        siren="180020026"
    )
    r = client.get("/api/v1/organisations/siren/180020026", **auth)
    assert r.status_code == 422 and "Plusieurs organisations" in r.json()["detail"]
