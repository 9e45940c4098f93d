"""The work queue of each demo persona shows what the demo leaves waiting on them (as
`make run` loads it), and nothing of a territory they do not work on."""

import pytest
from django.db import transaction

from comptes.models import Utilisateur
from demo.loader import load_demo
from fiches.models import FicheAction
from notifications.file import Rubrique, file_de_travail

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back after it: each
    test runs in its own savepoint on top (as a TestCase class does)."""
    with django_db_blocker.unblock():
        atomique = transaction.atomic()
        atomique.__enter__()
        load_demo()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomique.__exit__(None, None, None)


def file(email: str):
    return file_de_travail(Utilisateur.objects.get(email=email))


def fiche(titre: str) -> FicheAction:
    return FicheAction.objects.get(titre=titre, territoire__phase_id=2)


def vus(f) -> set[tuple[str, str]]:
    """(section, object's name) of each item."""
    return {(e.rubrique, e.intitule.split(" — ")[-1]) for e in f.elements}


def territoires(f) -> set[str]:
    codes = set()
    for e in f.elements:
        t = getattr(e.objet, "territoire", None) or e.objet.le_territoire
        codes.add(t.code)
    return codes


def test_la_cheffe_de_projet_de_ti_8401():
    f = file("chef.8401@demo.ti")
    assert vus(f) == {
        (Rubrique.FICHES, "Démonstrateur de robotique collaborative pour les PME"),
        (Rubrique.FICHES, "Extension de la zone d'activités de Munas"),
        # Retained after the contract's signature: for an avenant (two of them firms').
        (Rubrique.FICHES, "Plateforme d'essais mutualisée pour les textiles techniques"),
        (Rubrique.FICHES, "Cellule d'usinage automatisée pour les pièces de robinetterie"),
        (Rubrique.FICHES, "Récupération des solvants de l'atelier de synthèse"),
        (Rubrique.ATTENTE, "Chaleur renouvelable pour l'usine des Tissages d'Annonay"),
        (Rubrique.ATTENTE, "Groupement d'employeurs pour l'industrie du Nord-Ardèche"),
        # Its mid-term evaluation, reviewed, waits on the national delegation.
        (Rubrique.ATTENTE, "Évaluation à mi-parcours"),
    }
    assert f.nombre == 5
    [ademe] = [e for e in f.elements if e.intitule.endswith("Tissages d'Annonay")]
    assert ademe.aupres_de == "Ademe"  # the one funder without a decision
    assert territoires(f) == {"ti-8401"}


def test_le_chef_de_projet_de_ti_8413():
    f = file("chef.8408@demo.ti")
    par_rubrique = {r: {e.intitule.split(" — ")[-1] for e in es} for r, es in f.rubriques()}
    assert par_rubrique[Rubrique.FICHES] == {
        "Densification des zones d'activités existantes",
        "Décarbonation des presses à injecter",
    }
    # Haut-Bugey Agglomération, which he works for, has its own share in two fiches.
    assert par_rubrique[Rubrique.LIGNES] == {
        "Moules instrumentés et capteurs embarqués",
        "Démonstrateur de pièces en matériaux biosourcés",
    }
    # The contract waits for the signature of the EPCI's president: he records it.
    [signatures] = [e for e in f.elements if e.rubrique == Rubrique.SIGNATURES]
    assert signatures.libelle == "Recueillir et enregistrer les signatures (2 sur 3 reçues)"
    assert "Président de CA Haut-Bugey Agglomération" in signatures.aupres_de
    assert par_rubrique[Rubrique.ATTENTE] >= {
        "Pôle de formation aux métiers de la plasturgie",
        "Reconversion de la friche industrielle de Bellignat",
        "Logements pour alternants et jeunes salariés de l'industrie",
    }
    # Its mid-term evaluation is being written.
    assert par_rubrique[Rubrique.EVALUATIONS] == {"Évaluation à mi-parcours"}
    assert territoires(f) == {"ti-8413"}


def test_le_pilote_de_la_region():
    f = file("region.ara@demo.ti")
    par_rubrique = {r: {e.intitule.split(" — ")[-1] for e in es} for r, es in f.rubriques()}
    assert par_rubrique[Rubrique.FICHES] == {
        "Groupement d'employeurs pour l'industrie du Nord-Ardèche",
        "Logements pour alternants et jeunes salariés de l'industrie",
    }
    assert par_rubrique[Rubrique.EXAMEN] == {
        "Extension de la zone d'activités de Munas",
        "Densification des zones d'activités existantes",
    }
    assert par_rubrique[Rubrique.LIGNES] == {
        "Moules instrumentés et capteurs embarqués",
        "Démonstrateur de pièces en matériaux biosourcés",
    }
    # The money to record is the Région's own lines only (what the demo leaves unpaid).
    argent = [e for e in f.elements if e.rubrique == Rubrique.ARGENT]
    assert all("Région Auvergne-Rhône-Alpes" in e.libelle for e in argent)
    assert territoires(f) == {"ti-8401", "ti-8413"}


def test_la_referente_de_l_etat_de_ti_8401():
    f = file("etat.8401@demo.ti")
    par_rubrique = {r: {e.intitule.split(" — ")[-1] for e in es} for r, es in f.rubriques()}
    assert par_rubrique[Rubrique.EXAMEN] == {"Extension de la zone d'activités de Munas"}
    assert all(
        "Préfecture de l'Ardèche" in e.libelle for e in f.elements if e.rubrique == Rubrique.ARGENT
    )
    assert territoires(f) == {"ti-8401"}


def test_les_operateurs():
    bpi = file("bpifrance.ara@demo.ti")
    assert {e.intitule.split(" — ")[-1] for e in bpi.elements if e.rubrique == Rubrique.LIGNES} == {
        "Moules instrumentés et capteurs embarqués"
    }
    bdt = file("bdt.ara@demo.ti")
    par_rubrique = {r: {e.intitule.split(" — ")[-1] for e in es} for r, es in bdt.rubriques()}
    assert par_rubrique[Rubrique.LIGNES] == {"Démonstrateur de pièces en matériaux biosourcés"}
    # The Banque des territoires sits on the regional COPIL: the fiches before it that ask it
    # for money are to examine.
    assert par_rubrique[Rubrique.EXAMEN] == {
        "Groupement d'employeurs pour l'industrie du Nord-Ardèche",
        "Logements pour alternants et jeunes salariés de l'industrie",
    }
    for f, nom in ((bpi, "Bpifrance"), (bdt, "Banque des territoires")):
        for e in f.elements:
            if e.rubrique in (Rubrique.LIGNES, Rubrique.ARGENT):
                assert nom in e.libelle
            assert e.objet.lignes.filter(financeur__nom=nom).exists()  # only its fiches


def test_le_dirigeant_des_tissages_attend_l_ademe():
    f = file("entreprise.8401@demo.ti")
    [e] = f.elements
    assert (e.rubrique, e.aupres_de) == (Rubrique.ATTENTE, "Ademe")
    assert e.objet == fiche("Chaleur renouvelable pour l'usine des Tissages d'Annonay")
    assert f.nombre == 0


def test_la_delegation_nationale_n_a_que_l_evaluation_a_valider():
    """Nothing waits on it in the territories' fiches; ti-8401's mid-term evaluation,
    reviewed by the Région and the State, waits on its validation."""
    [e] = file("national@demo.ti").elements
    assert (e.rubrique, e.libelle, e.intitule) == (
        Rubrique.EVALUATIONS,
        "Valider l'évaluation",
        "ti-8401 — Évaluation à mi-parcours",
    )
    assert e.lien == f"/evaluations/{e.objet.pk}/"


@pytest.mark.parametrize(
    ("email", "reference", "attendu"),
    [
        ("entreprise.tournon@demo.ti", "ti-8401-11", "Annexion au contrat ou à un avenant"),
        ("entreprise.pierrelatte@demo.ti", "ti-8401-12", "Annexion au contrat ou à un avenant"),
        ("entreprise.bugey@demo.ti", "ti-8413-09", "Inscription à la signature : Contrat"),
    ],
)
def test_les_trois_entreprises_attendent_le_contrat_de_leur_fiche_retenue(
    email, reference, attendu
):
    """The firms of the three comparable phase-2 fiches (retained, granted, paid): nothing to
    do, their fiche waits on its contract, and nothing of any other firm."""
    f = file(email)
    [e] = f.elements
    assert (e.rubrique, e.objet.reference) == (Rubrique.ATTENTE, reference)
    assert e.libelle.startswith(attendu)
    assert f.nombre == 0
