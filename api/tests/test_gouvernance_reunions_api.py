"""A meeting's participants, minutes and attachments through the API: per persona the same
answers as the meeting's page (the governance matrix: its world and its rule table), people
picked by e-mail or name, the minutes under an optimistic lock, attachments within the pages'
limit and read through the meeting's scope only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from comptes.models import Organisation, Personne
from comptes.services import creer_jeton
from gouvernance import services
from gouvernance.enums import NaturePoint, Presence
from gouvernance.models import DecisionReunion, Participant, PieceJointe, PointOrdreDuJour, Reunion
from gouvernance.tests import test_matrice_gouvernance as matrice
from gouvernance.tests.test_matrice_gouvernance import (
    COMPTES_RENDUS,
    PERSONAS,
    REUNIONS,
    anime,
    voit,
)

pytestmark = pytest.mark.django_db

monde = matrice.monde
CAS = [pytest.param(p, o, id=f"{p}-{o}") for p in PERSONAS for o in REUNIONS]
JSON = "application/json"


def _auth(comptes, persona) -> dict:
    if PERSONAS[persona] is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {creer_jeton(comptes[persona])}"}


def _page_post(client, comptes, persona, url, data) -> int:
    """The page's answer to the same write: a redirect to the meeting when accepted."""
    client.logout()
    if PERSONAS[persona] is not None:
        client.force_login(comptes[persona])
    r = client.post(url, data)
    client.logout()
    if r.status_code == 302 and "/connexion/" in r.url:
        return 401
    return r.status_code


def _invite():
    """Someone one may invite: a person of a public body (Bpifrance)."""
    org = Organisation.objects.get(nom="Bpifrance")
    return Personne.objects.create(
        prenom="Aline", nom="Invitée", email="aline.invitee@exemple.fr", organisation=org
    )


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_participants_compte_rendu_et_pieces_repondent_comme_la_page(client, monde, persona, objet):
    comptes, objets = monde
    r = objets[objet]
    auth = _auth(comptes, persona)
    base = f"/api/v1/gouvernance/reunions/{r.pk}"
    attendu = voit(persona, objet)
    for lecture in ("participants", "compte-rendu", "pieces"):
        rep = client.get(f"{base}/{lecture}", **auth)
        assert rep.status_code == (200 if attendu else 404), (lecture, rep.content)
    if attendu:
        corps = client.get(f"{base}/compte-rendu", **auth).json()
        assert corps["texte"] == COMPTES_RENDUS[objet]
        assert corps["peut_rediger"] == anime(persona, objet)

    # The same write on the page and in the API: an invitation of the same person.
    invite = _invite()
    page = _page_post(
        client,
        comptes,
        persona,
        reverse("gouvernance:reunion-participant", args=[r.pk]),
        {"personne": "Aline Invitée", "presence": Presence.INVITE},
    )
    Participant.objects.filter(reunion=r, personne=invite).delete()
    rep = client.post(
        f"{base}/participants",
        {"personne": invite.email, "presence": Presence.INVITE},
        content_type=JSON,
        **auth,
    )
    if PERSONAS[persona] is None:
        assert (rep.status_code, page) == (401, 401)
    elif anime(persona, objet):
        assert (rep.status_code, page) == (201, 302), rep.content
    else:
        # Seen but not run: 403 in the API; not seen: 404; the page answers 404 to both.
        assert rep.status_code == (403 if attendu else 404), rep.content
        assert page == 404
    invites = Participant.objects.filter(reunion=r, personne=invite).count()
    assert invites == (1 if anime(persona, objet) else 0)


def test_un_participant_se_choisit_par_son_adresse_ou_son_nom_et_se_retire(client, monde):
    comptes, objets = monde
    r = objets["reunion_8401"]
    auth = _auth(comptes, "chef_8401")
    url = f"/api/v1/gouvernance/reunions/{r.pk}/participants"
    invite = _invite()
    rep = client.post(url, {"personne": "aline invitée"}, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    [p] = [x for x in rep.json() if x["personne"] == "Aline Invitée"]
    assert p["presence"] == "invite"
    # An organisation by its SIREN, as a participant of its own.
    siren = "507523678"
    Organisation.objects.filter(nom="Bpifrance").update(siren=siren)
    rep = client.post(url, {"organisation": siren}, content_type=JSON, **auth)
    assert rep.status_code == 201, rep.content
    assert siren in [x["siren"] for x in rep.json()]
    # Present, then: the same person, updated rather than invited twice.
    rep = client.post(
        url, {"personne": invite.email.upper(), "presence": "present"}, content_type=JSON, **auth
    )
    assert [x["presence"] for x in rep.json() if x["personne"] == "Aline Invitée"] == ["present"]
    # A name nobody bears, a SIREN of no organisation: the French message, nothing written.
    avant = r.participants.count()
    rep = client.post(url, {"personne": "Personne Inconnue"}, content_type=JSON, **auth)
    assert rep.status_code == 422
    assert rep.json()["detail"] == "Personne « Personne Inconnue » introuvable."
    rep = client.post(url, {"organisation": "000000000"}, content_type=JSON, **auth)
    assert rep.status_code == 422 and "introuvable" in rep.json()["detail"]
    assert r.participants.count() == avant
    # Withdrawn by whoever runs the body only.
    retrait = f"{url}/{p['id']}"
    assert client.delete(retrait).status_code == 401
    assert client.delete(retrait, **_auth(comptes, "etat_8401")).status_code == 403
    assert client.delete(retrait, **_auth(comptes, "chef_8408")).status_code == 404
    assert client.delete(retrait, **auth).status_code == 204
    assert not r.participants.filter(personne=invite).exists()
    assert client.delete(retrait, **auth).status_code == 404


def test_le_compte_rendu_sous_verrou_optimiste_n_ecrase_jamais(client, monde):
    comptes, objets = monde
    r = objets["reunion_8401"]
    auth = _auth(comptes, "chef_8401")
    url = f"/api/v1/gouvernance/reunions/{r.pk}/compte-rendu"
    lu = client.get(url, **auth).json()
    corps = {"texte": "Relevé complété.", "version": lu["version"]}
    assert client.put(url, corps, content_type=JSON).status_code == 401
    assert (
        client.put(url, corps, content_type=JSON, **_auth(comptes, "etat_8401")).status_code == 403
    )
    rep = client.put(url, corps, content_type=JSON, **auth)
    assert rep.status_code == 200, rep.content
    assert rep.json()["texte"] == "Relevé complété." and rep.json()["version"] != lu["version"]
    # A second writer who read the former version: 409 with the difference, nothing written.
    rep = client.put(
        url, {"texte": "Autre relevé.", "version": lu["version"]}, content_type=JSON, **auth
    )
    assert rep.status_code == 409
    assert rep.json()["differences"] == [
        {"champ": "texte", "votre_valeur": "Autre relevé.", "valeur_actuelle": "Relevé complété."}
    ]
    r.refresh_from_db()
    assert r.compte_rendu == "Relevé complété."


def test_une_piece_jointe_se_joint_se_telecharge_dans_le_perimetre_et_se_supprime(
    client, monde, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    comptes, objets = monde
    r = objets["reunion_8401"]
    auth = _auth(comptes, "chef_8401")
    url = f"/api/v1/gouvernance/reunions/{r.pk}/pieces"
    fichier = SimpleUploadedFile("ordre-du-jour.txt", b"Ordre du jour", "text/plain")
    rep = client.post(url, {"fichier": fichier, "nom": "ODJ"}, **auth)
    assert rep.status_code == 201, rep.content
    piece = rep.json()
    assert piece["nom"] == "ODJ" and piece["taille"] == len(b"Ordre du jour")
    lien = f"/api/v1/gouvernance/pieces/{piece['id']}"
    rep = client.get(lien, **_auth(comptes, "etat_8401"))
    assert rep.status_code == 200
    # Close the file without request_finished closing the test's connection (PostgreSQL).
    assert b"".join(rep.streaming_content) == b"Ordre du jour"
    request_finished.disconnect(close_old_connections)
    try:
        rep.close()
    finally:
        request_finished.connect(close_old_connections)
    assert client.get(lien, **_auth(comptes, "chef_8408")).status_code == 404
    assert client.get(lien).status_code == 404
    # Deleted by whoever runs the body; the file goes with it.
    assert client.delete(lien, **_auth(comptes, "etat_8401")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(lien, **auth).status_code == 204
    assert not PieceJointe.objects.filter(pk=piece["id"]).exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]


def test_une_piece_trop_lourde_est_refusee_comme_sur_la_page(client, monde, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    comptes, objets = monde
    r = objets["reunion_8401"]
    dix_mo = 10 * 1024 * 1024
    lourd = SimpleUploadedFile("cr.pdf", b"0" * (dix_mo + 1))
    rep = client.post(
        f"/api/v1/gouvernance/reunions/{r.pk}/pieces",
        {"fichier": lourd},
        **_auth(comptes, "chef_8401"),
    )
    assert rep.status_code == 422
    assert rep.json()["detail"] == "fichier : Le fichier dépasse la taille maximale de 10 Mo."
    assert not r.pieces.exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]


ANIMATEUR = {"reunion_8401": "chef_8401", "reunion_8408": "chef_8408", "copil_84": "pilote_84"}


@pytest.mark.parametrize(("persona", "objet"), CAS)
def test_reunion_point_et_decision_repondent_comme_les_pages(client, monde, persona, objet):
    """Per persona, the same answer from the pages and the API for a meeting of the body
    (entered after the fact at its real date), an item on its agenda and the decision on an
    item: done by whoever runs the body, 403 in the API (404 on the page) for whoever only
    sees it, 404 to anyone else, 401 without a token."""
    comptes, objets = monde
    r = objets[objet]
    auth = _auth(comptes, persona)
    vu, anime_ = voit(persona, objet), anime(persona, objet)

    def memes_reponses(page, rep, succes_api):
        if PERSONAS[persona] is None:
            assert (rep.status_code, page) == (401, 401)
        elif anime_:
            assert (rep.status_code, page) == (succes_api, 302), rep.content
        else:
            assert page == 404 and rep.status_code == (403 if vu else 404), rep.content

    avant = Reunion.objects.filter(comite=r.comite).count()
    page = _page_post(
        client,
        comptes,
        persona,
        reverse("gouvernance:comite", args=[r.comite_id]),
        {"jour": "2020-03-02", "heure": "09:30", "lieu": "Par la page"},
    )
    rep = client.post(
        f"/api/v1/gouvernance/comites/{r.comite_id}/reunions",
        {"debut": "2020-03-02T09:30:00", "lieu": "Par l'API"},
        content_type=JSON,
        **auth,
    )
    memes_reponses(page, rep, 201)
    assert Reunion.objects.filter(comite=r.comite).count() == avant + (2 if anime_ else 0)
    if anime_:
        assert rep.json()["debut"] == "2020-03-02T09:30:00+01:00"  # Paris, in winter

    page = _page_post(
        client,
        comptes,
        persona,
        reverse("gouvernance:reunion-point", args=[r.pk]),
        {"nature": NaturePoint.INFORMATION, "intitule": "Point par la page"},
    )
    rep = client.post(
        f"/api/v1/gouvernance/reunions/{r.pk}/points",
        {"nature": NaturePoint.INFORMATION, "intitule": "Point par l'API"},
        content_type=JSON,
        **auth,
    )
    memes_reponses(page, rep, 201)
    assert PointOrdreDuJour.objects.filter(reunion=r).count() == (2 if anime_ else 0)

    animateur = comptes[ANIMATEUR[objet]]
    p1, p2 = (
        services.ajouter_point(
            user=animateur, reunion=r, nature=NaturePoint.INFORMATION, intitule=f"Point {n}"
        )
        for n in (1, 2)
    )
    page = _page_post(
        client,
        comptes,
        persona,
        reverse("gouvernance:decision", args=[p1.pk]),
        {"texte": "Décidé par la page."},
    )
    rep = client.post(
        f"/api/v1/gouvernance/points/{p2.pk}/decision",
        {"texte": "Décidé par l'API."},
        content_type=JSON,
        **auth,
    )
    memes_reponses(page, rep, 201)
    decisions = DecisionReunion.objects.filter(point__in=[p1, p2])
    assert decisions.count() == (2 if anime_ else 0)
    if anime_:
        assert rep.json()["texte"] == "Décidé par l'API."
