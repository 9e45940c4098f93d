"""Error pages: French pages of the design system that say what to do next."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from comptes.tests.fabriques import personne
from www.commun.erreurs import erreur_serveur

from .test_pages import texte

pytestmark = pytest.mark.django_db


def _page_du_service(html: str) -> None:
    assert '<html lang="fr"' in html
    assert "fr-header" in html and "République" in html
    assert "Not Found" not in html and "Traceback" not in html


def test_page_introuvable_en_francais_pour_un_visiteur(client):
    r = client.get("/territoires/2/ti-inconnu/")
    assert r.status_code == 404
    html = r.content.decode()
    _page_du_service(html)
    vu = texte(html)
    assert "Page introuvable" in vu and "Erreur 404" in vu
    # A visitor is offered to sign in and come back to the same address.
    assert "/connexion/?next=/territoires/2/ti-inconnu/" in html
    assert "Page d&#x27;accueil" in html or "Page d'accueil" in html


def test_page_introuvable_oriente_une_personne_connectee_vers_l_annuaire(client):
    client.force_login(personne("chef@exemple.fr"))
    r = client.get("/fiches/99999-99/")
    assert r.status_code == 404
    vu = texte(r.content.decode())
    assert "Trouver mon interlocuteur dans l'annuaire" in vu
    assert "Se connecter" not in vu


def test_formulaire_expire_dit_que_rien_n_a_ete_enregistre():
    client = Client(enforce_csrf_checks=True)
    avant = get_user_model().objects.count()
    r = client.post("/connexion/", {"username": "x@exemple.fr", "password": "y"})
    assert r.status_code == 403
    html = r.content.decode()
    _page_du_service(html)
    vu = texte(html)
    assert "Formulaire expiré" in vu and "rien n'a été modifié" in vu
    assert 'href="/connexion/"' in html  # back to the form, to send it again
    assert "CSRF" not in vu and "Forbidden" not in vu
    assert get_user_model().objects.count() == avant


def test_erreur_du_serveur_en_francais(settings):
    settings.ROOT_URLCONF = "www.tests.urls_erreur"
    client = Client(raise_request_exception=False)
    client.force_login(personne("chef@exemple.fr"))
    r = client.get("/panne/")
    assert r.status_code == 500
    html = r.content.decode()
    _page_du_service(html)
    vu = texte(html)
    assert "Le service rencontre une erreur" in vu and "Erreur 500" in vu
    assert "panne simulée" not in html and "RuntimeError" not in html


def test_la_demonstration_ne_montre_jamais_la_page_de_debogage():
    """`make run` serves with config.settings.dev: debug stays off unless asked for."""
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    code = "from django.conf import settings; print(settings.DEBUG, settings.DEMO_MODE)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "True"]


def test_la_page_d_erreur_du_serveur_ne_demande_rien_a_la_base(rf, django_assert_num_queries):
    """The error may come from the database itself: its page must not need it."""
    with django_assert_num_queries(0):
        r = erreur_serveur(rf.get("/"))
    assert r.status_code == 500 and "Erreur 500" in r.content.decode()


def test_une_adresse_de_serveur_inconnue_recoit_la_page_400_en_francais():
    """Refused before the person is known (no session, no user): the page still draws."""
    client = Client(raise_request_exception=False)
    r = client.get("/territoires/", HTTP_HOST="ailleurs.example")
    assert r.status_code == 400
    html = r.content.decode()
    _page_du_service(html)
    assert "Demande incomprise" in texte(html)
