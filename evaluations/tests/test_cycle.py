"""The lifecycle of an evaluation (evaluations.cycle): each move, each refusal, the log."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations import cycle, services
from evaluations.enums import AvisRevue, EtatEvaluation
from evaluations.models import Revue
from evaluations.permissions import evaluations_visibles

from .fabriques import cadre, gens, jour, questions, redigee, revue, soumise

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return gens()


def test_le_parcours_complet_de_la_redaction_a_la_validation_est_journalise(p):
    e = soumise(p)
    assert e.etat == EtatEvaluation.SOUMISE and e.tour == 1
    cycle.reviser(
        user=p["pilote"],
        evaluation=e,
        role="region",
        avis=AvisRevue.FAVORABLE,
        commentaire="Une dynamique réelle.",
        date=jour(20),
    )
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.SOUMISE  # the State's review is still awaited
    cycle.reviser(
        user=p["etat"],
        evaluation=e,
        role="etat",
        avis=AvisRevue.RESERVES,
        commentaire="Les délais restent à suivre.",
        date=jour(21),
    )
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.REVUE
    cycle.valider(user=p["national"], evaluation=e, date=jour(30), commentaire="Retenue.")
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.VALIDEE
    journal = [
        (t.action, t.etat_avant, t.etat_apres, t.par.email, t.date)
        for t in e.transitions.order_by("le", "id")
    ]
    assert journal == [
        ("creer", "", "redaction", "chef@exemple.fr", jour(1)),
        ("soumettre", "redaction", "soumise", "chef@exemple.fr", jour(10)),
        ("reviser_region", "soumise", "soumise", "pilote@exemple.fr", jour(20)),
        ("reviser_etat", "soumise", "revue", "prefecture@exemple.fr", jour(21)),
        ("valider", "revue", "validee", "delegation@exemple.fr", jour(30)),
    ]
    assert "Favorable avec réserves. Les délais restent à suivre." in [
        t.commentaire for t in e.transitions.all()
    ]


def test_la_creation_revient_a_l_equipe_du_territoire(p):
    cadre(p["national"])
    for qui in ("pilote", "etat", "national", "chef_autre", "bpi", "sans_role"):
        with pytest.raises(PermissionDenied):
            services.creer_evaluation(user=p[qui], territoire=p["t"], nature="mi_parcours")
    # The binôme is of the team, as the chef de projet.
    e = services.creer_evaluation(user=p["elu"], territoire=p["t"], nature="mi_parcours")
    assert e.cadre.version == 1


def test_pas_d_evaluation_sans_cadre_publie_ni_deux_fois_la_meme(p):
    c = cadre(p["national"], publie=False)
    with pytest.raises(ValidationError, match="pas encore publié le cadre"):
        services.creer_evaluation(user=p["chef"], territoire=p["t"], nature="mi_parcours")
    from evaluations import cadres

    cadres.publier(user=p["national"], cadre=c, date=jour(0))
    services.creer_evaluation(user=p["chef"], territoire=p["t"], nature="mi_parcours")
    with pytest.raises(ValidationError, match="déjà son évaluation à mi-parcours"):
        services.creer_evaluation(user=p["chef"], territoire=p["t"], nature="mi_parcours")
    with pytest.raises(ValidationError, match="mi-parcours ou finale"):
        services.creer_evaluation(user=p["chef"], territoire=p["t"], nature="annuelle")
    assert services.creer_evaluation(user=p["chef"], territoire=p["t"], nature="finale")


def test_une_soumission_attend_chaque_reponse_obligatoire(p):
    c = cadre(p["national"])
    e = services.creer_evaluation(
        user=p["chef"], territoire=p["t"], nature="mi_parcours", date=jour(1)
    )
    q = questions(c)
    e = services.enregistrer_reponses(
        user=p["chef"], evaluation=e, version=e.version, reponses={q[0].pk: "Réunions."}
    )
    with pytest.raises(ValidationError) as exc:
        cycle.soumettre(user=p["chef"], evaluation=e, date=jour(10))
    message = exc.value.messages[0]
    assert "« La gouvernance associe-t-elle les industriels ? »" in message
    assert "« Le plan d'actions est-il à jour ? »" in message
    assert "Emplois industriels" not in message  # optional
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.REDACTION and e.tour == 0 and e.chiffres is None


def test_seule_l_equipe_soumet_et_une_seule_fois(p):
    e = redigee(p)
    for qui in ("pilote", "etat", "national", "chef_autre"):
        with pytest.raises(PermissionDenied):
            cycle.soumettre(user=p[qui], evaluation=e, date=jour(10))
    cycle.soumettre(user=p["chef"], evaluation=e, date=jour(10))
    with pytest.raises(ValidationError, match="déjà soumise"):
        cycle.soumettre(user=p["chef"], evaluation=e, date=jour(11))


def test_une_evaluation_soumise_ne_se_modifie_plus(p):
    e = soumise(p)
    q = questions(e.cadre)
    with pytest.raises(ValidationError, match="soumise : elle ne se modifie plus"):
        services.enregistrer_reponses(
            user=p["chef"], evaluation=e, version=e.version, reponses={q[0].pk: "Autre chose."}
        )
    assert e.reponses.get(question=q[0]).texte.startswith("Quatre réunions")


def test_qui_revoit_et_au_nom_de_qui(p):
    e = soumise(p)
    kw = {"avis": AvisRevue.FAVORABLE, "commentaire": "Bien.", "date": jour(20)}
    refus = [
        ("chef", "region"),
        ("national", "region"),
        ("pilote_idf", "region"),  # another Région's pilot
        ("etat_autre", "etat"),  # another territory's State referent
        ("pilote", "etat"),  # the Région does not speak for the State
        ("etat", "region"),
        ("bpi", "etat"),
    ]
    for qui, role in refus:
        with pytest.raises(PermissionDenied):
            cycle.reviser(user=p[qui], evaluation=e, role=role, **kw)
    assert not Revue.objects.exists()
    with pytest.raises(ValidationError, match="Région ou de l'État"):
        cycle.reviser(user=p["pilote"], evaluation=e, role="operateur", **kw)


def test_une_revue_par_role_et_par_soumission_datee_et_commentee(p):
    e = soumise(p)
    kw = {"user": p["pilote"], "evaluation": e, "role": "region", "avis": "favorable"}
    with pytest.raises(ValidationError):
        cycle.reviser(commentaire="   ", date=jour(20), **kw)
    with pytest.raises(ValidationError, match="futur"):
        cycle.reviser(commentaire="Bien.", date=timezone.localdate() + timedelta(days=1), **kw)
    with pytest.raises(ValidationError, match="ne peut précéder"):
        cycle.reviser(commentaire="Bien.", date=jour(9), **kw)
    with pytest.raises(ValidationError):
        cycle.reviser(commentaire="Bien.", date=jour(20), **{**kw, "avis": "enthousiaste"})
    assert not Revue.objects.exists()
    cycle.reviser(commentaire="Bien.", date=jour(20), **kw)
    with pytest.raises(ValidationError, match="Région a déjà donné sa revue"):
        cycle.reviser(commentaire="Encore.", date=jour(21), **kw)


def test_pas_de_revue_d_une_evaluation_en_redaction(p):
    e = redigee(p)
    with pytest.raises(ValidationError, match="en rédaction"):
        cycle.reviser(
            user=p["pilote"],
            evaluation=e,
            role="region",
            avis="favorable",
            commentaire="Bien.",
            date=jour(20),
        )


def test_renvoyer_en_redaction_ouvre_un_nouveau_tour_de_revue(p):
    e = revue(p)
    with pytest.raises(PermissionDenied):
        cycle.renvoyer(user=p["chef"], evaluation=e, commentaire="Non.", date=jour(25))
    with pytest.raises(ValidationError, match="Dites pourquoi"):
        cycle.renvoyer(user=p["etat"], evaluation=e, commentaire=" ", date=jour(25))
    cycle.renvoyer(user=p["etat"], evaluation=e, commentaire="Compléter les délais.", date=jour(25))
    e.refresh_from_db()
    assert e.etat == EtatEvaluation.REDACTION
    with pytest.raises(ValidationError, match="déjà en rédaction"):
        cycle.renvoyer(user=p["national"], evaluation=e, commentaire="Encore.", date=jour(26))
    # Written again and submitted: the first round's reviews stay, the second awaits its own.
    q = questions(e.cadre)
    services.enregistrer_reponses(
        user=p["chef"], evaluation=e, version=e.version, reponses={q[3].pk: "45"}
    )
    cycle.soumettre(user=p["chef"], evaluation=e, date=jour(27))
    e.refresh_from_db()
    assert e.tour == 2 and e.etat == EtatEvaluation.SOUMISE
    assert e.revues.count() == 2 and not e.revues_du_tour().exists()
    with pytest.raises(ValidationError, match="attend encore la revue"):
        cycle.valider(user=p["national"], evaluation=e, date=jour(28))


def test_seule_la_delegation_nationale_valide_et_une_validation_fige_tout(p):
    e = revue(p)
    for qui in ("pilote", "etat", "chef"):
        with pytest.raises(PermissionDenied):
            cycle.valider(user=p[qui], evaluation=e, date=jour(30))
    cycle.valider(user=p["national"], evaluation=e, date=jour(30))
    with pytest.raises(ValidationError, match="validée : elle ne change plus"):
        cycle.renvoyer(user=p["national"], evaluation=e, commentaire="Non.", date=jour(31))
    with pytest.raises(ValidationError, match="validée"):
        cycle.valider(user=p["national"], evaluation=e, date=jour(31))
    with pytest.raises(ValidationError, match="validée"):
        cycle.reviser(
            user=p["pilote"],
            evaluation=e,
            role="region",
            avis="favorable",
            commentaire="Encore.",
            date=jour(31),
        )


def test_chacun_ne_voit_que_les_evaluations_qui_le_concernent(p):
    c = cadre(p["national"])
    ici = redigee(p, c)
    ailleurs = redigee(p, c, t=p["autre_t"], chef=p["chef_autre"])

    def vues(user):
        return set(evaluations_visibles(user))

    assert vues(p["national"]) == {ici, ailleurs}
    assert vues(p["pilote"]) == {ici, ailleurs}  # the Région of both
    assert vues(p["chef"]) == {ici}
    assert vues(p["etat"]) == {ici}
    assert vues(p["chef_autre"]) == {ailleurs}
    for qui in ("pilote_idf", "sans_role", "bpi"):  # the operator: once submitted only
        assert vues(p[qui]) == set()
    assert vues(AnonymousUser()) == set()
    cycle.soumettre(user=p["chef"], evaluation=ici, date=jour(10))
    assert vues(p["bpi"]) == {ici}
    assert vues(p["chef_autre"]) == {ailleurs}


def test_ce_qui_attend_chacun_parmi_les_evaluations(p):
    from evaluations.file import a_faire

    c = cadre(p["national"])
    e = redigee(p, c)

    def file(qui):
        return [(a.libelle, a.aupres_de, a.pour_soi, a.depuis) for a in a_faire(p[qui], 2)]

    assert file("chef") == [
        ("Rédiger et soumettre l'évaluation", "l'équipe du territoire", True, jour(1))
    ]
    assert file("pilote") == file("etat") == file("national") == []
    cycle.soumettre(user=p["chef"], evaluation=e, date=jour(10))
    assert file("pilote") == [("Donner la revue de la Région", "la Région", True, jour(10))]
    assert file("etat") == [("Donner la revue de l'État", "l'État", True, jour(10))]
    assert file("chef") == [
        ("Revue attendue de la Région et l'État", "la Région et l'État", False, jour(10))
    ]
    cycle.reviser(
        user=p["pilote"],
        evaluation=e,
        role="region",
        avis="favorable",
        commentaire="Bien.",
        date=jour(20),
    )
    assert file("pilote") == []
    assert file("chef") == [("Revue attendue de l'État", "l'État", False, jour(20))]
    cycle.reviser(
        user=p["etat"],
        evaluation=e,
        role="etat",
        avis="favorable",
        commentaire="Bien.",
        date=jour(21),
    )
    assert file("national") == [("Valider l'évaluation", "la délégation nationale", True, jour(21))]
    assert file("chef") == [("Validation attendue", "la délégation nationale", False, jour(21))]
    assert file("chef_autre") == file("bpi") == []
    cycle.valider(user=p["national"], evaluation=e, date=jour(30))
    assert file("national") == file("chef") == []
