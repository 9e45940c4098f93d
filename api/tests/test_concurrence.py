"""Concurrent writers against a live server, on SQLite as on PostgreSQL: the later of two writes
gets a clear answer (409 from the optimistic lock, 422 when the state has moved on), never a
500, and the data stays consistent.

Each scenario sends its requests at once: one thread per client, all released together by a
barrier; the live server answers each on its own thread with its own database connection (on
SQLite the test database is a file, see the root conftest). Bounded: a few requests per
scenario, each with a timeout; nothing here measures time.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import requests
from django.test import Client

from comptes.enums import Role
from comptes.models import ProfilEntreprise
from comptes.services import creer_jeton
from comptes.tests.fabriques import MDP
from fiches import cycle
from fiches.enums import Avis, Etat, StatutLigne
from fiches.tests.fabriques import bdt, bpi, entreprise, equipe, fiche, personne, territoire

# Transactional tests (live server): the shipped data is put back after the module.
pytestmark = pytest.mark.usefixtures("restore_shipped_data")

CLIENTS = 6
DELAI = 60  # seconds: bounds a request that would hang, never reached when all is well


def en_meme_temps(envois: list) -> list[requests.Response]:
    """Runs the callables at once, one thread each, and returns their responses in order."""
    depart = threading.Barrier(len(envois), timeout=DELAI)

    def envoyer(envoi):
        depart.wait()
        return envoi()

    with ThreadPoolExecutor(max_workers=len(envois)) as pool:
        return list(pool.map(envoyer, envois))


def statuts(reponses) -> list[int]:
    return sorted(r.status_code for r in reponses)


def reussites(envois: dict[str, list]) -> dict[str, int]:
    """Sends every group's requests at once; checks that each got a clear answer (200, or
    404, 409, 422 with its message; never a 500) and returns the number of 200 per group."""
    tous = [e for groupe in envois.values() for e in groupe]
    reponses = iter(en_meme_temps(tous))
    par_groupe = {nom: [next(reponses) for _ in groupe] for nom, groupe in envois.items()}
    erreurs = [
        (nom, r.status_code, r.text[:300])
        for nom, rs in par_groupe.items()
        for r in rs
        if r.status_code not in (200, 404, 409, 422)
    ]
    assert not erreurs
    return {nom: sum(r.status_code == 200 for r in rs) for nom, rs in par_groupe.items()}


def api(url: str, methode: str, token: str | None, corps: dict):
    entetes = {"Authorization": f"Bearer {token}"} if token else {}

    def envoi():
        return requests.request(methode, url, json=corps, headers=entetes, timeout=DELAI)

    return envoi


def navigateur(user) -> requests.Session:
    """A browser signed in as `user` (its session cookie)."""
    client = Client()
    client.force_login(user)
    s = requests.Session()
    s.cookies.set("sessionid", client.cookies["sessionid"].value)
    return s


def formulaire(session: requests.Session, url: str, donnees: dict):
    """Opens the page (CSRF cookie), then returns the sending of the form for later."""
    assert session.get(url, timeout=DELAI).status_code == 200
    corps = {**donnees, "csrfmiddlewaretoken": session.cookies["csrftoken"]}

    def envoi():
        return session.post(url, data=corps, allow_redirects=False, timeout=DELAI)

    return envoi


def test_une_seule_modification_d_une_meme_version_gagne_les_autres_409(server_url):
    p = equipe()
    f = fiche(p["chef"])
    token = creer_jeton(p["chef"])
    url = f"{server_url}/api/v1/fiches/{f.uuid}"
    titres = [f"Titre du client {i}" for i in range(CLIENTS)]

    reponses = en_meme_temps(
        [api(url, "PATCH", token, {"version": f.version, "titre": t}) for t in titres]
    )

    assert statuts(reponses) == [200] + [409] * (CLIENTS - 1)
    gagnant = next(r for r in reponses if r.status_code == 200).json()
    perdants = [r.json() for r in reponses if r.status_code == 409]
    assert all("rien n'a été écrasé" in r["detail"] for r in perdants)
    f.refresh_from_db()
    assert (f.titre, f.version) == (gagnant["titre"], 2)
    assert f.lignes.count() == 2


def test_une_seule_modification_du_profil_d_entreprise_gagne_les_autres_409(server_url):
    firme = entreprise("8401")
    chef = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8401"))
    token = creer_jeton(chef)
    url = f"{server_url}/api/v1/organisations/{firme.pk}/profil"

    reponses = en_meme_temps(
        [api(url, "PATCH", token, {"version": 1, "effectif": 100 + i}) for i in range(CLIENTS)]
    )

    assert statuts(reponses) == [200] + [409] * (CLIENTS - 1)
    gagnant = next(r for r in reponses if r.status_code == 200).json()
    profil = ProfilEntreprise.objects.get(organisation=firme)
    assert (profil.effectif, profil.version) == (gagnant["effectif"], 2)


def test_une_seule_edition_de_la_page_gagne_les_autres_voient_le_conflit(server_url):
    p = equipe()
    f = fiche(p["chef"], lignes=[])
    url = f"{server_url}/fiches/{f.uuid}/modifier/"
    base = {
        "version": f.version,
        "axe": f.axe,
        "porteur": f.porteur_id,
        "collective": "1",
        "maturite": f.maturite,
        "contexte": f.contexte,
        "portee": f.portee,
        "lignes-TOTAL_FORMS": "0",
        "lignes-INITIAL_FORMS": "0",
        "aller": "enregistrer",
    }
    envois = [
        formulaire(navigateur(p["chef"]), url, {**base, "titre": f"Page {i}"})
        for i in range(CLIENTS)
    ]

    reponses = en_meme_temps(envois)

    assert statuts(reponses) == [200] * (CLIENTS - 1) + [302]
    conflits = [r.text for r in reponses if r.status_code == 200]
    assert all("Quelqu&#x27;un a enregistré cette fiche" in html for html in conflits)
    gagnant = next(i for i, r in enumerate(reponses) if r.status_code == 302)
    f.refresh_from_db()
    assert (f.titre, f.version) == (f"Page {gagnant}", 2)


def equipe_et_bdt() -> dict:
    p = equipe()
    p["bdt"] = personne(
        "bdt84@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt(), region_id="84"
    )
    return p


def lignes_bpi_bdt() -> list[dict]:
    return [
        {"financeur": bpi(), "section": "investissement", "montant": Decimal("60000")},
        {"financeur": bdt(), "section": "investissement", "montant": Decimal("40000")},
    ]


def test_brouillon_modifie_soumis_et_decide_a_la_fois_jamais_500(server_url):
    p = equipe_et_bdt()
    chef = creer_jeton(p["chef"])
    financeurs = {bpi().pk: creer_jeton(p["bpi"]), bdt().pk: creer_jeton(p["bdt"])}
    for _ in range(3):  # a few drafts: the more chances to interleave
        brouillon = fiche(p["chef"], lignes=lignes_bpi_bdt())
        url = f"{server_url}/api/v1/fiches/{brouillon.uuid}"
        # The edit replaces the lines while the funder decides on them: too early (422), or
        # the line is already gone (404).
        nouvelles = [
            {"financeur": li.financeur_id, "section": li.section, "montant": "50000"}
            for li in brouillon.lignes.all()
        ]
        decisions = [
            api(
                f"{url}/lignes/{li.pk}/decision",
                "POST",
                financeurs[li.financeur_id],
                {"statut": statut},
            )
            for li in brouillon.lignes.all()
            for statut in ("accorde", "refuse")
        ]
        envois = {
            "modifier": [
                api(url, "PATCH", chef, {"version": 1, "titre": f"T{i}", "lignes": nouvelles})
                for i in range(3)
            ],
            "decider": decisions,
            "soumettre": [api(f"{url}/soumettre", "POST", chef, {})],
        }

        ok = reussites(envois)

        # Submitted; edited at most once (before the submission), the others 409 or 422.
        assert ok == {"modifier": ok["modifier"], "decider": 0, "soumettre": 1}
        assert ok["modifier"] <= 1
        brouillon.refresh_from_db()
        assert brouillon.etat == Etat.SOUMISE
        assert list(brouillon.transitions.values_list("action", flat=True)) == ["soumettre"]
        assert brouillon.lignes.count() == 2


def test_decisions_des_financeurs_et_arbitrage_a_la_fois_jamais_500(server_url):
    p = equipe_et_bdt()
    f = fiche(p["chef"], lignes=lignes_bpi_bdt())
    for user, mouvement in (
        (p["chef"], "soumettre"),
        (p["chef"], "avis_local"),
        (p["pilote"], "avis_copil"),
    ):
        cycle.appliquer(
            user=user, fiche=f, mouvement=mouvement, avis=Avis.FAVORABLE, decision_texte="Comité"
        )
    jetons = {nom: creer_jeton(p[nom]) for nom in ("etat", "bpi", "bdt")}
    url = f"{server_url}/api/v1/fiches/{f.uuid}"
    avant = f.transitions.count()

    def decision(nom, statut):
        ligne = f.lignes.get(financeur={"bpi": bpi(), "bdt": bdt()}[nom]).pk
        return api(f"{url}/lignes/{ligne}/decision", "POST", jetons[nom], {"statut": statut})

    envois = {
        "bpi": [decision("bpi", s) for s in ("accorde", "refuse", "accorde")],
        "bdt": [decision("bdt", s) for s in ("refuse", "accorde", "refuse")],
        "arbitrer": [
            api(f"{url}/{m}", "POST", jetons["etat"], {"decision_texte": "Arbitrage"})
            for m in ("retenir", "ne-pas-retenir", "ne-pas-retenir")
        ],
    }

    ok = reussites(envois)

    # Each funder decides once on its line, the fiche is decided once; the others are told
    # why not (422), and each success is one recorded step.
    assert ok["bpi"] <= 1 and ok["bdt"] <= 1 and ok["arbitrer"] <= 1
    assert f.transitions.count() - avant == sum(ok.values())
    f.refresh_from_db()
    decidees = f.lignes.exclude(statut=StatutLigne.DEMANDE).count()
    assert decidees == ok["bpi"] + ok["bdt"]
    if f.etat == Etat.RETENUE:
        assert decidees == 2  # retained only once every funder had decided


def test_connexions_simultanees_jamais_500(server_url):
    comptes = [personne(f"agent{i}@exemple.fr") for i in range(2)]
    envois, attendus = [], []
    for i in range(5):  # each signs in on the page and through the API: ten requests
        email = comptes[i % 2].email
        bon = i < 3  # two failures per account at most: under the lockout limit
        mdp = MDP if bon else "mauvais-mot-de-passe"
        session = requests.Session()
        envois.append(
            formulaire(session, f"{server_url}/connexion/", {"username": email, "password": mdp})
        )
        attendus.append(302 if bon else 200)
        envois.append(
            api(f"{server_url}/api/v1/auth/token", "POST", None, {"email": email, "password": mdp})
        )
        attendus.append(200 if bon else 401)

    reponses = en_meme_temps(envois)

    assert [r.status_code for r in reponses] == attendus, [r.text[:200] for r in reponses]
