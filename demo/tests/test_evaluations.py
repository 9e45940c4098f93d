"""The demo's evaluations: the phase-2 framework, ti-8401's mid-term evaluation reviewed by
the Région and the State, ti-8413's being written; loaded once; seen by whom it concerns."""

from datetime import date
from decimal import Decimal

import pytest

from comptes.models import Utilisateur
from demo.loader import load_demo
from evaluations import documents
from evaluations.chiffres import chiffres_de
from evaluations.enums import EtatEvaluation
from evaluations.file import a_faire
from evaluations.models import Cadre, Evaluation, Revue, TransitionEvaluation
from evaluations.permissions import evaluations_visibles
from fiches.models import ValeurIndicateur

pytestmark = pytest.mark.django_db


def u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def test_le_cadre_et_les_deux_evaluations_de_la_demonstration():
    load_demo()
    cadre = Cadre.objects.get(demo=True, phase_id=2)
    assert (cadre.version, cadre.publie_le) == (1, date(2026, 3, 2))
    assert cadre.questions().count() == 14 and cadre.fige
    e8401 = Evaluation.objects.get(territoire__code="ti-8401", demo=True)
    assert e8401.etat == EtatEvaluation.REVUE and e8401.tour == 1
    assert set(Revue.objects.filter(evaluation=e8401).values_list("role", "avis")) == {
        ("region", "favorable"),
        ("etat", "reserves"),
    }
    assert [t.action for t in e8401.transitions.all()] == [
        "creer",
        "soumettre",
        "reviser_region",
        "reviser_etat",
    ]
    # The figures kept at its submission carry the measured jobs of its inscribed fiches.
    c = chiffres_de(e8401)
    emplois = next(i for i in c.indicateurs if i.libelle == "Emplois créés ou maintenus")
    assert emplois.fiches >= 4 and emplois.valeur > 0 and emplois.date == date(2026, 6, 30)
    assert ValeurIndicateur.objects.filter(indicateur__fiche__demo=True).exists()
    # Its money, as every party may read it: four bearers with secret amounts (the EPCI and
    # three firms, none above 85 %), so the totals show; its instruction delays, step by step.
    assert c.montants["accorde"] == {"valeur": "4224000.00", "motif": ""}
    assert c.montants["paye"]["valeur"] is not None and c.montants["paye"]["motif"] == ""
    assert c.delais["decision"]["n"] > 0 and c.delais["decision"]["mediane"] > 0
    e8413 = Evaluation.objects.get(territoire__code="ti-8413", demo=True)
    assert e8413.etat == EtatEvaluation.REDACTION and e8413.reponses.count() == 3
    # Its document already reads, its questions not yet answered said so.
    derniere_section = documents.contenu(e8413).sections[-1]
    assert derniere_section == (
        "Perspectives",
        [("Quelles priorités pour la seconde moitié de la phase ?", "Sans réponse.")],
    )
    assert Decimal(e8401.reponses.get(question__unite="emplois").nombre) == 85


def test_chaque_persona_voit_les_evaluations_qui_le_concernent():
    load_demo()

    def codes(email):
        return sorted(e.territoire.code for e in evaluations_visibles(u(email)))

    assert codes("national@demo.ti") == ["ti-8401", "ti-8413"]
    assert codes("region.ara@demo.ti") == ["ti-8401", "ti-8413"]
    assert codes("chef.8401@demo.ti") == ["ti-8401"]
    assert codes("chef.8408@demo.ti") == ["ti-8413"]
    assert codes("entreprise.8401@demo.ti") == []
    # The operators' referents of the région read the submitted one only.
    assert codes("bpifrance.ara@demo.ti") == ["ti-8401"]


def test_ce_que_la_demonstration_laisse_en_attente_de_chaque_persona():
    load_demo()

    def file(email):
        return [(a.evaluation.territoire.code, a.libelle, a.pour_soi) for a in a_faire(u(email), 2)]

    assert file("national@demo.ti") == [("ti-8401", "Valider l'évaluation", True)]
    assert file("chef.8401@demo.ti") == [("ti-8401", "Validation attendue", False)]
    assert file("chef.8408@demo.ti") == [("ti-8413", "Rédiger et soumettre l'évaluation", True)]
    assert file("region.ara@demo.ti") == file("etat.8401@demo.ti") == []


def test_les_evaluations_de_la_demonstration_se_chargent_une_fois():
    load_demo()
    avant = (
        Cadre.objects.count(),
        Evaluation.objects.count(),
        TransitionEvaluation.objects.count(),
        ValeurIndicateur.objects.count(),
    )
    assert "Évaluations de démonstration déjà présentes." in load_demo()
    assert (
        Cadre.objects.count(),
        Evaluation.objects.count(),
        TransitionEvaluation.objects.count(),
        ValeurIndicateur.objects.count(),
    ) == avant
