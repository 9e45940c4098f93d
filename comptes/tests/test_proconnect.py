"""ProConnect sign-in against a real OpenID Connect provider (docs/adr/0005).

The provider is django-oauth-toolkit, run for this module in its own process
(comptes/tests/oidc_op) on 127.0.0.1 and a free port, and shaped like ProConnect: same paths,
scopes and claims, userinfo answered as a signed JWT. The platform talks to it over HTTP as to
ProConnect; the agent's browser is played by requests at the provider and by Django's test
client at the platform.
"""

import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from comptes.models import Utilisateur
from config.settings.base import proconnect_endpoints

DEMARRAGE = 30  # seconds at most for the provider to start
CALLBACK = "http://testserver/oidc/callback/"
ACCUEIL = "http://testserver/"

# Mixed case on purpose: ProConnect's e-mail is matched without regard to case.
CAMILLE = {
    "email": "Camille.Durand@Exemple.gouv.fr",
    "password": "mot-de-passe-de-camille",
    "given_name": "Camille",
    "usual_name": "Durand",
}
DOMINIQUE = {
    "email": "dominique.martin@exemple.gouv.fr",
    "password": "mot-de-passe-de-dominique",
    "given_name": "Dominique",
    "usual_name": "Martin",
}


@pytest.fixture(scope="module")
def fournisseur(tmp_path_factory):
    """Starts the provider; yields its ProConnect-style base URL (http://127.0.0.1:PORT/api/v2)."""
    dossier = tmp_path_factory.mktemp("fournisseur")
    env = {
        **os.environ,
        "OIDC_OP_CLIENT": json.dumps(
            {
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "client_secret": settings.OIDC_RP_CLIENT_SECRET,
                "redirect_uri": CALLBACK,
                "post_logout_redirect_uri": ACCUEIL,
            }
        ),
        "OIDC_OP_AGENTS": json.dumps([CAMILLE, DOMINIQUE]),
    }
    with open(dossier / "journal.txt", "wb") as journal:
        processus = subprocess.Popen(
            [sys.executable, "-m", "comptes.tests.oidc_op.serve", str(dossier)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=journal,
            stderr=subprocess.STDOUT,
        )
    try:
        limite = time.monotonic() + DEMARRAGE
        while not (dossier / "port").exists():
            if processus.poll() is not None or time.monotonic() > limite:
                journal = (dossier / "journal.txt").read_text(errors="replace")
                pytest.fail(f"Le fournisseur d'identité de test n'a pas démarré :\n{journal}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{(dossier / 'port').read_text()}/api/v2"
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()


@pytest.fixture
def proconnect(fournisseur):
    """The platform's settings pointed at the provider, as PROCONNECT_DOMAIN would."""
    with override_settings(**proconnect_endpoints(fournisseur)):
        yield fournisseur


class _Champs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.champs = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.champs[attrs["name"]] = attrs.get("value") or ""


def champs(html: str) -> dict:
    """The fields of the page's form, hidden ones (CSRF, OIDC parameters) with their values."""
    parser = _Champs()
    parser.feed(html)
    parser.close()
    return parser.champs


def se_connecter(client: Client, navigateur: requests.Session, agent: dict):
    """The authorization code flow, from the ProConnect button to the platform's callback."""
    depart = client.get(reverse("oidc_authentication_init"))
    assert depart.status_code == 302
    # At the provider: who are you...
    page = navigateur.get(depart["Location"], timeout=10)
    assert urlsplit(page.url).path == "/login/", page.text
    formulaire = champs(page.text) | {"username": agent["email"], "password": agent["password"]}
    page = navigateur.post(page.url, data=formulaire, timeout=10)
    # ...and do you let the platform know your e-mail, names, SIRET?
    assert "usual_name" in page.text and "siret" in page.text, page.text
    formulaire = champs(page.text) | {"allow": "Authorize"}
    retour = navigateur.post(page.url, data=formulaire, allow_redirects=False, timeout=10)
    assert retour.status_code == 302, retour.text
    # Back at the platform, which now calls the provider's token, jwks and userinfo endpoints.
    callback = urlsplit(retour.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == CALLBACK
    assert set(parse_qs(callback.query)) == {"code", "state"}
    return client.get(f"{callback.path}?{callback.query}")


def test_le_fournisseur_publie_les_adresses_de_proconnect(fournisseur):
    # Its discovery document agrees with what PROCONNECT_DOMAIN derives.
    decouverte = requests.get(f"{fournisseur}/.well-known/openid-configuration", timeout=10)
    annonce = decouverte.json()
    assert annonce["issuer"] == fournisseur
    assert proconnect_endpoints(fournisseur) == {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": annonce["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": annonce["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": annonce["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": annonce["jwks_uri"],
        "OIDC_OP_LOGOUT_ENDPOINT": annonce["end_session_endpoint"],
    }


@pytest.mark.django_db
def test_la_page_de_connexion_propose_proconnect(client):
    page = client.get(reverse("comptes:connexion"))
    assert "S'identifier avec ProConnect" in page.content.decode()
    assert reverse("oidc_authentication_init") in page.content.decode()


@pytest.mark.django_db
def test_premiere_connexion_cree_le_compte_la_suivante_le_retrouve(proconnect):
    client = Client()
    with requests.Session() as navigateur:
        reponse = se_connecter(client, navigateur, CAMILLE)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("comptes:compte")
    assert (
        "camille.durand@exemple.gouv.fr" in client.get(reverse("comptes:compte")).content.decode()
    )

    compte = Utilisateur.objects.get()
    assert compte.email == "camille.durand@exemple.gouv.fr"
    assert (compte.first_name, compte.last_name) == ("Camille", "Durand")
    assert not compte.has_usable_password()  # ProConnect only
    assert client.session["_auth_user_backend"] == "comptes.proconnect.ProConnectBackend"

    # Another day, another browser: the same account, found whatever the case of the e-mail.
    autre = Client()
    with requests.Session() as navigateur:
        reponse = se_connecter(autre, navigateur, CAMILLE)
    assert reponse["Location"] == reverse("comptes:compte")
    assert Utilisateur.objects.get().pk == compte.pk
    assert autre.get(reverse("comptes:compte")).status_code == 200


@pytest.mark.django_db
def test_un_compte_existant_est_retrouve_et_complete(proconnect):
    compte = Utilisateur.objects.create_user(
        "Dominique.Martin@exemple.gouv.fr", "mot-de-passe-local"
    )
    client = Client()
    with requests.Session() as navigateur:
        reponse = se_connecter(client, navigateur, DOMINIQUE)
    assert reponse["Location"] == reverse("comptes:compte")
    compte.refresh_from_db()
    assert (compte.first_name, compte.last_name) == ("Dominique", "Martin")
    assert compte.check_password("mot-de-passe-local")  # its password still works
    assert Utilisateur.objects.count() == 1


@pytest.mark.django_db
def test_un_compte_desactive_est_refuse(proconnect):
    Utilisateur.objects.create_user(DOMINIQUE["email"], is_active=False)
    client = Client()
    with requests.Session() as navigateur:
        reponse = se_connecter(client, navigateur, DOMINIQUE)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("comptes:connexion")  # LOGIN_REDIRECT_URL_FAILURE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("comptes:compte")).status_code == 302  # to the sign-in page
    compte = Utilisateur.objects.get()  # no second account either
    assert not compte.is_active and compte.first_name == ""


@pytest.mark.django_db
def test_la_deconnexion_termine_aussi_la_session_proconnect(proconnect):
    client = Client()
    with requests.Session() as navigateur:
        se_connecter(client, navigateur, CAMILLE)
        sortie = client.post(reverse("oidc_logout"))
        assert "_auth_user_id" not in client.session
        # To ProConnect's session/end, with the id_token kept at login, then back home.
        fin = urlsplit(sortie["Location"])
        assert f"{fin.scheme}://{fin.netloc}{fin.path}" == f"{proconnect}/session/end"
        assert set(parse_qs(fin.query)) == {"id_token_hint", "state", "post_logout_redirect_uri"}
        retour = navigateur.get(sortie["Location"], allow_redirects=False, timeout=10)
        assert retour.status_code == 302, retour.text
        assert retour.headers["Location"].startswith(f"{ACCUEIL}?state=")
        # The provider has forgotten the agent: the next sign-in asks again.
        depart = client.get(reverse("oidc_authentication_init"))
        page = navigateur.get(depart["Location"], timeout=10)
        assert urlsplit(page.url).path == "/login/"
