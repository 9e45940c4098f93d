"""The network's information through the API (FAQ §7.4): news, resources and events, scoped
like their pages (a draft resource, a network event: 404 for whoever may not see them), the
resource's file as an attachment with nosniff, the event's calendar file in Paris time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actualites import evenements, ressources, services
from comptes.enums import Role
from comptes.services import creer_jeton
from comptes.tests.fabriques import personne, territoire
from referentiel.models import Region

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def gens():
    return {
        "national": personne("national@exemple.fr", Role.NATIONAL),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "chef": personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401")),
    }


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(user)}"} if user else {}


def _ressource(user, region=None, *, publiee=True, titre="Guide"):
    return ressources.deposer(
        user=user,
        region=region,
        titre=titre,
        resume="Résumé.",
        categorie="guide",
        date=date(2024, 3, 1),
        fichier=SimpleUploadedFile("guide.pdf", PDF),
        publiee=publiee,
    )


def test_api_ressources_brouillon_404_pour_les_autres_et_fichier_en_piece_jointe(
    client, gens, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    publiee = _ressource(gens["national"], titre="Guide publié")
    brouillon = _ressource(
        gens["pilote"], Region.objects.get(code="84"), publiee=False, titre="Brouillon"
    )
    titres = [r["titre"] for r in client.get("/api/v1/ressources").json()["items"]]
    assert titres == ["Guide publié"]
    for user in (None, gens["chef"], gens["national"]):
        for url in (
            f"/api/v1/ressources/{brouillon.pk}",
            f"/api/v1/ressources/{brouillon.pk}/fichier",
        ):
            r = client.get(url, **_auth(user))
            assert r.status_code == 404 and r.json()["detail"] == "Ressource introuvable."
    r = client.get(f"/api/v1/ressources/{brouillon.pk}", **_auth(gens["pilote"]))
    assert r.status_code == 200 and r.json()["publiee"] is False
    detail = client.get(f"/api/v1/ressources/{publiee.pk}").json()
    assert detail["type_fichier"] == "pdf" and detail["taille"] == len(PDF)
    f = client.get(detail["fichier"])
    assert f.status_code == 200 and b"".join(f.streaming_content) == PDF
    assert f["Content-Disposition"] == 'attachment; filename="guide-publie.pdf"'
    assert f["X-Content-Type-Options"] == "nosniff" and f["Content-Type"] == "application/pdf"


def test_api_evenements_reseau_404_sans_jeton_et_ics_en_europe_paris(client, gens):
    debut = datetime(2030, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    commun = {"description": "D", "lieu": "Paris", "organisateur": "Délégation nationale"}
    public = evenements.organiser(
        user=gens["national"],
        titre="Forum",
        debut=debut,
        fin=debut + timedelta(hours=2),
        public=True,
        **commun,
    )
    reseau = evenements.organiser(
        user=gens["national"],
        titre="Séminaire",
        debut=debut,
        fin=debut + timedelta(hours=2),
        public=False,
        **commun,
    )
    passe = timezone.now() - timedelta(days=40)
    evenements.organiser(
        user=gens["national"],
        titre="Forum passé",
        debut=passe,
        fin=passe + timedelta(hours=1),
        public=True,
        **commun,
    )
    assert [e["titre"] for e in client.get("/api/v1/evenements").json()["items"]] == ["Forum"]
    avec_jeton = client.get("/api/v1/evenements", **_auth(gens["chef"])).json()["items"]
    assert {e["titre"] for e in avec_jeton} == {"Forum", "Séminaire"}
    passes = client.get("/api/v1/evenements", {"passes": "true"}).json()["items"]
    assert [e["titre"] for e in passes] == ["Forum passé"]
    r = client.get(f"/api/v1/evenements/{reseau.pk}")
    assert r.status_code == 404 and r.json()["detail"] == "Événement introuvable."
    assert client.get(f"/api/v1/evenements/{reseau.pk}/ics").status_code == 404
    detail = client.get(f"/api/v1/evenements/{public.pk}").json()
    assert detail["debut"] == "2030-12-01T10:00:00+01:00"  # Paris time, with its offset
    ics = client.get(detail["ics"]).content.decode()
    assert "DTSTART;TZID=Europe/Paris:20301201T100000" in ics


def test_api_actualites_publiques_et_filtrees_par_region(client, gens):
    services.publier(user=gens["national"], titre="Nationale", chapo="C", corps="T")
    a = services.publier(
        user=gens["pilote"],
        region=Region.objects.get(code="84"),
        titre="Régionale",
        chapo="C",
        corps="T",
    )
    assert client.get("/api/v1/actualites").json()["count"] == 2
    items = client.get("/api/v1/actualites", {"region": "84"}).json()["items"]
    assert [x["titre"] for x in items] == ["Régionale"]
    assert client.get(f"/api/v1/actualites/{a.pk}").json()["corps"] == "T"
    assert client.get("/api/v1/actualites/999999").status_code == 404
