"""The lifecycle of API tokens: listed and revoked by their owner and the staff, all revoked on
a new password or a deactivation, capped per account, expiring, never written by a read."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes import services
from comptes.enums import Role
from comptes.models import JetonAPI, Utilisateur

from .fabriques import MDP, personne

pytestmark = pytest.mark.django_db

NOUVEAU_MDP = "Un-autre-mot-de-passe-2026"


def _jeton(client, email: str, mdp: str = MDP, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": mdp, **extra},
        content_type="application/json",
    )


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_un_jeton_expire_apres_la_duree_reglee_et_la_reponse_le_dit(client, settings):
    settings.API_JETON_DUREE_JOURS = 90
    personne("agent@exemple.fr")
    avant = timezone.now()
    r = _jeton(client, "agent@exemple.fr", nom="Script de suivi")
    assert r.status_code == 200
    expire = JetonAPI.objects.get(pk=r.json()["id"]).expire_le
    assert timedelta(days=90) <= expire - avant < timedelta(days=90, minutes=1)
    assert r.json()["expire_le"].startswith(expire.date().isoformat())
    token = r.json()["token"]
    assert client.get("/api/v1/moi", **_auth(token)).status_code == 200
    JetonAPI.objects.update(expire_le=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/moi", **_auth(token)).status_code == 401


def test_le_nombre_de_jetons_valides_d_un_compte_est_plafonne(client, settings):
    settings.API_JETONS_PAR_COMPTE = 3
    personne("agent@exemple.fr")
    for _ in range(3):
        assert _jeton(client, "agent@exemple.fr").status_code == 200
    r = _jeton(client, "agent@exemple.fr")
    assert r.status_code == 422
    assert "déjà 3 jetons" in r.json()["detail"] and "révoquez-en un" in r.json()["detail"]
    assert JetonAPI.objects.count() == 3
    # An expired token no longer counts: it is removed when the next one is made.
    JetonAPI.objects.filter(pk=JetonAPI.objects.first().pk).update(expire_le=timezone.now())
    assert _jeton(client, "agent@exemple.fr").status_code == 200
    assert JetonAPI.objects.count() == 3


def test_son_proprietaire_liste_et_revoque_ses_jetons_par_l_api(client):
    personne("agent@exemple.fr")
    personne("autre@exemple.fr")
    a1 = _jeton(client, "agent@exemple.fr", nom="Tableur").json()
    a2 = _jeton(client, "agent@exemple.fr").json()
    b = _jeton(client, "autre@exemple.fr").json()
    liste = client.get("/api/v1/auth/jetons", **_auth(a1["token"])).json()
    assert {j["id"] for j in liste} == {a1["id"], a2["id"]}
    premier = next(j for j in liste if j["id"] == a1["id"])
    assert premier["nom"] == "Tableur" and premier["debut"] == a1["token"][:8]
    assert all(a1["token"] not in str(v) for v in premier.values())  # never the token itself
    # Another account's token: out of scope, 404, left alone.
    assert client.delete(f"/api/v1/auth/jetons/{b['id']}", **_auth(a1["token"])).status_code == 404
    assert client.get("/api/v1/moi", **_auth(b["token"])).status_code == 200
    assert client.delete(f"/api/v1/auth/jetons/{a2['id']}", **_auth(a1["token"])).status_code == 204
    assert client.get("/api/v1/moi", **_auth(a2["token"])).status_code == 401
    assert client.get("/api/v1/moi", **_auth(a1["token"])).status_code == 200


def test_le_personnel_liste_et_revoque_les_jetons_de_tous(client):
    personne("agent@exemple.fr")
    staff = personne("staff@exemple.fr")
    Utilisateur.objects.filter(pk=staff.pk).update(is_staff=True)
    a = _jeton(client, "agent@exemple.fr").json()
    s = _jeton(client, "staff@exemple.fr").json()
    liste = client.get(
        "/api/v1/auth/jetons", {"compte": "Agent@exemple.fr"}, **_auth(s["token"])
    ).json()
    assert [(j["id"], j["compte"]) for j in liste] == [(a["id"], "agent@exemple.fr")]
    assert client.delete(f"/api/v1/auth/jetons/{a['id']}", **_auth(s["token"])).status_code == 204
    assert client.get("/api/v1/moi", **_auth(a["token"])).status_code == 401
    # The admin lists them too, and deletes them; nobody adds or edits one there.
    c = Client()
    c.force_login(Utilisateur.objects.get(pk=staff.pk))
    Utilisateur.objects.filter(pk=staff.pk).update(is_superuser=True)
    page = c.get("/admin/comptes/jetonapi/").content.decode()
    assert s["token"][:8] in page
    # Pages answer a refusal as 404 (comptes.permissions.exiger).
    assert c.get("/admin/comptes/jetonapi/add/").status_code == 404


def test_la_page_mon_compte_liste_ses_jetons_et_les_revoque(client):
    user = personne("agent@exemple.fr")
    a = _jeton(client, "agent@exemple.fr", nom="Tableur").json()
    autre = personne("autre@exemple.fr")
    b = _jeton(client, "autre@exemple.fr").json()
    client.force_login(user)
    page = client.get("/compte/").content.decode()
    assert "Tableur" in page and f"{a['token'][:8]}…" in page and b["token"][:8] not in page
    assert "expire 90 jours après sa création" in page
    # Another's token answers 404 and stays; one's own is revoked.
    assert client.post(f"/compte/jetons/{b['id']}/revoquer/").status_code == 404
    assert JetonAPI.objects.filter(compte=autre).exists()
    r = client.post(f"/compte/jetons/{a['id']}/revoquer/", follow=True)
    assert "Le jeton est révoqué" in r.content.decode()
    assert client.get("/api/v1/moi", **_auth(a["token"])).status_code == 401


def test_changer_de_mot_de_passe_revoque_tous_les_jetons(client):
    user = personne("agent@exemple.fr")
    personne("autre@exemple.fr")
    for _ in range(2):
        _jeton(client, "agent@exemple.fr")
    _jeton(client, "autre@exemple.fr")
    # Through the « mot de passe oublié » link, as a person changes it.
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    lien = client.get(f"/mot-de-passe/nouveau/{uid}/{default_token_generator.make_token(user)}/")
    r = client.post(lien.url, {"new_password1": NOUVEAU_MDP, "new_password2": NOUVEAU_MDP})
    assert r.status_code == 302 and r.url == "/mot-de-passe/change/"
    assert not JetonAPI.objects.filter(compte=user).exists()
    assert JetonAPI.objects.filter(compte__email="autre@exemple.fr").count() == 1


def test_desactiver_un_compte_revoque_tous_ses_jetons(client):
    user = personne("agent@exemple.fr")
    token = _jeton(client, "agent@exemple.fr").json()["token"]
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])  # a sign-in does not touch the tokens
    assert JetonAPI.objects.filter(compte=user).exists()
    user.is_active = False
    user.save()
    assert not JetonAPI.objects.filter(compte=user).exists()
    assert client.get("/api/v1/moi", **_auth(token)).status_code == 401


def test_une_lecture_avec_un_jeton_n_ecrit_rien(client, django_assert_num_queries):
    personne("agent@exemple.fr")
    token = _jeton(client, "agent@exemple.fr").json()["token"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        assert client.get("/api/v1/moi", **_auth(token)).status_code == 200
        assert client.get("/api/v1/fiches", **_auth(token)).status_code == 200
        assert client.head("/api/v1/moi", **_auth(token)).status_code in (200, 405)
    ecritures = [
        q["sql"]
        for q in requetes.captured_queries
        if q["sql"].split()[0].upper() in {"UPDATE", "INSERT", "DELETE"}
    ]
    assert ecritures == []
    assert JetonAPI.objects.get().utilise_le is None


def test_un_jeton_se_lit_avec_son_compte_et_sa_personne_en_une_requete(
    django_assert_num_queries,
):
    services.creer_jeton(personne("agent@exemple.fr"))  # another token, not read
    token = services.creer_jeton(Utilisateur.objects.create_user("sans.fiche@exemple.fr", MDP))
    avec = services.creer_jeton(personne("chef@exemple.fr", Role.NATIONAL))
    with django_assert_num_queries(1):
        assert services.compte_du_jeton(avec).personne.email == "chef@exemple.fr"
    with django_assert_num_queries(1):
        compte = services.compte_du_jeton(token)
        assert compte.email == "sans.fiche@exemple.fr" and not hasattr(compte, "personne")
    assert services.compte_du_jeton(token + "x") is None


def test_une_lecture_avec_un_jeton_coute_deux_requetes_de_plus_que_sans(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = services.creer_jeton(personne("chef@exemple.fr", Role.NATIONAL))
    with CaptureQueriesContext(connection) as anonyme:
        assert client.get("/api/v1/fiches").status_code == 200
    with CaptureQueriesContext(connection) as jeton:
        assert client.get("/api/v1/fiches", **_auth(token)).status_code == 200
    # The token with its account and person, then the person's designations (the scope).
    assert len(jeton) == len(anonyme) + 2


def test_une_ecriture_note_l_usage_du_jeton_au_plus_une_fois_par_jour(client):
    user = personne("agent@exemple.fr")
    token = _jeton(client, "agent@exemple.fr").json()["token"]
    autre = _jeton(client, "agent@exemple.fr").json()
    assert services.compte_du_jeton(token, ecriture=True) == user
    premier = JetonAPI.objects.exclude(pk=autre["id"]).get().utilise_le
    assert premier is not None
    # Within the day: nothing written again.
    assert services.compte_du_jeton(token, ecriture=True) == user
    assert JetonAPI.objects.exclude(pk=autre["id"]).get().utilise_le == premier
    # A day later, the next write records it again.
    JetonAPI.objects.exclude(pk=autre["id"]).update(utilise_le=premier - timedelta(days=1))
    services.compte_du_jeton(token, ecriture=True)
    assert JetonAPI.objects.exclude(pk=autre["id"]).get().utilise_le > premier
    # The write through the API does it too (revoking the other token is a write).
    assert client.delete(f"/api/v1/auth/jetons/{autre['id']}", **_auth(token)).status_code == 204


def test_un_nom_de_jeton_invalide_est_refuse_sans_rien_creer(client):
    personne("agent@exemple.fr")
    r = _jeton(client, "agent@exemple.fr", nom="avec\x00nul")
    assert r.status_code == 422
    assert JetonAPI.objects.count() == 0
