"""Pages of the snapshots (www/instantanes) and of the instruction delays (www/delais)."""

import re
from datetime import date
from html import unescape

import pytest

from suivi import instantanes, services
from suivi.models import CibleDelai, Instantane
from suivi.tests.programme import construire

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return construire()


def texte(r) -> str:
    assert r.status_code == 200, r.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def test_la_delegation_fige_lit_et_compare_ses_instantanes(client, w):
    client.force_login(w["national"])
    assert "Aucun instantané" in texte(client.get("/instantanes/"))
    r = client.post(
        "/instantanes/figer/",
        {"libelle": "CNI de mars", "portee": "national", "date": "2025-03-31", "phase": ""},
    )
    premier = Instantane.objects.get(libelle="CNI de mars")
    assert r.status_code == 302 and r["Location"] == f"/instantanes/{premier.pk}/"
    page = texte(client.get(r["Location"]))
    assert "Bourgogne-Franche-Comté" in page and "Secret statistique" in page
    assert "45\u202f000,25 €" in page or "45 000,25 €" in page  # E, granted 15/01/2025
    assert "100 000" not in page and "100\u202f000" not in page  # F1's line stays secret
    client.post(
        "/instantanes/figer/",
        {"libelle": "CNI de juin", "portee": "national", "date": "2025-06-30"},
    )
    second = Instantane.objects.get(libelle="CNI de juin")
    comparaison = texte(client.get(f"/instantanes/comparer/?a={premier.pk}&b={second.pk}"))
    assert "Par région" in comparaison and "retenu" in comparaison


def test_un_libelle_vide_ou_une_date_future_ne_fige_rien(client, w):
    client.force_login(w["national"])
    r = client.post(
        "/instantanes/figer/", {"libelle": "", "portee": "national", "date": "2025-01-01"}
    )
    assert r.status_code == 200 and "n'ont pas été figés" in texte(r)
    r = client.post(
        "/instantanes/figer/", {"libelle": "x", "portee": "national", "date": "2099-01-01"}
    )
    assert "ne peut pas être dans le futur" in texte(r)
    assert not Instantane.objects.exists()


def test_portee_des_instantanes_404_pour_les_autres(client, w):
    regional = instantanes.figer(w["pilote84"], libelle="COPIL", region="84", date=date(2025, 6, 1))
    client.force_login(w["chef8401"])
    assert client.get("/instantanes/").status_code == 404
    assert client.get(f"/instantanes/{regional.pk}/").status_code == 404
    client.force_login(w["national"])
    assert client.get(f"/instantanes/{regional.pk}/").status_code == 404
    r = client.post("/instantanes/figer/", {"libelle": "x", "portee": "84", "date": "2025-01-01"})
    assert r.status_code == 200 and not Instantane.objects.filter(libelle="x").exists()
    client.force_login(w["pilote27"])
    assert client.get(f"/instantanes/comparer/?a={regional.pk}&b={regional.pk}").status_code == 404
    client.force_login(w["pilote84"])
    r = client.get(f"/instantanes/{regional.pk}/")
    assert "Auvergne-Rhône-Alpes" in texte(r)
    # It holds the région's secrets, as its pilot read them: no cache keeps it.
    assert r["Cache-Control"] == "private, no-store"


def test_page_des_delais_cibles_et_attentes(client, w):
    client.force_login(w["national"])
    r = client.post(
        "/delais/cibles/nouvelle/",
        {"jours_decision": "60", "jours_engagement": "30", "source": "Cible du programme"},
    )
    assert r.status_code == 302
    page = texte(client.get("/delais/"))
    assert "Toutes les lignes (par défaut)" in page
    # D waits on Bpifrance's decision since 03/03/2025: far past 60 days today.
    assert "ti-2704-01 Fiche 1" in page and "Bpifrance" in page
    assert "Le comité de projet local du territoire" in page  # G


def test_modifier_une_cible_deux_fois_de_la_meme_version(client, w):
    services.enregistrer_cible(user=w["national"], donnees={"jours_decision": 60})
    cible = CibleDelai.objects.get()
    client.force_login(w["national"])
    r = client.post(f"/delais/cibles/{cible.pk}/", {"jours_decision": "45", "version": "1"})
    assert r.status_code == 302
    r = client.post(f"/delais/cibles/{cible.pk}/", {"jours_decision": "90", "version": "1"})
    assert "modifié cette cible entre-temps" in texte(r)
    cible.refresh_from_db()
    assert cible.jours_decision == 45


def test_un_pilote_ne_fixe_pas_la_cible_d_un_operateur(client, w):
    services.enregistrer_cible(
        user=w["national"], financeur=w["bpi"], donnees={"jours_decision": 60}
    )
    cible = CibleDelai.objects.get()
    client.force_login(w["pilote84"])
    assert client.get(f"/delais/cibles/{cible.pk}/").status_code == 404
    assert client.post(f"/delais/cibles/{cible.pk}/", {"supprimer": "1"}).status_code == 404
    client.force_login(w["chef8401"])
    assert client.get("/delais/cibles/nouvelle/").status_code == 404
    assert CibleDelai.objects.filter(pk=cible.pk).exists()
