"""Answers under the optimistic lock; the framework kept by the national delegation, frozen
once used, changed by a new version."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comptes.services import ConflitEdition
from evaluations import cadres, services
from evaluations.models import IndicateurCadre, Question, Reponse, Section

from .fabriques import cadre, gens, jour, questions, redigee

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return gens()


def test_deux_membres_de_l_equipe_ne_s_ecrasent_jamais(p):
    c = cadre(p["national"])
    e = services.creer_evaluation(
        user=p["chef"], territoire=p["t"], nature="mi_parcours", date=jour(1)
    )
    q = questions(c)
    ouverte = e.version  # both open the form on this version
    services.enregistrer_reponses(
        user=p["chef"],
        evaluation=e,
        version=ouverte,
        reponses={q[0].pk: "Réunions trimestrielles.", q[3].pk: "12"},
    )
    with pytest.raises(ConflitEdition) as exc:
        services.enregistrer_reponses(
            user=p["elu"],
            evaluation=e,
            version=ouverte,
            reponses={q[0].pk: "Deux réunions.", q[1].pk: "Pleinement", q[3].pk: "12"},
        )
    # What the other one changed is told, question by question; the same value is no conflict.
    assert exc.value.differences == [
        (
            "Comment le comité de projet s'est-il réuni ?",
            "Deux réunions.",
            "Réunions trimestrielles.",
        ),
        ("La gouvernance associe-t-elle les industriels ?", "Pleinement", ""),
    ]
    e.refresh_from_db()
    assert e.version == ouverte + 1
    assert e.reponses.get(question=q[0]).texte == "Réunions trimestrielles."
    assert not e.reponses.filter(question=q[1]).exists()  # nothing of the later save written
    # On the current version, the second one saves.
    services.enregistrer_reponses(
        user=p["elu"], evaluation=e, version=e.version, reponses={q[1].pk: "Pleinement"}
    )
    assert e.reponses.get(question=q[1]).modalite == "Pleinement"


def test_une_reponse_se_lit_selon_la_forme_de_la_question(p):
    c = cadre(p["national"])
    e = services.creer_evaluation(
        user=p["chef"], territoire=p["t"], nature="mi_parcours", date=jour(1)
    )
    q = questions(c)
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_reponses(
            user=p["chef"],
            evaluation=e,
            version=e.version,
            reponses={q[1].pk: "Beaucoup", q[3].pk: "douze", q[0].pk: "Bien\x00"},
        )
    messages = exc.value.messages
    assert (
        "« La gouvernance associe-t-elle les industriels ? » : « Beaucoup » n'est pas une "
        "réponse proposée." in messages
    )
    assert any("Emplois industriels" in m and "nombre est attendu" in m for m in messages)
    assert any("caractère invisible" in m for m in messages)
    assert not Reponse.objects.exists()
    e.refresh_from_db()
    services.enregistrer_reponses(
        user=p["chef"], evaluation=e, version=e.version, reponses={q[3].pk: "1 234,5"}
    )
    assert e.reponses.get(question=q[3]).nombre == Decimal("1234.50")


def test_seule_l_equipe_ecrit_les_reponses(p):
    e = redigee(p)
    q = questions(e.cadre)
    for qui in ("pilote", "etat", "national", "chef_autre"):
        with pytest.raises(PermissionDenied):
            services.enregistrer_reponses(
                user=p[qui], evaluation=e, version=e.version, reponses={q[0].pk: "Autre."}
            )


def test_seule_la_delegation_nationale_tient_le_cadre(p):
    with pytest.raises(PermissionDenied):
        cadres.creer_cadre(user=p["pilote"], phase=p["t"].phase, titre="Le mien")
    c = cadre(p["national"], publie=False)
    for qui in ("pilote", "chef", "etat"):
        with pytest.raises(PermissionDenied):
            cadres.enregistrer(
                user=p[qui], cadre=c, modele=Section, donnees={"titre": "Une section"}
            )
        with pytest.raises(PermissionDenied):
            cadres.publier(user=p[qui], cadre=c, date=jour(0))


def test_un_cadre_utilise_est_fige_une_nouvelle_version_le_change(p):
    e = redigee(p)
    c = e.cadre
    q = questions(c)[0]
    with pytest.raises(ValidationError, match="nouvelle version"):
        cadres.enregistrer(
            user=p["national"],
            cadre=c,
            modele=Question,
            element=q,
            donnees={"intitule": "Autre question ?"},
        )
    with pytest.raises(ValidationError, match="nouvelle version"):
        cadres.supprimer(user=p["national"], cadre=c, element=q)
    v2 = cadres.nouvelle_version(user=p["national"], cadre=c)
    assert (v2.version, v2.publie_le) == (2, None)
    assert [x.intitule for x in v2.questions()] == [x.intitule for x in c.questions()]
    assert [i.libelle for i in v2.indicateurs.all()] == ["Emplois créés ou maintenus"]
    q2 = v2.questions().first()
    cadres.enregistrer(
        user=p["national"],
        cadre=v2,
        modele=Question,
        element=q2,
        donnees={"intitule": "Comment le comité de suivi s'est-il réuni ?"},
    )
    q.refresh_from_db()
    assert q.intitule == "Comment le comité de projet s'est-il réuni ?"  # v1 unchanged
    # Unpublished, v2 is not yet the one new evaluations follow.
    finale = services.creer_evaluation(
        user=p["chef"], territoire=p["t"], nature="finale", date=jour(2)
    )
    assert finale.cadre == c
    with pytest.raises(ValidationError, match="plus récente"):
        cadres.nouvelle_version(user=p["national"], cadre=c)
    with pytest.raises(ValidationError, match="se modifie encore"):
        cadres.nouvelle_version(user=p["national"], cadre=v2)


def test_le_cadre_verifie_ses_questions_et_ses_indicateurs(p):
    c = cadre(p["national"], publie=False)
    section = c.sections.first()
    national = p["national"]
    with pytest.raises(ValidationError, match="au moins deux modalités"):
        cadres.enregistrer(
            user=national,
            cadre=c,
            modele=Question,
            donnees={
                "section": section,
                "intitule": "Note ?",
                "nature": "echelle",
                "modalites": ["Seule"],
            },
        )
    with pytest.raises(ValidationError, match="une fois"):
        cadres.enregistrer(
            user=national,
            cadre=c,
            modele=Question,
            donnees={
                "section": section,
                "intitule": "Note ?",
                "nature": "choix",
                "modalites": ["Oui", "oui "],
            },
        )
    with pytest.raises(ValidationError, match="unité"):
        cadres.enregistrer(
            user=national,
            cadre=c,
            modele=Question,
            donnees={"section": section, "intitule": "Texte ?", "unite": "€"},
        )
    with pytest.raises(ValidationError, match="déjà l'indicateur"):
        cadres.enregistrer(
            user=national,
            cadre=c,
            modele=IndicateurCadre,
            donnees={"libelle": "EMPLOIS créés ou  maintenus", "unite": "Emplois"},
        )
    autre = cadres.creer_cadre  # a second framework of the same phase is a version
    with pytest.raises(ValidationError, match="nouvelle version"):
        autre(user=national, phase=c.phase, titre="Un autre")
    q = cadres.enregistrer(
        user=national, cadre=c, modele=Question, donnees={"section": section, "intitule": "Et ?"}
    )
    assert q.ordre == 3  # after the section's two questions


def test_un_cadre_sans_question_ne_se_publie_pas(p):
    c = cadres.creer_cadre(user=p["national"], phase=p["t"].phase, titre="Vide")
    with pytest.raises(ValidationError, match="sans question"):
        cadres.publier(user=p["national"], cadre=c, date=jour(0))
