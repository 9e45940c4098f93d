"""E-mail notifications of a territory's evaluation: one test per move (submitted, reviewed by
the Région then the State, sent back, validated) and per preference; who is told and who is
not (the author of the move, a territory's outsider, a reviewer of another territory)."""

import pytest
from django.core import mail
from django.core.management import call_command

from evaluations import cycle
from evaluations.enums import AvisRevue
from evaluations.tests.fabriques import gens, jour, redigee, revue, soumise
from notifications.enums import Frequence, Nature
from notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return gens()


@pytest.fixture
def apres_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def notifies(**filtres) -> set[str]:
    qs = Notification.objects.filter(nature=Nature.EVALUATION, **filtres)
    return set(qs.values_list("destinataire__email", flat=True))


def test_une_evaluation_soumise_est_annoncee_a_la_region_et_a_l_etat_qui_la_revoient(
    p, apres_commit
):
    e = redigee(p)
    with apres_commit():
        cycle.soumettre(user=p["chef"], evaluation=e, date=jour(10))
    # The pilot of région 84 and the State's referent of ti-8401: not the team (its author
    # and the elected member), not the other territory's referent, not the delegation.
    assert notifies() == {"pilote@exemple.fr", "prefecture@exemple.fr"}
    n = Notification.objects.get(destinataire=p["pilote"])
    assert n.titre == f"Évaluation à revoir : {p['t'].nom}"
    assert f"soumis le {jour(10):%d/%m/%Y} l'évaluation à mi-parcours" in n.texte
    assert n.lien == f"/evaluations/{e.pk}/"
    assert not n.immediate  # the morning's digest by default


def test_chaque_revue_est_annoncee_a_l_equipe_et_la_seconde_a_la_delegation_nationale(
    p, apres_commit
):
    e = soumise(p)
    with apres_commit():
        cycle.reviser(
            user=p["pilote"],
            evaluation=e,
            role="region",
            avis=AvisRevue.FAVORABLE,
            commentaire="Une dynamique réelle, que rien ne doit montrer par courriel.",
            date=jour(20),
        )
    assert notifies() == {"chef@exemple.fr", "elu@exemple.fr"}
    n = Notification.objects.get(destinataire=p["chef"])
    assert n.titre == f"Revue de la Région : évaluation de {p['t'].nom}"
    assert "avis « favorable »" in n.texte and "dynamique" not in n.texte
    Notification.objects.all().delete()
    with apres_commit():
        cycle.reviser(
            user=p["etat"],
            evaluation=e,
            role="etat",
            avis=AvisRevue.RESERVES,
            commentaire="Les délais restent à suivre.",
            date=jour(21),
        )
    assert notifies(titre__startswith="Revue de l'État") == {"chef@exemple.fr", "elu@exemple.fr"}
    assert "attend la validation de la délégation nationale" in (
        Notification.objects.get(destinataire=p["chef"]).texte
    )
    assert notifies(titre__startswith="Évaluation à valider") == {"delegation@exemple.fr"}


def test_un_renvoi_en_redaction_est_annonce_a_l_equipe_avec_son_motif(p, apres_commit):
    e = soumise(p)
    with apres_commit():
        cycle.renvoyer(
            user=p["pilote"], evaluation=e, commentaire="Réponses à compléter.", date=jour(20)
        )
    assert notifies() == {"chef@exemple.fr", "elu@exemple.fr"}
    n = Notification.objects.get(destinataire=p["elu"])
    assert n.titre.startswith("Évaluation renvoyée en rédaction")
    assert n.texte.endswith("Motif : Réponses à compléter.")


def test_une_validation_est_annoncee_a_l_equipe_et_a_ceux_qui_l_ont_revue(p, apres_commit):
    e = revue(p)
    with apres_commit():
        cycle.valider(user=p["national"], evaluation=e, date=jour(30))
    assert notifies() == {
        "chef@exemple.fr",
        "elu@exemple.fr",
        "pilote@exemple.fr",
        "prefecture@exemple.fr",
    }
    assert Notification.objects.filter(titre__startswith="Évaluation validée").count() == 4


@pytest.mark.parametrize("frequence", list(Frequence))
def test_chaque_preference_pour_les_evaluations(p, apres_commit, frequence):
    Preference.objects.create(
        utilisateur=p["pilote"], nature=Nature.EVALUATION, frequence=frequence
    )
    e = redigee(p)
    with apres_commit():
        cycle.soumettre(user=p["chef"], evaluation=e, date=jour(10))
    a_pilote = [m for m in mail.outbox if m.to == [p["pilote"].email]]
    ecrites = Notification.objects.filter(destinataire=p["pilote"])
    if frequence == Frequence.IMMEDIAT:
        [m] = a_pilote
        assert m.subject.endswith(f"Évaluation à revoir : {p['t'].nom}")
        assert ecrites.get().envoyee_le is not None
    elif frequence == Frequence.QUOTIDIEN:
        assert a_pilote == [] and ecrites.get().envoyee_le is None
        call_command("envoyer_recapitulatif")
        [m] = [m for m in mail.outbox if m.to == [p["pilote"].email]]
        assert Nature.EVALUATION.label in m.body
    else:
        assert a_pilote == [] and not ecrites.exists()
    # The State's referent keeps the default: the digest.
    assert Notification.objects.get(destinataire=p["etat"]).immediate is False
