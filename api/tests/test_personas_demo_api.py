"""The demonstration's personas (demo.personas), each with its token and its session: the new
endpoints answer as the matching pages do, on the demo's own meetings, contracts, firms and
measures. A page that shows an object answers 200 and the API reads it; a page that refuses
a write answers 404 and the API answers 403 (seen) or 404 (not seen)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptes.models import Personne, Utilisateur
from comptes.services import creer_jeton
from contrats.models import Contrat
from demo.loader import load_demo
from gouvernance.models import Participant, Reunion
from mesures.models import Mesure

pytestmark = pytest.mark.django_db
JSON = "application/json"
COMPTES = (
    "national",
    "region.ara",
    "etat.8401",
    "chef.8401",
    "chef.8408",
    "bpifrance.ara",
    "bdt.ara",
    "entreprise.8401",
)


def _reponses(client, user, invite, reunion, contrat, firme, mesure) -> dict:
    """What the pages and the API answer to one persona (None: anonymous)."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(user)}"} if user else {}
    client.logout()
    if user:
        client.force_login(user)
    pages = {
        "reunion": client.get(reverse("gouvernance:reunion", args=[reunion.pk])).status_code,
        "inviter": client.post(
            reverse("gouvernance:reunion-participant", args=[reunion.pk]),
            {"personne": f"{invite.prenom} {invite.nom}", "presence": "invite"},
        ).status_code,
        "contrat": client.get(
            reverse("contrats:document", args=["contrat", contrat.pk])
        ).status_code,
        "modifier": client.post(
            reverse("contrats:modifier", args=["contrat", contrat.pk])
        ).status_code,
        "firme": client.get(reverse("comptes:organisation", args=[firme.pk])).status_code,
        "mesure": client.get(reverse("mesures:modifier", args=[mesure.pk])).status_code,
    }
    client.logout()
    Participant.objects.filter(reunion=reunion, personne=invite).delete()
    base = f"/api/v1/gouvernance/reunions/{reunion.pk}"
    canevas = f"/api/v1/contrats/contrat/{contrat.pk}/canevas"
    apis = {
        "reunion": client.get(f"{base}/compte-rendu", **auth).status_code,
        "inviter": client.post(
            f"{base}/participants", {"personne": invite.email}, content_type=JSON, **auth
        ).status_code,
        "contrat": client.get(canevas, **auth).status_code,
        "modifier": client.patch(
            canevas, {"pilotage": "x", "version": "0"}, content_type=JSON, **auth
        ).status_code,
        "firme": client.get(f"/api/v1/organisations/siren/{firme.siren}", **auth).status_code,
        "mesure": client.patch(
            f"/api/v1/mesures/{mesure.pk}", {"version": "0"}, content_type=JSON, **auth
        ).status_code,
    }
    Participant.objects.filter(reunion=reunion, personne=invite).delete()
    return {"pages": pages, "api": apis}


def _meme_reponse(persona: str, page: int, api: int, *, ecriture: bool) -> None:
    if persona == "anonyme" and ecriture:
        assert api == 401 and page in (302, 404), (page, api)
    elif persona == "anonyme":
        # A public page (a signed contract) and its API: 200; else the sign-in page or 404.
        assert api == (200 if page == 200 else 404) and page in (200, 302, 404), (page, api)
    elif ecriture:
        # Accepted on both, or refused on both (404 page; 403, 404, 409, 422 API).
        assert (page in (200, 302)) == (api in (200, 201, 409)), (page, api)
    else:
        assert (page == 200) == (api == 200), (page, api)


def test_les_personas_de_la_demo_ont_les_memes_reponses_par_l_api_et_par_les_pages(
    client, settings
):
    settings.DEMO_MODE = True
    load_demo()
    # The territory the demo's team works on today: ti-8401, in phase 2.
    reunion = Reunion.objects.filter(
        demo=True, comite__territoire__code="ti-8401", comite__type="comite_local"
    ).first()
    contrat = Contrat.objects.get(territoire__code="ti-8401")
    firme = Personne.objects.get(email="entreprise.8401@demo.ti").organisation
    mesure = Mesure.objects.filter(region__isnull=True).first()
    invite = Personne.objects.get(email="bdt.ara@demo.ti")
    vus = {}
    for persona in ("anonyme", *COMPTES):
        user = None if persona == "anonyme" else Utilisateur.objects.get(email=f"{persona}@demo.ti")
        r = _reponses(client, user, invite, reunion, contrat, firme, mesure)
        for cle in r["pages"]:
            ecriture = cle in ("inviter", "modifier", "mesure")
            page, api = r["pages"][cle], r["api"][cle]
            if cle == "mesure":
                page = 302 if page == 200 else page  # the form opens: the write is allowed
            _meme_reponse(persona, page, api, ecriture=ecriture)
        vus[persona] = r["api"]
    # The rules as the demo's people live them: the team runs its committee, the signed
    # contract changes by avenant only, the firm is seen by those who follow 8401.
    assert vus["chef.8401"]["inviter"] == 201 and vus["etat.8401"]["inviter"] == 403
    assert vus["chef.8408"]["reunion"] == 404
    assert {vus[p]["modifier"] for p in COMPTES} <= {403, 422}
    assert vus["etat.8401"]["firme"] == 200 and vus["chef.8408"]["firme"] == 404
    assert vus["national"]["mesure"] == 409 and vus["chef.8401"]["mesure"] == 403
