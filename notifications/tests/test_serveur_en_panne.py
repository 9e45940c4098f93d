"""A failing mail server loses no notification and breaks no request: real requests, real
commits, a real SMTP backend pointed at a closed port of this machine (or at a server that
refuses), then the daily command once the server is back."""

import socket
import threading

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.enums import Frequence, Nature
from notifications.models import Notification, Preference
from notifications.tests.fabriques import fiche_de, jour, monde

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def donnees(shipped_data, restore_shipped_data):
    shipped_data.restore()  # an earlier transactional test flushed the shipped map


def port_ferme() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when this returns: connection refused


@pytest.fixture(params=["port fermé", "serveur qui refuse"])
def port_en_panne(request):
    """A closed port, or a server that answers every connection « 421 » and hangs up (the
    backend raises SMTPConnectError)."""
    if request.param == "port fermé":
        yield port_ferme()
        return
    ecoute = socket.socket()
    ecoute.bind(("127.0.0.1", 0))
    ecoute.listen()

    def servir():
        while True:
            try:
                conn, _ = ecoute.accept()
            except OSError:
                return  # closed at the end of the test
            with conn:
                conn.sendall(b"421 Service indisponible\r\n")

    fil = threading.Thread(target=servir, daemon=True)
    fil.start()
    yield ecoute.getsockname()[1]
    ecoute.close()
    fil.join(timeout=5)


def test_un_serveur_en_panne_ne_perd_rien_et_la_requete_aboutit(
    donnees, client, settings, port_en_panne
):
    w = monde()
    Preference.objects.create(
        utilisateur=w["chef"], nature=Nature.EXAMEN, frequence=Frequence.IMMEDIAT
    )
    f = fiche_de(w)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port_en_panne
    settings.EMAIL_TIMEOUT = 2
    # The bearer submits its fiche: the team, who runs the committee, wants to know at once.
    client.force_login(w["dirigeant"])
    r = client.post(f"/fiches/{f.uuid}/mouvement/soumettre/", {"date_effet": jour(0).isoformat()})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.etat == "soumise"
    gardee = Notification.objects.get(destinataire=w["chef"])
    assert gardee.immediate and gardee.envoyee_le is None
    assert gardee.tentatives == 1
    assert gardee.erreur  # the backend's error, kept for the staff
    # The digest's people are written too, waiting for the morning.
    assert Notification.objects.filter(destinataire=w["etat"], immediate=False).exists()
    client.force_login(w["chef"])
    assert client.get("/travail/").status_code == 200
    # The server is back: the morning's command sends what was kept, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("envoyer_recapitulatif")
    [m] = [m for m in mail.outbox if m.to == [w["chef"].email]]
    assert f.reference in m.subject
    assert not Notification.objects.filter(envoyee_le__isnull=True).exists()
    mail.outbox.clear()
    call_command("envoyer_recapitulatif")
    assert mail.outbox == []
