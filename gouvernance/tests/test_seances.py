"""What the one who runs a body changes on a meeting besides its agenda, from the meeting's
page (the API does the same through gouvernance.seances): a participant withdrawn, an
attachment deleted, the minutes never overwritten by a stale form."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptes.models import Organisation, Personne
from gouvernance import seances, services

from .fabriques import gens, reunion_passee, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def g():
    return gens()


@pytest.fixture
def r8401(g):
    return reunion_passee(g["chef"], services.comite_local(territoire("8401")))


def _invite(g, r):
    p = Personne.objects.create(
        prenom="Aline",
        nom="Invitée",
        email="aline@exemple.fr",
        organisation=Organisation.objects.get(nom="Bpifrance"),
    )
    return seances.inviter(
        user=g["chef"], reunion=r, personne="Aline Invitée", presence="invite"
    ), p


def test_un_participant_se_retire_par_qui_anime_le_comite(client, g, r8401):
    participant, _ = _invite(g, r8401)
    url = reverse("gouvernance:participant-retirer", args=[participant.pk])
    client.force_login(g["etat"])  # sees the meeting, does not run the committee
    assert client.post(url).status_code == 404
    client.force_login(g["chef8408"])  # does not see it
    assert client.post(url).status_code == 404
    assert r8401.participants.filter(pk=participant.pk).exists()
    client.force_login(g["chef"])
    page = unescape(client.get(reverse("gouvernance:reunion", args=[r8401.pk])).content.decode())
    assert "Retirer Aline Invitée" in page
    r = client.post(url, follow=True)
    assert "Participant retiré." in unescape(r.content.decode())
    assert not r8401.participants.filter(pk=participant.pk).exists()


def test_une_piece_jointe_se_supprime_avec_son_fichier(
    client, g, r8401, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    piece = services.joindre_piece(
        user=g["chef"], reunion=r8401, fichier=SimpleUploadedFile("odj.txt", b"ODJ"), nom="ODJ"
    )
    url = reverse("gouvernance:piece-supprimer", args=[piece.pk])
    client.force_login(g["etat"])
    assert client.post(url).status_code == 404
    client.force_login(g["chef"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not r8401.pieces.exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]


def test_le_compte_rendu_d_un_formulaire_perime_n_ecrase_pas_le_plus_recent(client, g, r8401):
    client.force_login(g["chef"])
    page = client.get(reverse("gouvernance:reunion", args=[r8401.pk])).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    # Another member of the team writes the minutes meanwhile.
    seances.rediger_compte_rendu(user=g["chef"], reunion=r8401, texte="Relevé A.", version=version)
    url = reverse("gouvernance:reunion-compte-rendu", args=[r8401.pk])
    r = client.post(url, {"texte": "Relevé B.", "version": version}, follow=True)
    assert "rien n'a été écrasé" in unescape(r.content.decode())
    r8401.refresh_from_db()
    assert r8401.compte_rendu == "Relevé A."
    courante = seances.version_du_compte_rendu(r8401)
    client.post(url, {"texte": "Relevé B.", "version": courante})
    r8401.refresh_from_db()
    assert r8401.compte_rendu == "Relevé B."
