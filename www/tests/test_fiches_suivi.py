"""Execution follow-up on the fiche page: phase, status and dated notes, indicators' measures,
attachments (upload, list, checked download). Fiches are built through fiches.services like the
pages do; inscription is set directly, the path to it being tested in fiches/tests."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from comptes.enums import Role
from comptes.tests.fabriques import entreprise, personne, territoire
from fiches import services
from fiches.enums import Etat, PhaseExecution, StatutExecution
from fiches.models import FicheAction, Indicateur, NoteSuivi, PieceJointe, ValeurIndicateur
from mesures.enums import Axe

pytestmark = pytest.mark.django_db

FORMULAIRE_SUIVI = "Mettre à jour le suivi d'exécution"
DIX_MO = 10 * 1024 * 1024


def texte(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def monde():
    t8401 = territoire("8401")
    firme = entreprise("8401")
    return {
        "firme": firme,
        "chef": personne("chef.8401@essai.fr", Role.CHEF_PROJET, territoire=t8401),
        "chef8408": personne("chef.8408@essai.fr", Role.CHEF_PROJET, territoire=territoire("8408")),
        "national": personne("national@essai.fr", Role.NATIONAL),
        "dirigeant": personne("dirigeant@essai.fr", Role.PORTEUR, organisation=firme),
    }


def creer(w, *, inscrite=True, **donnees) -> FicheAction:
    fiche = services.creer_fiche(
        user=w["chef"],
        territoire=territoire("8401"),
        donnees={
            "titre": "Atelier partagé de prototypage",
            "axe": Axe.INNOVER,
            "porteur": w["firme"],
            **donnees,
        },
    )
    if inscrite:
        FicheAction.objects.filter(pk=fiche.pk).update(etat=Etat.INSCRITE)
        fiche.refresh_from_db()
    return fiche


def url(fiche, suite: str = "") -> str:
    return f"/fiches/{fiche.uuid}/{suite}"


# --- Phase, status, dated note ---------------------------------------------------------------


def test_suivi_par_le_chef_de_projet_phase_statut_et_note_datee(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    html = client.get(url(fiche)).content.decode()
    assert FORMULAIRE_SUIVI in html
    options = re.search(r'<select name="suivi-statut".*?</select>', html, re.S).group(0)
    assert "En pause" in options and "En retard" not in options
    assert "« En retard » ne se choisit pas : il se déduit du calendrier" in texte(html)

    r = client.post(
        url(fiche, "suivi/"),
        {
            "suivi-phase": PhaseExecution.ETUDE,
            "suivi-statut": StatutExecution.EN_PAUSE,
            "suivi-date": "2024-03-15",
            "suivi-texte": "Étude de faisabilité confiée au cabinet retenu.",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("#suivi")
    fiche.refresh_from_db()
    assert fiche.phase_execution == PhaseExecution.ETUDE
    assert fiche.statut_execution == StatutExecution.EN_PAUSE
    note = NoteSuivi.objects.get(fiche=fiche)
    assert note.date == date(2024, 3, 15) and note.auteur == w["chef"]

    page = texte(client.get(url(fiche)).content.decode())
    assert "Phase Étude Statut En pause" in page
    assert "15/03/2024 — Étude de faisabilité confiée au cabinet retenu." in page
    assert "Suivi d'exécution enregistré." in page


def test_en_retard_se_deduit_du_calendrier_et_ne_se_choisit_pas(client, monde):
    w = monde
    fiche = creer(w, date_debut=date(2020, 1, 1), date_fin=date(2021, 12, 31))
    client.force_login(w["chef"])
    r = client.post(url(fiche, "suivi/"), {"suivi-statut": StatutExecution.EN_COURS})
    assert r.status_code == 302
    page = texte(client.get(url(fiche)).content.decode())
    assert "Statut En retard (déduit du calendrier : la fin prévue, le 31/12/2021" in page

    r = client.post(url(fiche, "suivi/"), {"suivi-statut": "En retard", "suivi-texte": "Note"})
    assert r.status_code == 200
    page = texte(r.content.decode())
    assert "Rien n'a été enregistré" in page
    assert "Choisissez un statut de la liste ; « En retard » se déduit du calendrier." in page
    fiche.refresh_from_db()
    assert fiche.statut_execution == StatutExecution.EN_COURS
    assert not NoteSuivi.objects.filter(fiche=fiche).exists()


def test_suivi_vide_ou_date_future_refuse_en_francais_sans_rien_enregistrer(client, monde):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    vide = texte(client.post(url(fiche, "suivi/"), {"suivi-phase": ""}).content.decode())
    assert "Rien à enregistrer : choisissez une phase ou un statut, ou rédigez une note." in vide
    demain = (timezone.localdate() + timedelta(days=1)).isoformat()
    futur = client.post(url(fiche, "suivi/"), {"suivi-date": demain, "suivi-texte": "Plus tard"})
    assert "La date de la note ne peut pas être dans le futur." in texte(futur.content.decode())
    assert not NoteSuivi.objects.filter(fiche=fiche).exists()


def test_delegation_nationale_ne_voit_aucun_formulaire_et_recoit_404(client, monde):
    w = monde
    fiche = creer(w)
    indicateur = Indicateur.objects.create(fiche=fiche, libelle="Emplois", unite="ETP")
    for qui in ("national", "chef8408"):
        client.force_login(w[qui])
        html = client.get(url(fiche)).content.decode()
        assert FORMULAIRE_SUIVI not in html
        assert "Ajouter la mesure" not in html and "Ajouter une pièce jointe" not in html
        r = client.post(url(fiche, "suivi/"), {"suivi-statut": StatutExecution.BLOQUE})
        assert r.status_code == 404
        r = client.post(
            url(fiche, f"indicateurs/{indicateur.pk}/mesure/"),
            {f"mesure-{indicateur.pk}-date": "2024-01-31", f"mesure-{indicateur.pk}-valeur": "3"},
        )
        assert r.status_code == 404
        fichier = SimpleUploadedFile("note.txt", b"contenu")
        r = client.post(
            url(fiche, "pieces-jointes/"), {"piece-titre": "N", "piece-fichier": fichier}
        )
        assert r.status_code == 404
    fiche.refresh_from_db()
    assert fiche.statut_execution == ""
    assert not ValeurIndicateur.objects.exists() and not PieceJointe.objects.exists()


def test_fiche_brouillon_refuse_le_suivi_avec_le_message_en_francais(client, monde):
    w = monde
    fiche = creer(w, inscrite=False)
    client.force_login(w["chef"])
    assert FORMULAIRE_SUIVI not in client.get(url(fiche)).content.decode()
    r = client.post(
        url(fiche, "suivi/"),
        {"suivi-phase": PhaseExecution.OPERATION, "suivi-texte": "Travaux lancés."},
    )
    assert r.status_code == 200
    assert "Le suivi d'exécution commence à l'inscription au contrat." in texte(r.content.decode())
    fiche.refresh_from_db()
    assert fiche.phase_execution == "" and not NoteSuivi.objects.filter(fiche=fiche).exists()


# --- Indicators ------------------------------------------------------------------------------


def test_une_mesure_apparait_dans_la_serie_avec_la_cible(client, monde):
    w = monde
    fiche = creer(w)
    ind = Indicateur.objects.create(
        fiche=fiche, libelle="Emplois créés", unite="ETP", cible=Decimal("20")
    )
    client.force_login(w["dirigeant"])
    champs = {"date": f"mesure-{ind.pk}-date", "valeur": f"mesure-{ind.pk}-valeur"}
    avant = texte(client.get(url(fiche)).content.decode())
    assert "Emplois créés Unité : ETP — cible : 20 ETP Pas encore mesuré." in avant

    r = client.post(
        url(fiche, f"indicateurs/{ind.pk}/mesure/"),
        {champs["date"]: "2024-06-30", champs["valeur"]: "12,5"},
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#indicateur-{ind.pk}")
    assert ind.valeurs.get().valeur == Decimal("12.5")
    page = texte(client.get(url(fiche)).content.decode())
    assert "Date Valeur (ETP) 30/06/2024 12,5" in page

    r = client.post(
        url(fiche, f"indicateurs/{ind.pk}/mesure/"),
        {champs["date"]: "", champs["valeur"]: "douze"},
    )
    erreurs = texte(r.content.decode())
    assert "Indiquez la date de la mesure." in erreurs
    assert "Saisissez un nombre, par exemple 12 ou 12,5." in erreurs
    assert ind.valeurs.count() == 1


def test_mesure_refusee_tant_que_la_fiche_n_est_pas_inscrite(client, monde):
    w = monde
    fiche = creer(w, inscrite=False)
    ind = Indicateur.objects.create(fiche=fiche, libelle="Emplois créés", unite="ETP")
    client.force_login(w["chef"])
    r = client.post(
        url(fiche, f"indicateurs/{ind.pk}/mesure/"),
        {f"mesure-{ind.pk}-date": "2024-06-30", f"mesure-{ind.pk}-valeur": "4"},
    )
    assert "La mesure des indicateurs commence à l'inscription au contrat." in texte(
        r.content.decode()
    )
    assert not ind.valeurs.exists()


# --- Attachments -----------------------------------------------------------------------------


@pytest.fixture
def medias(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_piece_jointe_deposee_puis_telechargee_et_404_hors_du_territoire(client, monde, medias):
    w = monde
    fiche = creer(w, inscrite=False)  # a draft: only its territory and its bearer see it
    client.force_login(w["dirigeant"])
    contenu = b"Devis de la machine de prototypage."
    r = client.post(
        url(fiche, "pieces-jointes/"),
        {
            "piece-titre": "Devis du fournisseur",
            "piece-fichier": SimpleUploadedFile("devis.txt", contenu, "text/plain"),
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("#pieces-jointes")
    piece = PieceJointe.objects.get(fiche=fiche)
    assert piece.ajoute_par == w["dirigeant"]
    assert (medias / piece.fichier.name).read_bytes() == contenu

    client.force_login(w["chef"])
    html = client.get(url(fiche)).content.decode()
    lien = url(fiche, f"pieces-jointes/{piece.pk}/")
    assert f'href="{lien}"' in html and "Devis du fournisseur" in html
    r = client.get(lien)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == contenu
    assert r["Content-Disposition"].startswith("attachment;")
    assert "private" in r["Cache-Control"]

    client.force_login(w["chef8408"])
    assert client.get(lien).status_code == 404
    client.logout()
    r = client.get(lien)
    assert r.status_code == 302 and "/connexion/" in r["Location"]


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("vide.pdf", b"", "Le fichier est vide."),
        ("lourd.pdf", b"0" * (DIX_MO + 1), "Le fichier dépasse la taille maximale de 10 Mo."),
    ],
)
def test_piece_jointe_vide_ou_trop_lourde_refusee(client, monde, medias, nom, contenu, message):
    w = monde
    fiche = creer(w)
    client.force_login(w["chef"])
    r = client.post(
        url(fiche, "pieces-jointes/"),
        {"piece-titre": "Plan", "piece-fichier": SimpleUploadedFile(nom, contenu)},
    )
    assert r.status_code == 200
    page = texte(r.content.decode())
    assert "Rien n'a été enregistré" in page and message in page
    assert not PieceJointe.objects.exists()
    assert not any(medias.rglob("*.pdf"))


def test_service_ajouter_piece_jointe_verifie_droit_et_taille(monde, medias):
    w = monde
    fiche = creer(w)
    with pytest.raises(PermissionDenied):
        services.ajouter_piece_jointe(
            user=w["national"], fiche=fiche, titre="Plan", fichier=SimpleUploadedFile("a", b"1")
        )
    with pytest.raises(ValidationError) as exc:
        services.ajouter_piece_jointe(
            user=w["chef"],
            fiche=fiche,
            titre=" ",
            fichier=SimpleUploadedFile("a.pdf", b"0" * (DIX_MO + 1)),
        )
    assert exc.value.message_dict == {
        "titre": ["Donnez un titre à la pièce jointe."],
        "fichier": ["Le fichier dépasse la taille maximale de 10 Mo."],
    }
    piece = services.ajouter_piece_jointe(
        user=w["dirigeant"], fiche=fiche, titre=" Plan ", fichier=SimpleUploadedFile("a.txt", b"1")
    )
    assert piece.titre == "Plan"
