"""Inputs the API used to answer with a failure: integers beyond what the database holds,
`null` on fields that are never null, a multipart body without its boundary. Each is now a
4xx with a French message, and nothing is written."""

import json

import pytest

from comptes.models import JetonAPI, ProfilEntreprise
from comptes.tests.fabriques import MDP
from fiches.models import FicheAction

from . import test_fiches_api as fiches_api
from .test_fiches_api import corps_fiche, creer, jeton, patch, post

acteurs = fiches_api.acteurs  # the people of the fiches' API tests, as a fixture here too

pytestmark = pytest.mark.django_db

JSON = "application/json"

GRAND = 99999999999999999999  # beyond 64 bits


@pytest.mark.parametrize(
    "url, parametre",
    [
        (f"/api/v1/fiches?offset={GRAND}", "offset"),
        (f"/api/v1/fiches?limit={GRAND}", "limit"),
        (f"/api/v1/fiches?phase={GRAND}", "phase"),
        (f"/api/v1/fiches?financeur={GRAND}", "financeur"),
        (f"/api/v1/fiches?mesure={GRAND}", "mesure"),
        (f"/api/v1/territoires?offset={GRAND}", "offset"),
        (f"/api/v1/territoires?limit={GRAND}", "limit"),
        (f"/api/v1/territoires?phase={GRAND}", "phase"),
        (f"/api/v1/territoires/8401?phase={GRAND}", "phase"),
        (f"/api/v1/territoires/8401/geojson?phase={GRAND}", "phase"),
        (f"/api/v1/carte?phase={GRAND}", "phase"),
        (f"/api/v1/epcis/200072015?phase={GRAND}", "phase"),
        (f"/api/v1/organisations/{GRAND}", "pk"),
    ],
)
def test_entier_trop_grand_dans_l_adresse_422_en_francais(client, url, parametre):
    r = client.get(url)
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/json")
    [erreur] = r.json()["detail"]
    assert erreur["loc"][-1] == parametre
    assert erreur["msg"].startswith("La valeur doit être inférieure ou égale à")


def test_pagination_bornee_mais_ordinaire_inchangee(client):
    assert client.get("/api/v1/territoires", {"phase": 1, "limit": 1000}).json()["count"] == 148
    assert client.get("/api/v1/territoires", {"limit": 1001}).status_code == 422
    assert client.get("/api/v1/fiches", {"offset": -1}).json()["detail"][0]["msg"] == (
        "La valeur doit être supérieure ou égale à 0."
    )


@pytest.mark.parametrize(
    "champ, valeur",
    [
        ("phase", GRAND),
        ("porteur", GRAND),
        ("filiere", GRAND),
        ("partenaires", [GRAND]),
        ("mesures", [GRAND]),
        ("lignes", [{"financeur": GRAND, "section": "investissement", "montant": "1"}]),
    ],
)
def test_entier_trop_grand_dans_le_corps_422_et_rien_ecrit(client, acteurs, champ, valeur):
    auth = jeton(client, "chef@exemple.fr")
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, **{champ: valeur}), auth)
    assert r.status_code == 422
    assert "inférieure ou égale" in r.json()["detail"][0]["msg"]
    assert FicheAction.objects.count() == 0


def test_version_trop_grande_422_et_fiche_inchangee(client, acteurs):
    fiche = creer(client, acteurs)
    auth = jeton(client, "chef@exemple.fr")
    url = f"/api/v1/fiches/{fiche['uuid']}"
    r = patch(client, url, {"version": GRAND, "porteur": GRAND}, auth)
    assert r.status_code == 422
    assert {e["loc"][-1] for e in r.json()["detail"]} == {"version", "porteur"}
    assert FicheAction.objects.get().version == fiche["version"]


@pytest.mark.parametrize(
    "champ",
    [
        "contexte",
        "description",
        "probleme",
        "orientation",
        "nature_simplification",
        "contrat_valorise",
        "porteur",
        "champs_secrets",
    ],
)
def test_null_sur_un_champ_de_fiche_jamais_nul_422_rien_ne_change(client, acteurs, champ):
    fiche = creer(client, acteurs, contrat_valorise="crte")
    avant = FicheAction.objects.values().get()
    r = patch(
        client,
        f"/api/v1/fiches/{fiche['uuid']}",
        {"version": fiche["version"], "titre": "Un autre titre", champ: None},
        jeton(client, "chef@exemple.fr"),
    )
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{champ} : Ce champ ne peut pas être nul (null)")
    assert FicheAction.objects.values().get() == avant  # the title did not change either


@pytest.mark.parametrize("champ", ["activite", "contact_email", "contact_telephone"])
def test_null_sur_un_champ_de_profil_jamais_nul_422_rien_ne_change(client, acteurs, champ):
    firme = acteurs["firme"]
    avant = ProfilEntreprise.objects.values().get(organisation=firme)
    r = patch(
        client,
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": avant["version"], "effectif": 12, champ: None},
        jeton(client, "porteur@exemple.fr"),
    )
    assert r.status_code == 422
    assert r.json()["detail"] == (
        f"{champ} : Ce champ ne peut pas être nul (null) : pour le vider, envoyez une chaîne vide."
    )
    assert ProfilEntreprise.objects.values().get(organisation=firme) == avant


@pytest.mark.parametrize(
    "echappe, code", [("\\u0000", "U+0000"), ("\\ud800", "U+D800"), ("\\u0007", "U+0007")]
)
def test_texte_avec_un_caractere_invisible_ou_invalide_422_rien_ecrit(
    client, acteurs, echappe, code
):
    # Sent as JSON escapes: NUL (PostgreSQL refuses it), a lone surrogate (no UTF-8 for it).
    corps = json.dumps(corps_fiche(acteurs, titre="TITRE")).replace("TITRE", f"Atelier{echappe}")
    r = client.post("/api/v1/fiches", corps, content_type=JSON, **jeton(client, "chef@exemple.fr"))
    assert r.status_code == 422
    assert r.json()["detail"] == (
        f"titre : Le texte contient un caractère invisible ou invalide ({code}) : retirez-le."
    )
    assert FicheAction.objects.count() == 0


@pytest.mark.parametrize("mot_de_passe", ["pas-le-bon", MDP])
def test_jeton_en_multipart_sans_frontiere_400_en_francais(client, acteurs, mot_de_passe):
    corps = json.dumps({"email": "chef@exemple.fr", "password": mot_de_passe})
    r = client.post("/api/v1/auth/token", corps, content_type="multipart/form-data")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"].startswith("Corps de la requête illisible : envoyez un objet JSON")
    # Refused before the password is even checked: no token, and no way to tell a good
    # password from a bad one around the limit of failed sign-ins.
    assert JetonAPI.objects.count() == 0


def test_erreurs_de_schema_en_francais(client):
    r = client.post(
        "/api/v1/auth/token", {"email": "chef@exemple.fr"}, content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"type": "missing", "loc": ["body", "data", "password"], "msg": "Champ obligatoire."}
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/fiches?territoire=%00",
        "/api/v1/fiches?q=%00",
        "/api/v1/territoires/%00",
        "/api/v1/epcis/%00",
        "/api/v1/carte?region=%00",
    ],
)
def test_caractere_nul_dans_l_adresse_400_en_francais(client, url):
    r = client.get(url)
    assert r.status_code == 400
    assert r.json()["detail"] == (
        "Adresse invalide : elle contient un caractère invisible ou invalide (U+0000)."
    )


@pytest.mark.parametrize("champ", ["territoire", "epcis", "communes"])
def test_caractere_nul_dans_une_cle_du_corps_422_rien_ecrit(client, acteurs, champ):
    valeur = "CLE" if champ == "territoire" else ["CLE"]
    corps = json.dumps(corps_fiche(acteurs, **{champ: valeur})).replace("CLE", "84\\u000001")
    r = client.post("/api/v1/fiches", corps, content_type=JSON, **jeton(client, "chef@exemple.fr"))
    assert r.status_code == 422
    [erreur] = r.json()["detail"]
    assert erreur["msg"] == (
        "Le texte contient un caractère invisible ou invalide (U+0000) : retirez-le."
    )
    assert FicheAction.objects.count() == 0


def test_caractere_nul_dans_l_adresse_de_connexion_422(client):
    r = client.post(
        "/api/v1/auth/token",
        '{"email": "chef\\u0000@exemple.fr", "password": "x"}',
        content_type=JSON,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "email"


def test_adresse_de_connexion_demesuree_refusee_sans_erreur(client):
    # Longer than any address an account may hold (254): refused at the door, before the
    # case-insensitive lookup (which SQLite cannot run on a 100 000-character pattern) and
    # before the count of failed logins (whose column PostgreSQL bounds).
    for longueur in (300, 100_000):
        r = client.post(
            "/api/v1/auth/token",
            json.dumps({"email": "x" * longueur, "password": "x"}),
            content_type=JSON,
        )
        assert r.status_code == 422
        [erreur] = r.json()["detail"]
        assert erreur["loc"][-1] == "email"
        assert "254" in erreur["msg"]


@pytest.mark.parametrize("corps", ["[1, 2]", '"soumettre"', "42", "true"])
def test_corps_qui_n_est_pas_un_objet_400_et_la_fiche_ne_bouge_pas(client, acteurs, corps):
    # Every field of a move is optional: a list or a bare value used to be read as an empty
    # object, and the fiche moved.
    fiche = creer(client, acteurs)
    auth = jeton(client, "chef@exemple.fr")
    url = f"/api/v1/fiches/{fiche['uuid']}"
    r = client.post(f"{url}/soumettre", corps, content_type=JSON, **auth)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Corps de la requête illisible : envoyez un objet JSON")
    assert client.get(url, **auth).json()["etat"] == "brouillon"


def _ligne(acteurs, **kw) -> dict:
    return {"financeur": acteurs["bpi"].pk, "section": "investissement", "montant": "1", **kw}


@pytest.mark.parametrize(
    "corps, message",
    [
        (
            {"champs_secrets": ["titre"]},
            "champs_secrets : Peuvent être secrets : cout_total, description (pas titre).",
        ),
        (
            {"lignes": [{"champs_secrets": ["financeur"]}]},
            "Ligne de financement 1 : Peuvent être secrets : montant (pas financeur).",
        ),
    ],
)
def test_champ_qui_ne_peut_etre_secret_422_rien_ecrit(client, acteurs, corps, message):
    # Dropping it silently would leave public what the writer believed secret.
    if "lignes" in corps:
        corps = {"lignes": [_ligne(acteurs, **ligne) for ligne in corps["lignes"]]}
    auth = jeton(client, "chef@exemple.fr")
    r = post(client, "/api/v1/fiches", corps_fiche(acteurs, **corps), auth)
    assert r.status_code == 422
    assert r.json()["detail"] == message
    assert not FicheAction.objects.exists()


def test_champ_du_profil_qui_ne_peut_etre_secret_422_rien_ne_change(client, acteurs):
    firme = acteurs["firme"]
    avant = ProfilEntreprise.objects.values().get(organisation=firme)
    r = patch(
        client,
        f"/api/v1/organisations/{firme.pk}/profil",
        {"version": avant["version"], "effectif": 12, "champs_secrets": ["effectif", "activite"]},
        jeton(client, "porteur@exemple.fr"),
    )
    assert r.status_code == 422
    assert "(pas activite)" in r.json()["detail"]
    assert ProfilEntreprise.objects.values().get(organisation=firme) == avant


def test_sans_champ_secret_nomme_la_fiche_d_une_entreprise_garde_ses_secrets(client, acteurs):
    # An empty list names no secret: the default secrecy of a firm's fiche applies (FAQ §7.3).
    fiche = creer(client, acteurs, champs_secrets=[])
    assert fiche["champs_secrets"] == ["cout_total", "description"]
