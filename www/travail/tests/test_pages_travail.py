"""The pages of the work queue: the queue itself, its count in the menu, the notification
preferences, the home page of a signed-in person."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from notifications.enums import Frequence, Nature
from notifications.models import Preference
from notifications.tests.fabriques import fiche_de, jusqu_a, monde, soumettre
from www.travail.views import file_pour_les_connectes

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return monde()


def texte(r) -> str:
    assert r.status_code == 200, r.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def menu(r) -> str:
    html = r.content.decode()
    debut = html.index('id="menu-principal"')
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", html[debut : html.index("</nav>", debut)])).split()
    )


def test_la_file_montre_ce_qui_attend_et_ce_qu_on_attend(client, w):
    f = fiche_de(w)
    soumettre(w, f)
    client.force_login(w["chef"])
    t = texte(client.get("/travail/"))
    assert "1 élément attend votre action" in t
    assert "Fiches à faire avancer (1)" in t
    assert f"Avis du comité de projet local {f.reference} — {f.titre}" in t
    client.force_login(w["dirigeant"])
    t = texte(client.get("/travail/"))
    assert "Rien n'attend votre action" in t
    assert "En attente des autres (1)" in t
    assert "Auprès de" in t


def test_le_menu_compte_ce_qui_attend_la_personne(client, w):
    for i in range(2):
        soumettre(w, fiche_de(w, titre=f"Action {i}"))
    client.force_login(w["chef"])
    assert "Ma file de travail 2 éléments en attente de vous" in menu(client.get("/fiches/"))
    client.force_login(w["chef_autre"])
    m = menu(client.get("/fiches/"))
    assert "Ma file de travail" in m and "en attente" not in m
    client.logout()
    assert "Ma file de travail" not in menu(client.get("/fiches/"))


def test_la_file_est_reservee_aux_personnes_connectees(client):
    r = client.get("/travail/")
    assert r.status_code == 302 and r["Location"].startswith("/connexion/")


def test_l_accueil_d_une_personne_connectee_est_sa_file(w):
    accueil = file_pour_les_connectes(lambda request: HttpResponse("accueil public"))
    requete = RequestFactory().get("/")
    requete.user = AnonymousUser()
    assert accueil(requete).content == b"accueil public"
    requete.user = w["chef"]
    r = accueil(requete)
    assert (r.status_code, r["Location"]) == (302, "/travail/")


def test_mes_notifications_par_defaut_puis_choisies(client, w):
    client.force_login(w["etat"])
    r = client.get("/travail/notifications/")
    # Signatures at once, the rest in the morning's digest.
    assert {n: r.context["form"][n].value() for n in Nature.values} == {
        n: Frequence.IMMEDIAT if n == Nature.SIGNATURE else Frequence.QUOTIDIEN
        for n in Nature.values
    }
    t = texte(r)
    assert Nature.SIGNATURE.label in t and "Récapitulatif quotidien" in t
    choix = dict.fromkeys(Nature.values, Frequence.QUOTIDIEN) | {
        Nature.EXAMEN: Frequence.AUCUN,
        Nature.REUNION: Frequence.IMMEDIAT,
    }
    r = client.post("/travail/notifications/", choix)
    assert (r.status_code, r["Location"]) == (302, "/travail/notifications/")
    assert (
        dict(Preference.objects.filter(utilisateur=w["etat"]).values_list("nature", "frequence"))
        == choix
    )
    assert "Vos préférences de notification sont enregistrées." in texte(client.get(r["Location"]))


def test_une_preference_inconnue_est_refusee_sans_rien_changer(client, w):
    client.force_login(w["etat"])
    choix = dict.fromkeys(Nature.values, Frequence.QUOTIDIEN) | {Nature.EXAMEN: "jamais"}
    r = client.post("/travail/notifications/", choix)
    assert r.status_code == 400
    assert "Sélectionnez un choix valide" in texte_400(r)
    assert not Preference.objects.exists()


def texte_400(r) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())


def test_la_file_d_une_fiche_d_un_autre_territoire_reste_muette(client, w):
    f = jusqu_a(w, fiche_de(w), "avis_local")
    client.force_login(w["chef_autre"])
    t = texte(client.get("/travail/"))
    assert f.reference not in t and f.titre not in t
