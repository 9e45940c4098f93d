"""Login throttling: the page and the token endpoint count alike, by account from an address,
by address across accounts (spraying), by account from anywhere; behind the reverse proxy
each client is counted at its own address; a locked sign-in is told when to try again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import formats, timezone

from .fabriques import MDP, personne

pytestmark = pytest.mark.django_db


def _page(email: str, mdp: str = "faux", **meta):
    return Client(**meta).post("/connexion/", {"username": email, "password": mdp})


def _api(email: str, mdp: str = "faux", **meta):
    return Client(**meta).post(
        "/api/v1/auth/token",
        {"email": email, "password": mdp},
        content_type="application/json",
    )


def test_une_adresse_qui_essaie_de_nombreux_comptes_est_suspendue(settings):
    limite = settings.CONNEXION_LIMITES[1][1]
    personne("cible@exemple.fr")
    # One failure per account, on the page or through the API: the address adds them up.
    for n in range(limite - 1):
        essai = _page if n % 2 else _api
        assert essai(f"compte{n}@exemple.fr").status_code in (200, 401)
    r = _page("compte-suivant@exemple.fr")
    assert r.status_code == 429
    # Even an account it never tried, with the right password: refused, from this address.
    assert _page("cible@exemple.fr", MDP).status_code == 429
    assert _api("cible@exemple.fr", MDP).status_code == 429
    # Another address is not concerned.
    assert _page("cible@exemple.fr", MDP, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_un_compte_essaye_depuis_de_nombreuses_adresses_est_suspendu(settings):
    limite = settings.CONNEXION_LIMITES[2][1]
    personne("cible@exemple.fr")
    for n in range(limite):
        _api("cible@exemple.fr", REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}")
    assert _page("cible@exemple.fr", MDP, REMOTE_ADDR="10.9.9.9").status_code == 429
    # Other accounts still sign in from there.
    personne("voisin@exemple.fr")
    assert _page("voisin@exemple.fr", MDP, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_une_connexion_reussie_n_efface_pas_les_echecs_de_l_adresse_sur_d_autres_comptes(
    settings,
):
    limite = settings.CONNEXION_LIMITES[1][1]
    personne("moi@exemple.fr")
    for n in range(limite - 1):
        _page(f"compte{n}@exemple.fr")
    # Signing in to one's own account clears one's own failures, not the address's others.
    assert _page("moi@exemple.fr", MDP).status_code == 302
    assert _page("encore-un@exemple.fr").status_code == 429


def test_derriere_le_proxy_chaque_client_compte_a_sa_propre_adresse(settings):
    settings.PROXYS_DE_CONFIANCE = 1
    personne("agent@exemple.fr")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    # The client writes what it likes to X-Forwarded-For; the proxy appends who it saw.
    for n in range(5):
        _page("agent@exemple.fr", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7", **proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    bloque = _page("agent@exemple.fr", MDP, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert bloque.status_code == 429
    # Another client behind the same proxy signs in.
    ok = _page("agent@exemple.fr", MDP, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert ok.status_code == 302


def test_sans_proxy_declare_l_en_tete_transmis_est_ignore(settings):
    settings.PROXYS_DE_CONFIANCE = 0
    personne("agent@exemple.fr")
    for n in range(5):
        _page("agent@exemple.fr", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    assert _page("agent@exemple.fr", MDP).status_code == 429


def test_un_compte_suspendu_sait_quand_reessayer_sur_la_page_et_dans_l_api():
    personne("agent@exemple.fr")
    for _ in range(5):
        _page("agent@exemple.fr")
    dernier = AccessAttempt.objects.get().attempt_time
    quand = formats.date_format(timezone.localtime(dernier + timedelta(minutes=15)), "j F Y à H:i")
    page = _page("agent@exemple.fr", MDP)
    assert page.status_code == 429
    texte = page.content.decode()
    assert "Connexion suspendue" in texte and f"Réessayez à partir du {quand}" in texte
    api = _api("agent@exemple.fr", MDP)
    assert api.status_code == 429
    assert api["Content-Type"] == "application/json; charset=utf-8"
    assert f"Réessayez à partir du {quand} (heure de Paris)." in api.json()["detail"]
