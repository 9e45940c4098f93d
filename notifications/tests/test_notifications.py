"""E-mail notifications: one test per event and per preference, the digest, and what a mail
never carries (an amount)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from contrats import cycle as cycle_contrats
from contrats.tests.fabriques import contrat_pret
from financements.models import Engagement, Paiement
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint
from notifications.enums import Frequence, Nature
from notifications.models import Notification, Preference
from notifications.retards import Depassement, notifier_depassements
from notifications.tests.fabriques import (
    MONTANT_BPI,
    avis_copil,
    avis_local,
    decider,
    fiche_de,
    jour,
    jusqu_a,
    monde,
    soumettre,
)
from territoires.selectors import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return monde()


@pytest.fixture
def apres_commit(django_capture_on_commit_callbacks):
    """Runs what the writes leave for after their commit, as a request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def choisir(user, nature, frequence):
    Preference.objects.create(utilisateur=user, nature=nature, frequence=frequence)


def tout_immediat(*users):
    for u in users:
        for nature in Nature:
            choisir(u, nature, Frequence.IMMEDIAT)


def recus(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def html(message) -> str:
    [(contenu, type_)] = message.alternatives
    assert type_ == "text/html"
    return contenu


# --- Each event ------------------------------------------------------------------------------


def test_une_fiche_soumise_au_comite_local_est_annoncee_a_ceux_qui_y_siegent(w, apres_commit):
    tout_immediat(w["etat"], w["pilote"], w["chef"], w["bpi"], w["chef_autre"])
    f = fiche_de(w)
    with apres_commit():
        soumettre(w, f)
    [m] = recus(w["etat"])
    assert m.subject == (
        "[Territoires d'industrie] Fiche soumise au comité de projet local : " + f.reference
    )
    assert f.titre in m.body and f"http://testserver/fiches/{f.uuid}/" in m.body
    assert f'href="http://testserver/fiches/{f.uuid}/"' in html(m)
    assert len(recus(w["pilote"])) == 1  # the Région sits on the local committees
    # The author is not told what they did; nobody outside the committee hears of it.
    assert recus(w["chef"]) == recus(w["bpi"]) == recus(w["chef_autre"]) == []


def test_une_fiche_au_copil_est_annoncee_a_ses_membres_et_la_decision_a_son_porteur(
    w, apres_commit
):
    tout_immediat(w["pilote"], w["bpi"], w["dirigeant"], w["chef_autre"])
    f = jusqu_a(w, fiche_de(w), "soumettre")
    with apres_commit():
        avis_local(w, f)
    [examen] = recus(w["pilote"])
    assert "Fiche soumise au comité de pilotage régional" in examen.subject
    assert len(recus(w["bpi"])) == 1  # sits on the COPIL and is asked for money
    [decision] = recus(w["dirigeant"])
    assert "Décision sur la fiche" in decision.subject
    assert "avis favorable" in decision.body
    assert "Examen par le comité de pilotage régional" in decision.body
    assert recus(w["chef_autre"]) == []


def test_la_decision_d_un_financeur_sur_sa_ligne_est_annoncee_a_la_fiche(w, apres_commit):
    tout_immediat(w["chef"], w["dirigeant"], w["etat"])
    f = jusqu_a(w, fiche_de(w), "avis_copil")
    mail.outbox.clear()
    with apres_commit():
        decider(w, f)
    assert any("Bpifrance : ligne accordée" in m.body for m in recus(w["chef"]))
    # The last funder's decision makes the fiche ready to arbitrate.
    assert any(m.subject.endswith(f"Fiche à arbitrer : {f.reference}") for m in recus(w["etat"]))


def test_l_instruction_annonce_a_chaque_financeur_la_ligne_qui_l_attend(w, apres_commit):
    tout_immediat(w["bpi"], w["dirigeant"])
    f = jusqu_a(w, fiche_de(w), "avis_local")
    with apres_commit():
        avis_copil(w, f)
    [m] = recus(w["bpi"])
    assert m.subject.endswith(f"Ligne à instruire : fiche {f.reference}")


def test_une_signature_attendue(w, apres_commit):
    p = {"chef": w["chef"], "pilote": w["pilote"], "bpi": w["bpi"]}
    c = contrat_pret(p, t=w["t"], chef=w["chef"])
    mail.outbox.clear()
    with apres_commit():
        cycle_contrats.valider(user=w["pilote"], document=c, date=today())
    # « Immédiat » by default for a signature awaited.
    [m] = recus(w["pilote"])
    assert m.subject.startswith("[Territoires d'industrie] Signature attendue : Contrat")
    assert "Président" in m.body
    [m] = recus(w["etat"])
    assert "Préfète de l'Ardèche, Préfète" in m.body
    assert recus(w["chef_autre"]) == recus(w["bpi"]) == []


def test_une_invitation_puis_un_changement_de_reunion(w, apres_commit):
    tout_immediat(w["etat"])
    debut = timezone.now() + timedelta(days=10)
    r = gouvernance.planifier_reunion(user=w["chef"], comite=w["local"], debut=debut, lieu="Mairie")
    with apres_commit():
        gouvernance.inviter(user=w["chef"], reunion=r, personne=w["etat"].personne)
    [m] = recus(w["etat"])
    assert m.subject.endswith("Invitation : Comité de projet local — " + w["t"].nom)
    assert "Mairie" in m.body
    mail.outbox.clear()
    r.debut = debut + timedelta(days=1)
    r.lieu = "Hôtel de ville"
    with apres_commit():
        r.save()
        gouvernance.ajouter_point(
            user=w["chef"], reunion=r, nature=NaturePoint.INFORMATION, intitule="Budget"
        )
    changement, point = recus(w["etat"])
    assert "lieu : Mairie → Hôtel de ville" in changement.body
    assert "date : " in changement.body
    assert "point ajouté, « Budget »" in point.body
    # A report written after the meeting changes nothing the invited need to hear about.
    mail.outbox.clear()
    with apres_commit():
        r.compte_rendu = "Notes."
        r.save(update_fields=["compte_rendu", "modifie_le"])
    assert mail.outbox == []


def test_une_reunion_passee_n_invite_personne(w, apres_commit):
    tout_immediat(w["etat"])
    r = gouvernance.planifier_reunion(
        user=w["chef"], comite=w["local"], debut=timezone.now() - timedelta(days=2)
    )
    with apres_commit():
        gouvernance.inviter(user=w["chef"], reunion=r, personne=w["etat"].personne)
    assert mail.outbox == []


def test_engagement_et_paiement_sont_annonces_sans_leur_montant(w, apres_commit):
    tout_immediat(w["chef"], w["dirigeant"], w["bpi"])
    f = jusqu_a(w, fiche_de(w), "retenir")
    ligne = f.lignes.get(financeur__nom="Bpifrance")
    mail.outbox.clear()
    with apres_commit():
        e = Engagement.objects.create(
            ligne=ligne, date=jour(50), montant=MONTANT_BPI, convention="CV-12", par=w["bpi"]
        )
        Paiement.objects.create(engagement=e, date=jour(60), montant=MONTANT_BPI, par=w["bpi"])
    engagement, paiement = recus(w["dirigeant"])
    assert "Engagement enregistré" in engagement.subject and "CV-12" in engagement.body
    assert f"daté du {jour(60):%d/%m/%Y}" in paiement.body
    assert len(recus(w["chef"])) == 2
    assert recus(w["bpi"]) == []  # its own entries


def test_un_delai_depasse_une_seule_fois(w, apres_commit):
    tout_immediat(w["bpi"], w["chef"])
    f = jusqu_a(w, fiche_de(w), "avis_copil")
    ligne = f.lignes.get(financeur__nom="Bpifrance")
    mail.outbox.clear()
    d = Depassement(ligne=ligne, etape="la décision", echeance=jour(80))
    # On the funder's referent who decides, told to the fiche's team and bearer too.
    assert notifier_depassements([d]) == 3
    assert notifier_depassements([d]) == 0  # seen again the next morning: nothing new
    [m] = recus(w["bpi"])
    assert "Délai cible dépassé" in m.subject
    assert f"au plus tard le {jour(80):%d/%m/%Y}" in m.body
    assert len(recus(w["chef"])) == 1
    assert recus(w["dirigeant"]) == []  # « quotidien » by default: in tomorrow's digest


# --- Each preference -------------------------------------------------------------------------


@pytest.mark.parametrize("frequence", list(Frequence))
def test_chaque_preference(w, apres_commit, frequence):
    choisir(w["etat"], Nature.EXAMEN, frequence)
    f = fiche_de(w)
    with apres_commit():
        soumettre(w, f)
    ecrites = Notification.objects.filter(destinataire=w["etat"])
    if frequence == Frequence.IMMEDIAT:
        assert len(recus(w["etat"])) == 1
        assert ecrites.get().envoyee_le is not None
    elif frequence == Frequence.QUOTIDIEN:
        assert recus(w["etat"]) == []
        assert ecrites.get().envoyee_le is None
        call_command("envoyer_recapitulatif")
        [m] = recus(w["etat"])
        assert "récapitulatif" in m.subject
        assert ecrites.get().envoyee_le is not None
    else:
        assert recus(w["etat"]) == []
        assert not ecrites.exists()
        call_command("envoyer_recapitulatif")
        assert recus(w["etat"]) == []


def test_par_defaut_une_fiche_soumise_attend_le_recapitulatif(w, apres_commit):
    f = fiche_de(w)
    with apres_commit():
        soumettre(w, f)
    assert mail.outbox == []
    assert Notification.objects.filter(destinataire=w["etat"], immediate=False).count() == 1


# --- The digest ------------------------------------------------------------------------------


def test_le_recapitulatif_groupe_les_notifications_de_chacun_par_sorte(w, apres_commit):
    f1, f2 = fiche_de(w, titre="Première action"), fiche_de(w, titre="Seconde action")
    debut = timezone.now() + timedelta(days=10)
    r = gouvernance.planifier_reunion(user=w["chef"], comite=w["local"], debut=debut)
    with apres_commit():
        soumettre(w, f1)
        soumettre(w, f2)
        gouvernance.inviter(user=w["chef"], reunion=r, personne=w["etat"].personne)
    assert mail.outbox == []
    out = []
    call_command("envoyer_recapitulatif", stdout=type("S", (), {"write": out.append})())
    [m] = recus(w["etat"])  # one e-mail for the three notifications
    assert m.subject.endswith(f"Votre récapitulatif du {today():%d/%m/%Y} : 3 notifications")
    corps = m.body
    examen = corps.index(Nature.EXAMEN.label)
    reunion = corps.index(Nature.REUNION.label)
    assert examen < corps.index("Première action") < corps.index("Seconde action") < reunion
    assert f"== {Nature.EXAMEN.label} (2) ==" in corps
    assert f"{escape(Nature.REUNION.label)} (1)" in html(m)
    assert len(recus(w["pilote"])) == 1  # each person their own
    # Sent: the next run has nothing more.
    mail.outbox.clear()
    call_command("envoyer_recapitulatif", stdout=type("S", (), {"write": out.append})())
    assert mail.outbox == []
    assert "0 récapitulatif(s) envoyé(s) ; 0 notification(s) encore en attente" in out[-1]


def test_aucun_courriel_ne_porte_de_montant(w, apres_commit):
    tout_immediat(w["chef"], w["dirigeant"], w["etat"], w["pilote"], w["bpi"])
    f = fiche_de(w)
    with apres_commit():
        jusqu_a(w, f, "retenir")
        ligne = f.lignes.get(financeur__nom="Bpifrance")
        Engagement.objects.create(ligne=ligne, date=jour(50), montant=MONTANT_BPI, par=w["bpi"])
    assert len(mail.outbox) > 5
    for m in mail.outbox:
        for texte in (m.subject, m.body, html(m)):
            for montant in ("987654", "987 654", "123456", "123 456", "€"):
                assert montant not in texte.replace("\u202f", " "), (m.subject, montant)
