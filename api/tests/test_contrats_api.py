"""The contracts API answers per persona exactly as the document's page does (the contracts
matrix: the same world, the same hand-written rule table), and shows what the page shows:
signatories and signatures, annexed fiches by reference, the history, no amount."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptes.services import creer_jeton
from contrats.documents import FORMATS
from contrats.tests import test_matrice_contrats as matrice
from contrats.tests.fabriques import MONTANT_PUBLIC, MONTANT_SECRET
from contrats.tests.test_matrice_contrats import OBJETS, PERSONAS, voit
from contrats.tests.test_regles import verifier_pdf_accessible

pytestmark = pytest.mark.django_db

monde = matrice.monde  # the world of the pages' matrix, so both are checked on the same
CAS = [pytest.param(p, o, id=f"{p}-{o}") for p in PERSONAS for o in OBJETS]


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_l_api_des_contrats_repond_comme_la_page_du_document(client, monde, persona, objet):
    comptes, objets = monde
    c = objets[objet]
    auth = _auth(comptes, persona)
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    page = client.get(reverse("contrats:document", args=["contrat", c.pk])).status_code
    client.logout()
    r = client.get(f"/api/v1/contrats/contrat/{c.pk}", **auth)
    attendu = voit(persona, objet)
    assert r.status_code == (200 if attendu else 404)
    assert (page == 200) == attendu
    t = c.territoire
    liste = client.get(f"/api/v1/contrats/territoires/{t.code}", {"phase": t.phase_id}, **auth)
    assert liste.status_code == 200
    assert (liste.json()["contrat"] is not None) == attendu
    if attendu:
        corps = r.json()
        assert corps["territoire"]["code"] == t.code and corps["titre"] == c.titre
        # Nothing of the money in the API's document: neither the secret nor the public one.
        texte = r.content.decode()
        assert str(int(MONTANT_SECRET)) not in texte and str(int(MONTANT_PUBLIC)) not in texte


def test_un_contrat_signe_montre_signataires_signatures_fiches_et_historique(client, monde):
    _, objets = monde
    c = objets["signe_8408"]
    r = client.get(f"/api/v1/contrats/contrat/{c.pk}")  # public once signed
    assert r.status_code == 200
    corps = r.json()
    assert corps["etat"] == "signe" and corps["signataires_manquants"] == []
    assert corps["signataires"] and all(s["signe_le"] for s in corps["signataires"])
    assert [f["reference"] for f in corps["fiches"]] == [
        a.fiche.reference for a in c.annexes.select_related("fiche__territoire")
    ]
    assert corps["fiches"][0]["reference"].startswith("8408-")
    actions = [m["action"] for m in corps["historique"]]
    assert actions[0] == "valider" and actions[-1] == "signer"
    assert corps["validation"]["sans_reunion"] is False
    assert corps["peut_signer"] is False and corps["peut_modifier"] is False


def test_un_brouillon_dit_ce_que_la_personne_peut_y_faire(client, monde):
    comptes, objets = monde
    c = objets["brouillon_8401"]
    url = f"/api/v1/contrats/contrat/{c.pk}"
    chef = client.get(url, **_auth(comptes, "chef_8401")).json()
    pilote = client.get(url, **_auth(comptes, "pilote_84")).json()
    assert chef["peut_modifier"] and not chef["peut_valider"]
    assert pilote["peut_valider"] and not pilote["peut_modifier"]


def test_un_genre_inconnu_ou_un_territoire_inconnu(client, monde):
    _, objets = monde
    c = objets["signe_8408"]
    assert client.get(f"/api/v1/contrats/charte/{c.pk}").status_code in (404, 422)
    assert client.get("/api/v1/contrats/territoires/9999").status_code == 404
    # A contract's number read as an avenant's names no avenant.
    assert client.get(f"/api/v1/contrats/avenant/{c.pk}").status_code == 404


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_la_liste_et_les_fichiers_des_contrats_repondent_comme_les_pages(
    client, monde, persona, objet
):
    """GET /contrats lists what the page of the contracts lists; the DOCX and the PDF are the
    page's own files, for whoever sees the document, 404 to anyone else."""
    comptes, objets = monde
    c = objets[objet]
    auth = _auth(comptes, persona)
    attendu = voit(persona, objet)
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    pages = {
        f: client.get(reverse("contrats:telecharger", args=["contrat", c.pk, f])) for f in FORMATS
    }
    liste_page = client.get(reverse("contrats:liste"))
    client.logout()
    ids = [d["id"] for d in client.get("/api/v1/contrats", **auth).json()["items"]]
    assert (c.pk in ids) == attendu
    if liste_page.status_code == 200:
        lien = reverse("contrats:document", args=["contrat", c.pk])
        assert (lien in liste_page.content.decode()) == attendu
    for f, page in pages.items():
        r = client.get(f"/api/v1/contrats/contrat/{c.pk}/document.{f}", **auth)
        assert r.status_code == (200 if attendu else 404), (f, r.content[:200])
        assert (page.status_code == 200) == attendu
        if attendu:
            assert r.content[:4] == page.content[:4] and r["Content-Type"] == FORMATS[f]
            assert r["Content-Disposition"] == page["Content-Disposition"]
            assert r["Content-Disposition"].endswith(f'"contrat-{c.territoire.code}.{f}"')


def test_la_liste_des_contrats_se_filtre_par_genre_territoire_phase_et_etat(client, monde):
    comptes, objets = monde
    auth = _auth(comptes, "chef_8401")
    brouillon, signe = objets["brouillon_8401"], objets["signe_8408"]

    def ids(**filtres):
        r = client.get("/api/v1/contrats", filtres, **auth)
        assert r.status_code == 200, r.content
        return [d["id"] for d in r.json()["items"]]

    assert set(ids()) >= {brouillon.pk, signe.pk}
    assert ids(etat="signe") == [signe.pk] and ids(etat="brouillon") == [brouillon.pk]
    assert ids(etat="valide") == []
    assert ids(territoire="8408", phase=1) == [signe.pk]
    assert ids(phase=2) == []
    premier = client.get("/api/v1/contrats", {"etat": "signe"}, **auth).json()["items"][0]
    assert premier["territoire"] == {"code": "8408", "phase": 1, "nom": signe.territoire.nom}
    assert ids(genre="protocole") == [] and ids(genre="avenant") == []
    assert client.get("/api/v1/contrats", {"territoire": "9999"}, **auth).status_code == 404
    r = client.get("/api/v1/contrats", {"etat": "perdu"}, **auth)
    assert r.status_code == 422
    r = client.get("/api/v1/contrats", {"limit": 1, "offset": 1}, **auth).json()
    assert r["count"] == 2 and len(r["items"]) == 1


def test_le_pdf_servi_par_l_api_est_accessible_en_francais_avec_le_signe_euro(client, monde):
    """The API serves the page's PDF: tagged (PDF/UA), in French, Marianne, the euro sign of
    a public amount, never the secret one; read back with pypdf."""
    _, objets = monde
    c = objets["signe_8408"]
    r = client.get(f"/api/v1/contrats/contrat/{c.pk}/document.pdf")  # public once signed
    assert r.status_code == 200
    texte = verifier_pdf_accessible(r.content)
    assert "43 210,00 €" in texte and "non communiqué (secret industriel)" in texte
