"""Writes of the contracting through the API, with the programme's identifiers (territory
code, fiche reference, SIREN, région code): per persona the same answers as the document's
pages (the contracts matrix: its world and its rule table), the canvas under an optimistic
lock, annexes and signatories added and withdrawn on a draft only, the validation on the
regional COPIL's decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.services import creer_jeton
from contrats import projets
from contrats.models import AccordSansReunion, Protocole, Signataire
from contrats.tests import test_matrice_contrats as matrice
from contrats.tests.test_matrice_contrats import (
    OBJETS,
    PERSONAS,
    REDIGE_BROUILLON_8401,
    VALIDE_BROUILLON_8401,
    voit,
)
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision
from gouvernance.tests.fabriques import reunion_passee
from referentiel.models import Region

pytestmark = pytest.mark.django_db

monde = matrice.monde
CAS = [pytest.param(p, o, id=f"{p}-{o}") for p in PERSONAS for o in OBJETS]
JSON = "application/json"
# Who edits a document's canvas: the team of its territory, on a draft only.
REDIGE = {"brouillon_8401": REDIGE_BROUILLON_8401, "signe_8408": set()}


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


def _formulaire(c, **changes) -> dict:
    """The contract's page form, filled with what it holds."""
    donnees = {k: getattr(c, k) for k in ("annee_debut", "annee_fin", *c.CANEVAS)}
    donnees["epcis"] = list(c.epcis.values_list("siren", flat=True))
    return {**donnees, **changes}


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_le_canevas_se_lit_et_se_modifie_comme_sur_la_page(client, monde, persona, objet):
    comptes, objets = monde
    c = objets[objet]
    auth = _auth(comptes, persona)
    url = f"/api/v1/contrats/contrat/{c.pk}/canevas"
    lu = client.get(url, **auth)
    assert lu.status_code == (200 if voit(persona, objet) else 404)
    # The page's edit of the same document, by the same persona.
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    page = client.post(
        reverse("contrats:modifier", args=["contrat", c.pk]),
        _formulaire(c, pilotage="Par la page.", version=projets.version(c)),
    )
    client.logout()
    version = lu.json()["version"] if lu.status_code == 200 else "0"
    rep = client.patch(
        url, {"pilotage": "Par l'API.", "version": version}, content_type=JSON, **auth
    )
    c.refresh_from_db()
    if PERSONAS[persona] is None:
        assert rep.status_code == 401 and page.url.startswith(reverse("comptes:connexion"))
    elif persona in REDIGE[objet]:
        # The page saved first: the version read before it is stale, nothing overwritten.
        assert page.status_code == 302
        assert rep.status_code == 409, rep.content
        assert c.pilotage == "Par la page."
    else:
        assert page.status_code == 404
        assert c.pilotage != "Par l'API."
        if not voit(persona, objet):
            assert rep.status_code == 404
        elif objet == "signe_8408" and persona == "chef_8408":
            # The team's own contract, signed: the rule of the state speaks (422).
            assert rep.status_code == 422
            assert "il ne se modifie plus" in rep.json()["detail"]
        else:
            assert rep.status_code == 403


def test_le_canevas_sous_verrou_optimiste_ne_garde_que_les_sections_envoyees(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    auth = _auth(comptes, "chef_8401")
    url = f"/api/v1/contrats/contrat/{c.pk}/canevas"
    lu = client.get(url, **auth).json()
    assert lu["sections"]["enjeux"] == "Enjeux du territoire." and lu["peut_modifier"]
    rep = client.patch(
        url, {"enjeux": "Enjeux revus.", "version": lu["version"]}, content_type=JSON, **auth
    )
    assert rep.status_code == 200, rep.content
    assert rep.json()["sections"]["enjeux"] == "Enjeux revus."
    assert rep.json()["sections"]["pilotage"] == "Un comité de suivi annuel."
    rep = client.patch(
        url, {"enjeux": "Autres enjeux.", "version": lu["version"]}, content_type=JSON, **auth
    )
    assert rep.status_code == 409
    assert rep.json()["differences"] == [
        {"champ": "enjeux", "votre_valeur": "Autres enjeux.", "valeur_actuelle": "Enjeux revus."}
    ]
    # A section of another kind of document: named in French, nothing written.
    version = client.get(url, **auth).json()["version"]
    rep = client.patch(url, {"objet": "Un objet.", "version": version}, content_type=JSON, **auth)
    assert rep.status_code == 422 and rep.json()["detail"] == (
        "Pas de « objet » au canevas d'un contrat."
    )
    c.refresh_from_db()
    assert c.enjeux == "Enjeux revus."


def test_un_protocole_se_prepare_par_le_code_du_territoire(client, monde):
    comptes, _ = monde
    url = "/api/v1/contrats/territoires/8408/protocole"
    corps = {"phase": 1, "ambitions": "Relocaliser la plasturgie."}
    assert client.post(url, corps, content_type=JSON).status_code == 401
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "chef_8401"))
    assert rep.status_code == 403
    rep = client.post(
        url, {**corps, "enjeux": "x"}, content_type=JSON, **_auth(comptes, "chef_8408")
    )
    assert rep.status_code == 422
    assert not Protocole.objects.filter(territoire__code="8408").exists()
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "chef_8408"))
    assert rep.status_code == 201, rep.content
    assert rep.json()["genre"] == "protocole" and rep.json()["territoire"]["code"] == "8408"
    assert rep.json()["sections"][0]["texte"] == "Relocaliser la plasturgie."
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "chef_8408"))
    assert rep.status_code == 422
    assert rep.json()["detail"] == "Ce territoire a déjà un protocole d'accord."
    inconnu = "/api/v1/contrats/territoires/9999/protocole"
    assert (
        client.post(inconnu, corps, content_type=JSON, **_auth(comptes, "chef_8408")).status_code
        == 404
    )


def test_une_fiche_s_annexe_et_se_retire_par_sa_reference(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    auth = _auth(comptes, "chef_8401")
    [ref] = [
        f["reference"]
        for f in client.get(f"/api/v1/contrats/contrat/{c.pk}", **auth).json()["fiches"]
    ]
    url = f"/api/v1/contrats/contrat/{c.pk}/fiches"
    assert client.delete(f"{url}/{ref}", **_auth(comptes, "pilote_84")).status_code == 403
    assert client.delete(f"{url}/{ref}", **auth).status_code == 204
    assert not c.annexes.exists()
    assert client.delete(f"{url}/{ref}", **auth).status_code == 422
    assert client.post(url, {"fiche": "8401-99"}, content_type=JSON, **auth).status_code == 404
    rep = client.post(url, {"fiche": ref}, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    assert [f["reference"] for f in rep.json()["fiches"]] == [ref]
    # A signed contract takes no fiche any more: an avenant does.
    signe = objets["signe_8408"]
    [ref8] = [a.fiche.reference for a in signe.annexes.select_related("fiche__territoire")]
    rep = client.delete(
        f"/api/v1/contrats/contrat/{signe.pk}/fiches/{ref8}", **_auth(comptes, "chef_8408")
    )
    assert rep.status_code == 422 and signe.annexes.count() == 1


def test_un_signataire_se_nomme_par_siren_ou_code_de_region_et_se_retire(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    auth = _auth(comptes, "chef_8401")
    url = f"/api/v1/contrats/contrat/{c.pk}/signataires"
    siren = c.epcis.first().siren
    corps = {"nature": "president_epci", "nom": "M. Martin", "qualite": "Président", "epci": siren}
    assert (
        client.post(url, corps, content_type=JSON, **_auth(comptes, "etat_8401")).status_code == 403
    )
    rep = client.post(url, corps, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    [s] = [x for x in rep.json()["signataires"] if x["nom"] == "M. Martin"]
    assert s["epci"] == siren
    rep = client.post(
        url,
        {
            "nature": "president_region",
            "nom": "Mme Durand",
            "qualite": "Présidente",
            "region": "84",
        },
        content_type=JSON,
        **auth,
    )
    assert rep.status_code == 201
    assert [x["region"] for x in rep.json()["signataires"] if x["nom"] == "Mme Durand"] == ["84"]
    rep = client.post(url, {**corps, "epci": "000000000"}, content_type=JSON, **auth)
    assert (
        rep.status_code == 422 and rep.json()["detail"] == "Intercommunalité 000000000 introuvable."
    )
    retrait = f"{url}/{s['id']}"
    assert client.delete(retrait, **_auth(comptes, "chef_8408")).status_code == 404
    assert client.delete(retrait, **auth).status_code == 204
    assert not Signataire.objects.filter(pk=s["id"]).exists()


def test_la_validation_reprend_la_decision_du_copil_regional(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    pilote = comptes["pilote_84"]
    copil = gouvernance.copil_regional(Region.objects.get(code="84"))
    reunion = reunion_passee(pilote, copil, jour=(2020, 5, 4))
    point = gouvernance.ajouter_point(
        user=pilote, reunion=reunion, nature=NaturePoint.CONTRAT, territoire=c.territoire
    )
    lien = gouvernance.decider(
        user=pilote, reunion=reunion, point=point, objet=ObjetDecision.CONTRAT, texte="Validé."
    )
    url = f"/api/v1/contrats/contrat/{c.pk}/validation"
    assert client.post(url, {"decision": lien.pk}, content_type=JSON).status_code == 401
    rep = client.post(url, {"decision": lien.pk}, content_type=JSON, **_auth(comptes, "chef_8401"))
    assert rep.status_code == 403
    rep = client.post(url, {"decision": 999999}, content_type=JSON, **_auth(comptes, "pilote_84"))
    assert rep.status_code == 422
    rep = client.post(url, {"decision": lien.pk}, content_type=JSON, **_auth(comptes, "pilote_84"))
    assert rep.status_code == 201, rep.content
    corps = rep.json()
    assert corps["etat"] == "valide" and corps["validation"]["date"] == "2020-05-04"
    assert corps["validation"]["sans_reunion"] is False


def test_un_ministre_ne_signe_par_l_api_qu_avec_un_motif(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    url = f"/api/v1/contrats/contrat/{c.pk}/signataires"
    corps = {"nature": "ministre", "nom": "M. Ministre", "qualite": "Ministre de l'Industrie"}
    auth = _auth(comptes, "chef_8401")
    rep = client.post(url, corps, content_type=JSON, **auth)
    assert rep.status_code == 422 and "motif" in rep.json()["detail"].lower()
    assert not c.signataires.filter(nom="M. Ministre").exists()
    motif = "Contrat signé lors du déplacement du ministre sur le territoire."
    rep = client.post(url, {**corps, "motif_ministre": motif}, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    [s] = [x for x in rep.json()["signataires"] if x["nom"] == "M. Ministre"]
    assert s["exception_ministre"] is True and s["motif_ministre"] == motif


def test_validation_sans_reunion_par_l_api_sur_l_accord_de_chaque_partie(client, monde):
    """FAQ §4.2 through the API as on the page: without a meeting, each party's agreement,
    who gave it and when; one referent alone is refused (422), nothing written."""
    comptes, objets = monde
    c = objets["brouillon_8401"]
    url = f"/api/v1/contrats/contrat/{c.pk}/validation"
    auth = _auth(comptes, "etat_8401")
    seul = {"reunion": False, "date": "2020-06-10", "texte": "Je suis d'accord."}
    rep = client.post(url, seul, content_type=JSON, **auth)
    assert rep.status_code == 422
    assert "une personne seule ne le valide pas" in rep.json()["detail"]
    assert "la Région Auvergne-Rhône-Alpes" in rep.json()["detail"]
    # The page refuses the same, on its form, with the same words.
    client.force_login(comptes["etat_8401"])
    page = client.post(
        reverse("contrats:valider", args=["contrat", c.pk]),
        {"date": "2020-06-10", "reunion": "0", "texte": "Je suis d'accord."},
    )
    client.logout()
    assert (
        page.status_code == 200 and "une personne seule ne le valide pas" in page.content.decode()
    )
    c.refresh_from_db()
    assert c.brouillon and not AccordSansReunion.objects.exists()
    # Every party's agreement, by signatory number: validated, and said so.
    signataires = client.get(f"/api/v1/contrats/contrat/{c.pk}", **auth).json()["signataires"]
    tous = [
        {"signataire": s["id"], "donne_par": f"{s['nom']}, par courrier", "donne_le": "2020-06-01"}
        for s in signataires
    ]
    rep = client.post(url, {**seul, "accords": tous}, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    v = rep.json()["validation"]
    assert rep.json()["etat"] == "valide" and v["sans_reunion"] is True
    assert v["date"] == "2020-06-10" and len(v["accords"]) == len(signataires) >= 3
    assert v["mention"].startswith(
        "Validé sans réunion du comité de pilotage régional, le 10/06/2020"
    )
    assert AccordSansReunion.objects.filter(signataire__contrat=c).count() == len(signataires)


def test_validation_en_reunion_sans_decision_enregistree_par_l_api(client, monde):
    """As on the page: the date of the regional COPIL's meeting, the decision recorded then."""
    comptes, objets = monde
    c = objets["brouillon_8401"]
    url = f"/api/v1/contrats/contrat/{c.pk}/validation"
    corps = {"date": "2020-06-10", "accords": []}
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "pilote_84"))
    assert rep.status_code == 201, rep.content
    v = rep.json()["validation"]
    assert v["sans_reunion"] is False and v["date"] == "2020-06-10" and v["accords"] == []


def _page_post(client, comptes, persona, url, data) -> int:
    """The page's answer to the same write: 302 accepted, 200 refused on its form, 404, or
    401 for the sign-in page."""
    client.logout()
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    r = client.post(url, data)
    client.logout()
    if r.status_code == 302 and "/connexion/" in r.url:
        return 401
    return r.status_code


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_signataires_et_validation_repondent_comme_les_pages(client, monde, persona, objet):
    """Per persona, the same answer from the document's page and the API: a signatory added
    (then withdrawn) by the team of a draft only; a validation tried by the State's referent
    and the Région's pilot on a draft only, refused by its rule (a date in the future) on the
    page's form and in the API alike, nothing written."""
    comptes, objets = monde
    c = objets[objet]
    auth = _auth(comptes, persona)
    anonyme = PERSONAS[persona] is None
    vu = voit(persona, objet)
    signataire = {"nature": "autre", "nom": "Mme Partenaire", "qualite": "Directrice"}
    page = _page_post(
        client, comptes, persona, reverse("contrats:signataire", args=["contrat", c.pk]), signataire
    )
    ajoutes = Signataire.objects.filter(contrat=c, nom="Mme Partenaire")
    assert ajoutes.count() == (1 if page == 302 else 0)
    ajoutes.delete()
    url = f"/api/v1/contrats/contrat/{c.pk}/signataires"
    rep = client.post(url, signataire, content_type=JSON, **auth)
    if anonyme:
        assert (rep.status_code, page) == (401, 401)
    elif persona in REDIGE[objet]:
        assert (rep.status_code, page) == (201, 302), rep.content
        s = ajoutes.get()
        retrait = client.delete(f"{url}/{s.pk}", **auth)
        assert retrait.status_code == 204 and not ajoutes.exists()
    else:
        assert page == 404 and not ajoutes.exists()
        signe_par_son_equipe = objet == "signe_8408" and persona == "chef_8408"
        assert rep.status_code == (422 if signe_par_son_equipe else 403 if vu else 404), rep.content

    # The validation, refused by its rule where it is the persona's to make.
    demain = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = _page_post(
        client,
        comptes,
        persona,
        reverse("contrats:valider", args=["contrat", c.pk]),
        {"date": demain, "reunion": "1"},
    )
    rep = client.post(
        f"/api/v1/contrats/contrat/{c.pk}/validation",
        {"date": demain, "reunion": True},
        content_type=JSON,
        **auth,
    )
    if anonyme:
        assert (rep.status_code, page) == (401, 401)
    elif persona in VALIDE_BROUILLON_8401 and objet == "brouillon_8401":
        assert (rep.status_code, page) == (422, 200), rep.content
        assert "dans le futur" in rep.json()["detail"]
    else:
        assert page == 404 and rep.status_code == (403 if vu else 404), rep.content
    c.refresh_from_db()
    assert c.etat == ("brouillon" if objet == "brouillon_8401" else "signe")
