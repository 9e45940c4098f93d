"""The panier de services through the API: public like its pages, filtered by operator
(SIREN), phase and axis; created and edited by those who keep the catalogue, per persona as
on the pages (the contracts matrix's personas), under an optimistic lock."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptes.models import Organisation
from comptes.services import creer_jeton
from contrats.tests import test_matrice_contrats as matrice
from contrats.tests.test_matrice_contrats import PERSONAS
from mesures.enums import Axe, Priorite, SourceMesure
from mesures.models import Mesure
from referentiel.models import Region

pytestmark = pytest.mark.django_db

monde = matrice.monde
JSON = "application/json"
# Who keeps which measure (FAQ §3.3, §5.2): the national delegation the national
# commitments, the pilot of région 84 that région's own measures; nobody else.
GERE = {"nationale": {"national"}, "regionale_84": {"pilote_84"}}
CAS = [pytest.param(p, m, id=f"{p}-{m}") for p in PERSONAS for m in GERE]


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


def _mesures() -> dict[str, Mesure]:
    return {
        "nationale": Mesure.objects.create(
            nom="Appel à projets d'essai", nature="financement", axes=[Axe.INNOVER]
        ),
        "regionale_84": Mesure.objects.create(
            nom="Fonds régional d'essai",
            nature="financement",
            source=SourceMesure.REGIONALE,
            region=Region.objects.get(code="84"),
            axes=[Priorite.FONCIER],
        ),
    }


def _formulaire(m: Mesure, **changes) -> dict:
    """The measure's page form, filled with what it holds."""
    d = {
        "nom": m.nom,
        "description": m.description,
        "source": m.source,
        "region": m.region_id or "",
        "operateur": m.operateur_id or "",
        "nature": m.nature,
        "axes": m.axes,
        "types_porteurs": m.types_porteurs,
        "reference": m.reference,
    }
    return {**d, **changes}


@pytest.mark.parametrize(("persona", "cle"), CAS)
def test_une_mesure_se_lit_et_se_modifie_comme_sur_sa_page(client, monde, persona, cle):
    comptes, _ = monde
    m = _mesures()[cle]
    auth = _auth(comptes, persona)
    url = f"/api/v1/mesures/{m.pk}"
    lu = client.get(url, **auth)
    assert lu.status_code == 200  # the panier is public, as its page
    assert client.get(reverse("mesures:detail", args=[m.pk])).status_code == 200
    assert lu.json()["peut_modifier"] == (persona in GERE[cle])
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    page = client.post(
        reverse("mesures:modifier", args=[m.pk]), _formulaire(m, description="Par la page.")
    )
    client.logout()
    rep = client.patch(
        url,
        {"description": "Par l'API.", "version": lu.json()["version"]},
        content_type=JSON,
        **auth,
    )
    m.refresh_from_db()
    if PERSONAS[persona] is None:
        assert rep.status_code == 401 and page.url.startswith(reverse("comptes:connexion"))
    elif persona in GERE[cle]:
        # The page saved first: the version read before it is stale, nothing overwritten.
        assert page.status_code == 302, page.content
        assert rep.status_code == 409, rep.content
        assert m.description == "Par la page."
    else:
        assert (page.status_code, rep.status_code) == (404, 403)
        assert m.description == ""


def test_une_mesure_se_cree_par_qui_tient_le_catalogue(client, monde):
    comptes, _ = monde
    corps = {"nom": "Aide nouvelle", "nature": "ingenierie", "axes": ["attirer"]}
    url = "/api/v1/mesures"
    assert client.post(url, corps, content_type=JSON).status_code == 401
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "chef_8401"))
    assert rep.status_code == 403
    # A Région's pilot keeps its région's measures, not the national commitments.
    rep = client.post(url, corps, content_type=JSON, **_auth(comptes, "pilote_84"))
    assert rep.status_code == 403
    regionale = {**corps, "source": "regionale", "region": "84"}
    rep = client.post(url, regionale, content_type=JSON, **_auth(comptes, "pilote_84"))
    assert rep.status_code == 201, rep.content
    assert rep.json()["region"] == "84" and rep.json()["phase"] == 1
    # The model's rule in French: axes of both phases refused, nothing written.
    melange = {**corps, "nom": "Mélange", "axes": ["attirer", Priorite.FONCIER]}
    rep = client.post(url, melange, content_type=JSON, **_auth(comptes, "national"))
    assert rep.status_code == 422 and "pas les deux" in rep.json()["detail"]
    assert not Mesure.objects.filter(nom="Mélange").exists()
    rep = client.post(
        url, {**corps, "operateur": "000000000"}, content_type=JSON, **_auth(comptes, "national")
    )
    assert rep.status_code == 422 and rep.json()["detail"] == "Opérateur 000000000 introuvable."


def test_le_verrou_optimiste_d_une_mesure_n_ecrase_jamais(client, monde):
    comptes, _ = monde
    m = _mesures()["nationale"]
    auth = _auth(comptes, "national")
    url = f"/api/v1/mesures/{m.pk}"
    version = client.get(url).json()["version"]
    rep = client.patch(url, {"taux_max": "40", "version": version}, content_type=JSON, **auth)
    assert rep.status_code == 200, rep.content
    assert (
        rep.json()["version"] != version
        and rep.json()["version"] == client.get(url).json()["version"]
    )
    rep = client.patch(url, {"taux_max": "60", "version": version}, content_type=JSON, **auth)
    assert rep.status_code == 409
    assert [d["champ"] for d in rep.json()["differences"]] == ["taux_max"]
    m.refresh_from_db()
    assert m.taux_max == 40


def test_le_panier_se_filtre_par_operateur_phase_et_axe(client, monde):
    mesures = _mesures()
    bdt = Organisation.objects.get(nom="Banque des territoires")
    Organisation.objects.filter(pk=bdt.pk).update(siren="180020026")
    mesures["nationale"].operateur = bdt
    mesures["nationale"].save()

    def noms(**filtres) -> set[str]:
        corps = client.get("/api/v1/mesures", {"limit": 1000, **filtres}).json()
        assert corps["count"] == len(corps["items"])
        return {x["nom"] for x in corps["items"]}

    tout = noms()
    assert {m.nom for m in mesures.values()} <= tout
    par_bdt = noms(operateur="180020026")
    assert "Appel à projets d'essai" in par_bdt
    assert par_bdt == {m.nom for m in Mesure.objects.filter(operateur=bdt)}
    assert noms(operateur="000000000") == set()
    # Phase 2: the measures of its priorities and those tied to no axis, never phase 1's.
    phase_2 = noms(phase=2)
    assert "Fonds régional d'essai" in phase_2 and "Appel à projets d'essai" not in phase_2
    sans_axe = {m.nom for m in Mesure.objects.all() if not m.axes}
    assert sans_axe <= phase_2 and sans_axe <= noms(phase=1)
    assert "Appel à projets d'essai" in noms(axe=Axe.INNOVER)
    assert "Appel à projets d'essai" not in noms(axe=Axe.ATTIRER)
