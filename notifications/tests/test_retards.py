"""The daily command finds the lines past their target over the whole programme and tells
each concerned person once per line and target, by their preference; a failing mail server
loses nothing."""

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.enums import Frequence, Nature
from notifications.models import Notification, Preference
from notifications.tests.fabriques import fiche_de, jour, jusqu_a, monde
from notifications.tests.test_serveur_en_panne import port_ferme
from suivi import services as suivi

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = monde()
    # Submitted 100 days ago, in instruction since: Bpifrance's decision is 70 days late.
    w["f"] = jusqu_a(w, fiche_de(w), "avis_copil")
    suivi.enregistrer_cible(user=w["national"], donnees={"jours_decision": 30})
    mail.outbox.clear()
    return w


def recus(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def retards_de(user):
    return Notification.objects.filter(destinataire=user, nature=Nature.RETARD)


def test_le_delai_depasse_est_notifie_par_la_commande_quotidienne_a_qui_decide_la_ligne(w):
    call_command("envoyer_recapitulatif")
    [n] = retards_de(w["bpi"])
    assert w["f"].reference in n.titre
    assert "la ligne de Bpifrance attend la décision" in n.texte
    assert f"au plus tard le {jour(30):%d/%m/%Y}" in n.texte
    # And to the fiche's team; nobody outside the territory is told.
    assert retards_de(w["chef"]).count() == 1
    assert not retards_de(w["chef_autre"]).exists()
    assert not retards_de(w["national"]).exists()


def test_un_delai_depasse_n_est_notifie_qu_une_fois_d_une_execution_a_l_autre(w):
    call_command("envoyer_recapitulatif")
    ecrites = Notification.objects.filter(nature=Nature.RETARD).count()
    assert ecrites >= 2
    mail.outbox.clear()
    call_command("envoyer_recapitulatif")
    assert Notification.objects.filter(nature=Nature.RETARD).count() == ecrites
    assert mail.outbox == []


def test_une_cible_deplacee_est_un_nouveau_depassement(w):
    call_command("envoyer_recapitulatif")
    cible = suivi.CibleDelai.objects.get()
    suivi.enregistrer_cible(
        user=w["national"], cible=cible, version=cible.version, donnees={"jours_decision": 40}
    )
    call_command("envoyer_recapitulatif")
    assert retards_de(w["bpi"]).count() == 2


def test_pas_de_notification_tant_que_la_cible_n_est_pas_depassee(w):
    cible = suivi.CibleDelai.objects.get()
    suivi.enregistrer_cible(
        user=w["national"], cible=cible, version=cible.version, donnees={"jours_decision": 200}
    )
    call_command("envoyer_recapitulatif")
    assert not Notification.objects.filter(nature=Nature.RETARD).exists()


@pytest.mark.parametrize("frequence", list(Frequence))
def test_le_delai_depasse_suit_la_preference_de_chacun(w, frequence):
    Preference.objects.create(utilisateur=w["bpi"], nature=Nature.RETARD, frequence=frequence)
    call_command("envoyer_recapitulatif")
    if frequence == Frequence.AUCUN:
        assert not retards_de(w["bpi"]).exists()
        assert recus(w["bpi"]) == []
        return
    [n] = retards_de(w["bpi"])
    assert n.envoyee_le is not None
    [m] = recus(w["bpi"])
    if frequence == Frequence.IMMEDIAT:
        assert n.immediate
        assert m.subject.endswith(f"Délai cible dépassé : fiche {w['f'].reference}")
    else:  # in this morning's digest, under its kind
        assert not n.immediate
        assert "récapitulatif" in m.subject
        assert Nature.RETARD.label in m.body


def test_un_serveur_en_panne_ne_perd_aucun_delai_depasse(w, settings):
    Preference.objects.create(
        utilisateur=w["bpi"], nature=Nature.RETARD, frequence=Frequence.IMMEDIAT
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port_ferme(), 2
    call_command("envoyer_recapitulatif")
    [n] = retards_de(w["bpi"])
    assert n.envoyee_le is None and n.tentatives >= 1 and n.erreur
    assert retards_de(w["chef"]).get().envoyee_le is None  # its digest, kept too
    # The server is back: the next run sends what was kept, and writes nothing twice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("envoyer_recapitulatif")
    assert retards_de(w["bpi"]).get().envoyee_le is not None
    assert len(recus(w["bpi"])) == 1
    assert not Notification.objects.filter(envoyee_le__isnull=True).exists()
