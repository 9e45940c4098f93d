"""Meetings postponed or cancelled (participants notified) and their calendar files, in the
Europe/Paris time zone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from comptes.services import ConflitEdition
from gouvernance import agenda, reunions, services
from gouvernance.enums import NaturePoint, ObjetDecision
from notifications.enums import Frequence, Nature
from notifications.models import Preference

from .fabriques import gens, reunion_passee, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def g():
    return gens()


@pytest.fixture
def a_venir(g):
    debut = timezone.now().replace(microsecond=0) + timedelta(days=10)
    r = services.planifier_reunion(
        user=g["chef"], comite=services.comite_local(territoire("8401")), debut=debut, lieu="Mairie"
    )
    services.inviter(user=g["chef"], reunion=r, personne=g["etat"].personne)
    Preference.objects.create(
        utilisateur=g["etat"], nature=Nature.REUNION, frequence=Frequence.IMMEDIAT
    )
    return r


def _ics(r) -> str:
    return agenda.calendrier([r], nom=str(r)).decode()


def test_une_reunion_reportee_prend_sa_nouvelle_date_et_les_invites_sont_prevenus(
    g, a_venir, django_capture_on_commit_callbacks
):
    ancien = a_venir.debut
    nouveau = ancien + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        r = reunions.reporter(user=g["chef"], reunion=a_venir, debut=nouveau, sequence=0)
    assert r.debut == nouveau and r.reportee_du == ancien and r.sequence == 1
    [m] = [m for m in mail.outbox if m.to == [g["etat"].email]]
    assert "Réunion modifiée" in m.subject
    assert f"{timezone.localtime(nouveau):%d/%m/%Y à %H:%M}" in m.body
    # Someone else's page still shows the former date: refused, nothing overwritten.
    with pytest.raises(ConflitEdition):
        reunions.reporter(
            user=g["chef"], reunion=a_venir, debut=nouveau + timedelta(days=1), sequence=0
        )
    with pytest.raises(ValidationError, match="nouvelle date"):
        reunions.reporter(user=g["chef"], reunion=r, debut=nouveau)


def test_une_reunion_annulee_dit_son_motif_et_les_invites_sont_prevenus(
    g, a_venir, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError, match="pourquoi"):
        reunions.annuler(user=g["chef"], reunion=a_venir, motif="  ")
    with django_capture_on_commit_callbacks(execute=True):
        r = reunions.annuler(user=g["chef"], reunion=a_venir, motif="Quorum non atteint")
    assert r.annulee and r.motif_annulation == "Quorum non atteint"
    [m] = [m for m in mail.outbox if m.to == [g["etat"].email]]
    assert m.subject.endswith("Réunion annulée : " + r.nom_comite)
    assert "Quorum non atteint" in m.body
    with pytest.raises(ValidationError, match="annulée"):
        reunions.reporter(user=g["chef"], reunion=r, debut=r.debut + timedelta(days=1))


def test_le_fichier_ics_porte_le_fuseau_europe_paris(g, a_venir):
    texte = _ics(a_venir)
    assert "BEGIN:VTIMEZONE" in texte and "TZID:Europe/Paris" in texte
    assert "DTSTART;TZID=Europe/Paris:" in texte
    ev = Calendar.from_ical(texte).walk("VEVENT")[0]
    assert ev["DTSTART"].dt == a_venir.debut
    assert str(ev["DTSTART"].dt.tzinfo) == "Europe/Paris"
    assert ev["STATUS"] == "CONFIRMED" and int(ev["SEQUENCE"]) == 0


def test_le_fichier_ics_d_une_reunion_annulee_dit_cancelled_avec_une_sequence_augmentee(g, a_venir):
    r = reunions.reporter(user=g["chef"], reunion=a_venir, debut=a_venir.debut + timedelta(1))
    r = reunions.annuler(user=g["chef"], reunion=r, motif="Grève des transports")
    ev = Calendar.from_ical(_ics(r)).walk("VEVENT")[0]
    assert ev["STATUS"] == "CANCELLED"
    assert int(ev["SEQUENCE"]) == 2
    assert "Grève des transports" in str(ev["DESCRIPTION"])


def test_une_reunion_tenue_ne_se_reporte_ni_ne_s_annule(g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    p = services.ajouter_point(
        user=g["chef"], reunion=r, nature=NaturePoint.INFORMATION, intitule="Bilan"
    )
    services.decider(user=g["chef"], reunion=r, point=p, objet=ObjetDecision.AUTRE, texte="Vu")
    with pytest.raises(ValidationError, match="elle a eu lieu"):
        reunions.reporter(user=g["chef"], reunion=r, debut=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError, match="elle a eu lieu"):
        reunions.annuler(user=g["chef"], reunion=r, motif="Erreur")


def test_seule_l_equipe_qui_anime_reporte_ou_annule(g, a_venir):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reunions.annuler(user=g["chef8408"], reunion=a_venir, motif="Non")
