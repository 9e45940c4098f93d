"""The governance rules through the API (FAQ §2.3, §3): a split named by codes and SIREN, the
position of another Région concerned, meetings postponed or cancelled — with the fiches' API
conventions (401 without a token, 404 outside one's scope, 403 for a visible object whose
action is not one's own, 409 on an outdated sequence, 422 with the rule's French message),
and the same answers as the pages, persona by persona."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from comptes.enums import Role
from comptes.services import creer_jeton
from gouvernance import services
from gouvernance.enums import EtatDemande
from gouvernance.historique import AccordRegion
from gouvernance.models import DemandePerimetre
from gouvernance.tests import test_matrice_gouvernance as matrice
from gouvernance.tests.fabriques import personne, territoire
from gouvernance.tests.test_regles_demandes import _epci_d_une_autre_region
from referentiel.models import Region
from territoires.selectors import vue_territoire

pytestmark = pytest.mark.django_db

monde = matrice.monde
JSON = "application/json"


def _post(client, url, data, user=None):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(user)}"} if user else {}
    return client.post(url, data, content_type=JSON, **auth)


def _copil_84(client, pilote, jour: str) -> int:
    comite = services.copil_regional(Region.objects.get(code="84"))
    r = _post(client, f"/api/v1/gouvernance/comites/{comite.pk}/reunions", {"debut": jour}, pilote)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def _decider(client, pilote, reunion_id: int, demande_id: int, accepter=True):
    r = _post(
        client,
        f"/api/v1/gouvernance/reunions/{reunion_id}/points",
        {"nature": "perimetre", "demande": demande_id},
        pilote,
    )
    assert r.status_code == 201, r.content
    point = r.json()["points"][-1]["id"]
    return _post(
        client, f"/api/v1/gouvernance/points/{point}/decision", {"accepter": accepter}, pilote
    )


def test_une_scission_se_demande_et_se_decide_par_l_api(client, monde):
    comptes, _ = monde
    t = territoire("8401")
    sirens = [e.siren for e in vue_territoire(t, date(2020, 1, 10)).epcis]
    url = "/api/v1/gouvernance/territoires/8401/scission"
    corps = {
        "phase": 1,
        "date": "2020-01-10",
        "parts": [
            {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
            {"code": "8401B", "nom": "Sud", "epcis": sirens},
        ],
    }
    assert _post(client, url, corps).status_code == 401
    # The map is public, the deposit is the territory's team's: 403 for another team.
    assert _post(client, url, corps, comptes["chef_8408"]).status_code == 403
    assert _post(client, "/api/v1/gouvernance/territoires/9999/scission", corps,
                 comptes["chef_8401"]).status_code == 404  # fmt: skip
    r = _post(client, url, corps, comptes["chef_8401"])
    assert r.status_code == 422
    assert "est donnée à deux territoires issus (8401A et 8401B)" in r.json()["detail"]
    futur = {**corps, "date": (timezone.localdate() + timedelta(days=2)).isoformat()}
    r = _post(client, url, futur, comptes["chef_8401"])
    assert r.status_code == 422 and "ne peut pas être dans le futur" in r.json()["detail"]
    corps["parts"][1]["epcis"] = sirens[1:]
    r = _post(client, url, corps, comptes["chef_8401"])
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["nature"] == "scission" and d["deposee_le"] == "2020-01-10"
    assert [(p["code"], p["nom"], p["epcis"]) for p in d["parts"]] == [
        ("8401A", "Nord", sirens[:1]),
        ("8401B", "Sud", sirens[1:]),
    ]
    reunion = _copil_84(client, comptes["pilote_84"], "2020-02-10T14:00:00")
    r = _decider(client, comptes["pilote_84"], reunion, d["id"])
    assert r.status_code == 201, r.content
    assert DemandePerimetre.objects.get(pk=d["id"]).etat == EtatDemande.ACCEPTEE
    # The old territory's history stays readable; the new ones are on the map.
    avant = client.get("/api/v1/territoires/8401", {"phase": 1, "date": "2020-02-01"}).json()
    assert avant["date_retrait"] == "2020-02-10"
    assert {e["siren"] for e in avant["epcis"]} == set(sirens)
    assert client.get("/api/v1/territoires/8401A", {"phase": 1}).status_code == 200


def test_la_position_d_une_autre_region_s_enregistre_par_l_api(client, monde):
    comptes, _ = monde
    pilote_27 = personne("pilote.27@exemple.fr", Role.PILOTE_REGION, region_id="27")
    epci = _epci_d_une_autre_region("27", date(2020, 1, 10))
    r = _post(
        client,
        "/api/v1/gouvernance/demandes",
        {
            "nature": "ajout_epci",
            "territoire": "8401",
            "phase": 1,
            "epci": epci.siren,
            "date": "2020-01-10",
        },
        comptes["chef_8401"],
    )
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["region"] == "84" and d["regions_concernees"] == ["27", "84"]
    reunion = _copil_84(client, comptes["pilote_84"], "2020-02-10T14:00:00")
    r = _decider(client, comptes["pilote_84"], reunion, d["id"])
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"L'intercommunalité {epci.nom} concerne aussi la région")
    url = f"/api/v1/gouvernance/demandes/{d['id']}/accords"
    corps = {"region": "27", "date": "2020-02-01", "motif": "Courrier du 1er février"}
    assert _post(client, url, corps).status_code == 401
    assert _post(client, url, corps, comptes["chef_8408"]).status_code == 404
    # The pilot of Région 84 sees the request but cannot speak for Région 27.
    r = _post(client, url, corps, comptes["pilote_84"])
    assert r.status_code == 403 and "Seul le pilote de la région" in r.json()["detail"]
    r = _post(client, url, {**corps, "date": "2020-01-02"}, pilote_27)
    assert r.status_code == 422 and "précède le dépôt de la demande" in r.json()["detail"]
    r = _post(client, url, corps, pilote_27)
    assert r.status_code == 201, r.content
    assert r.json()["accords"] == [
        {"region": "27", "favorable": True, "date": "2020-02-01", "reunion": None,
         "motif": "Courrier du 1er février"}
    ]  # fmt: skip
    point = DemandePerimetre.objects.get(pk=d["id"]).points.get().pk
    r = _post(
        client, f"/api/v1/gouvernance/points/{point}/decision", {"accepter": True},
        comptes["pilote_84"],
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert DemandePerimetre.objects.get(pk=d["id"]).etat == EtatDemande.ACCEPTEE


@pytest.fixture
def a_venir(monde):
    comptes, objets = monde
    debut = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return services.planifier_reunion(
        user=comptes["chef_8401"], comite=objets["reunion_8401"].comite, debut=debut
    )


def test_une_reunion_se_reporte_et_s_annule_par_l_api(client, monde, a_venir):
    comptes, _ = monde
    chef = comptes["chef_8401"]
    report = f"/api/v1/gouvernance/reunions/{a_venir.pk}/report"
    nouveau = timezone.localtime(a_venir.debut + timedelta(days=7)).replace(tzinfo=None)
    corps = {"debut": nouveau.isoformat(), "lieu": "Salle B", "sequence": 0}
    assert _post(client, report, corps).status_code == 401
    assert _post(client, report, corps, comptes["chef_8408"]).status_code == 404
    r = _post(client, report, corps, comptes["etat_8401"])
    assert r.status_code == 403 and r.json()["detail"] == "Vous ne pouvez pas animer ce comité."
    r = _post(client, report, corps, chef)
    assert r.status_code == 200, r.content
    assert r.json()["sequence"] == 1 and r.json()["lieu"] == "Salle B"
    assert r.json()["reportee_du"] is not None
    r = _post(client, report, corps, chef)
    assert r.status_code == 409 and r.json()["differences"]
    annulation = f"/api/v1/gouvernance/reunions/{a_venir.pk}/annulation"
    r = _post(client, annulation, {"motif": " ", "sequence": 1}, chef)
    assert r.status_code == 422 and r.json()["detail"] == "Dites pourquoi la réunion est annulée."
    r = _post(client, annulation, {"motif": "Quorum non atteint", "sequence": 1}, chef)
    assert r.status_code == 200, r.content
    assert r.json()["annulee"] and r.json()["motif_annulation"] == "Quorum non atteint"
    client.force_login(chef)
    ics = client.get(reverse("gouvernance:reunion-ics", args=[a_venir.pk])).content
    ev = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert ev["STATUS"] == "CANCELLED" and int(ev["SEQUENCE"]) == 2


@pytest.mark.parametrize("persona", list(matrice.PERSONAS))
@pytest.mark.parametrize("action", ["report", "annulation"])
def test_report_et_annulation_meme_reponse_par_la_page_et_l_api(
    client, monde, a_venir, persona, action
):
    """Per persona, per the governance matrix's table: who sees the local committee of 8401
    and who runs it. The page answers 404 where the API answers 404 or 403."""
    comptes, _ = monde
    user = comptes.get(persona)
    voit = matrice.voit(persona, "reunion_8401") if user else False
    anime = matrice.anime(persona, "reunion_8401") if user else False
    nouveau = timezone.localtime(a_venir.debut + timedelta(days=3))
    api_corps = (
        {"debut": nouveau.replace(tzinfo=None).isoformat()}
        if action == "report"
        else {"motif": "Empêchement"}
    )
    page_corps = (
        {"jour": nouveau.date().isoformat(), "heure": "10:00", "sequence": 0}
        if action == "report"
        else {"motif": "Empêchement", "sequence": 0}
    )
    api = _post(client, f"/api/v1/gouvernance/reunions/{a_venir.pk}/{action}", api_corps, user)
    attendu_api = 401 if user is None else 200 if anime else 403 if voit else 404
    assert api.status_code == attendu_api, api.content
    a_venir.refresh_from_db()
    if anime:  # put back as it was, so that the page meets the same meeting
        a_venir.debut = a_venir.reportee_du or a_venir.debut
        a_venir.reportee_du = a_venir.annulee_le = None
        a_venir.sequence = 0
        a_venir.save()
    if user:
        client.force_login(user)
    page = client.post(reverse(f"gouvernance:reunion-{action}", args=[a_venir.pk]), page_corps)
    if user is None:
        assert page.status_code == 302 and "connexion" in page.url
    else:
        assert page.status_code == (302 if anime else 404)


@pytest.mark.parametrize("persona", list(matrice.PERSONAS))
def test_scission_meme_reponse_par_la_page_et_l_api(client, monde, persona):
    """Per persona, the deposit of a split of 8401: the API accepts (201) exactly where the
    page does (redirection to the request); where the API answers 401, 403 or 404, the page
    sends to the sign-in page or refuses, and nothing is deposited."""
    comptes, _ = monde
    user = comptes.get(persona)
    t = territoire("8401")
    sirens = [e.siren for e in vue_territoire(t, date(2020, 1, 10)).epcis]
    api = _post(
        client,
        "/api/v1/gouvernance/territoires/8401/scission",
        {
            "phase": 1,
            "date": "2020-01-10",
            "parts": [
                {"code": "8401A", "nom": "Nord", "epcis": sirens[:1]},
                {"code": "8401B", "nom": "Sud", "epcis": sirens[1:]},
            ],
        },
        user,
    )
    DemandePerimetre.objects.filter(territoire=t).delete()
    if user:
        client.force_login(user)
    page = client.post(
        reverse("gouvernance:demande-nouvelle"),
        {
            "nature": "scission",
            "territoire": t.pk,
            "date": "2020-01-10",
            "parts": f"8401A ; Nord ; {sirens[0]}\n8401B ; Sud ; {', '.join(sirens[1:])}",
        },
    )
    deposees = DemandePerimetre.objects.filter(territoire=t).count()
    if user is None:
        assert api.status_code == 401
        assert page.status_code == 302 and "connexion" in page.url
    elif api.status_code == 201:
        assert page.status_code == 302 and deposees == 1, page.status_code
    else:
        assert api.status_code in (403, 404), api.content
        assert page.status_code in (400, 404) and deposees == 0, page.status_code


@pytest.mark.parametrize("persona", [*matrice.PERSONAS, "pilote_27"])
def test_accord_d_une_region_meme_reponse_par_la_page_et_l_api(client, monde, persona):
    """Per persona, the position of Région 27 on an interregional request of 8401: recorded
    (201) by the API exactly where the page records it; refused alike elsewhere."""
    comptes, _ = monde
    comptes = {
        **comptes,
        "pilote_27": personne("p27@exemple.fr", Role.PILOTE_REGION, region_id="27"),
    }
    epci = _epci_d_une_autre_region("27", date(2020, 1, 10))
    r = _post(
        client,
        "/api/v1/gouvernance/demandes",
        {"nature": "ajout_epci", "territoire": "8401", "phase": 1, "epci": epci.siren,
         "date": "2020-01-10"},
        comptes["chef_8401"],
    )  # fmt: skip
    demande = DemandePerimetre.objects.get(pk=r.json()["id"])
    user = comptes.get(persona)
    corps = {"region": "27", "date": "2020-02-01", "motif": "Courrier du 1er février"}
    api = _post(client, f"/api/v1/gouvernance/demandes/{demande.pk}/accords", corps, user)
    AccordRegion.objects.filter(demande=demande).delete()
    if user:
        client.force_login(user)
    page = client.post(
        reverse("gouvernance:demande-accord", args=[demande.pk]), {**corps, "favorable": "oui"}
    )
    enregistres = AccordRegion.objects.filter(demande=demande).count()
    if user is None:
        assert api.status_code == 401 and page.status_code == 302 and "connexion" in page.url
    elif api.status_code == 201:
        assert page.status_code == 302 and enregistres == 1, page.status_code
    else:
        assert api.status_code in (403, 404), api.content
        assert page.status_code in (400, 404) and enregistres == 0, page.status_code
