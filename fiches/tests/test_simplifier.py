"""« Simplifier » fiches (FAQ §4.7, §5.5): a problem without a solution, routed nationally."""

import pytest
from django.core.exceptions import ValidationError

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from fiches.enums import Etat, Orientation
from fiches.tests.test_cycle import parcours_jusqu_a_instruction

from .fabriques import equipe, fiche

pytestmark = pytest.mark.django_db


def asso():
    return Organisation.objects.create(nom="Club d'entreprises", type=TypeOrganisation.ASSOCIATION)


def test_fiche_simplifier_enonce_un_probleme_sans_solution_ni_financement():
    p = equipe()
    f = fiche(
        p["chef"],
        axe="simplifier",
        porteur=asso(),
        cout=None,
        lignes=[],
        probleme="Trois services instruisent la même extension.",
        nature_simplification="piste",
    )
    assert f.lignes.count() == 0 and f.orientation == ""


def test_fiche_simplifier_sans_probleme_refusee():
    p = equipe()
    with pytest.raises(ValidationError, match="énonce le problème"):
        fiche(p["chef"], axe="simplifier", porteur=asso(), cout=None, lignes=[])


def test_orientation_reservee_aux_fiches_simplifier():
    p = equipe()
    with pytest.raises(ValidationError, match="ne concerne que les fiches « simplifier »"):
        fiche(p["chef"], porteur=asso(), orientation=Orientation.RESCRIT)


def test_delegation_nationale_voit_les_demandes_de_simplification_en_une_liste(client):
    p = equipe()
    porteur = asso()
    fiche(
        p["chef"],
        axe="simplifier",
        porteur=porteur,
        cout=None,
        lignes=[],
        titre="Autorisations plus rapides",
        probleme="Délais d'instruction.",
        orientation=Orientation.CERTIFICAT,
    )
    fiche(
        p["chef8408"],
        code="8408",
        axe="simplifier",
        porteur=porteur,
        cout=None,
        lignes=[],
        titre="Guichet unique",
        probleme="Trop d'interlocuteurs.",
        orientation=Orientation.LISTE_NATIONALE,
    )
    client.force_login(p["national"])
    html = client.get("/fiches/simplification/").content.decode()
    assert "Autorisations plus rapides" in html and "Guichet unique" in html
    html = client.get("/fiches/simplification/?orientation=certificat").content.decode()
    assert "Autorisations plus rapides" in html and "Guichet unique" not in html
    # A chef de projet of 8408 sees only what is his (drafts of 8401 stay hidden).
    client.force_login(p["chef8408"])
    html = client.get("/fiches/simplification/").content.decode()
    assert "Guichet unique" in html and "Autorisations plus rapides" not in html


def test_fiche_simplifier_sans_financement_est_retenue_par_l_avis_favorable_du_copil(client):
    """Nothing for funders to instruct: the page never says « en instruction par les
    financeurs » for it."""
    p = equipe()
    f = fiche(
        p["chef"],
        axe="simplifier",
        porteur=asso(),
        cout=None,
        lignes=[],
        probleme="Trois services instruisent la même extension.",
    )
    f = parcours_jusqu_a_instruction(p, f)
    assert f.etat == Etat.RETENUE
    assert f.transitions.order_by("-id").first().etat_apres == Etat.RETENUE
    client.force_login(p["chef"])
    html = client.get(f"/fiches/{f.uuid}/").content.decode()
    assert "En instruction par les financeurs" not in html
    assert "Retenue" in html


def test_fiche_avec_financement_passe_en_instruction_apres_le_copil():
    p = equipe()
    f = parcours_jusqu_a_instruction(p, fiche(p["chef"]))
    assert f.etat == Etat.INSTRUCTION
