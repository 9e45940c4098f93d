"""Builders for the fiches tests: a draft fiche of 8401 with its people."""

from decimal import Decimal

from comptes.enums import Role, TypeOrganisation
from comptes.models import Organisation
from comptes.tests.fabriques import entreprise, personne, territoire
from fiches.services import creer_fiche
from mesures.enums import Axe

__all__ = ["entreprise", "personne", "territoire", "equipe", "fiche", "bpi", "bdt"]


def bpi() -> Organisation:
    return Organisation.objects.get(nom="Bpifrance", type=TypeOrganisation.OPERATEUR)


def bdt() -> Organisation:
    return Organisation.objects.get(nom="Banque des territoires")


def equipe() -> dict:
    t = territoire("8401")
    return {
        "chef": personne("chef8401@exemple.fr", Role.CHEF_PROJET, territoire=t),
        "chef8408": personne(
            "chef8408@exemple.fr", Role.CHEF_PROJET, territoire=territoire("8408")
        ),
        "etat": personne("etat8401@exemple.fr", Role.REFERENT_ETAT, territoire=t),
        "pilote": personne("pilote84@exemple.fr", Role.PILOTE_REGION, region_id="84"),
        "bpi": personne(
            "bpi84@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bpi(), region_id="84"
        ),
        "national": personne("national@exemple.fr", Role.NATIONAL),
    }


def fiche(
    user,
    *,
    porteur=None,
    cout=Decimal("100000"),
    lignes=None,
    axe=Axe.INNOVER,
    code="8401",
    **donnees,
):
    porteur = porteur or entreprise(code)
    lignes = (
        lignes
        if lignes is not None
        else [
            {
                "financeur": bpi(),
                "section": "investissement",
                "montant": Decimal("60000"),
                "de_minimis": True,
            },
            {"financeur": porteur, "section": "investissement", "montant": Decimal("40000")},
        ]
    )
    base = {
        "titre": "Ligne pilote de fabrication additive",
        "axe": axe,
        "porteur": porteur,
        "cout_total": cout,
        "contexte": "Modernisation de l'outil industriel.",
    }
    base.update(donnees)
    return creer_fiche(user=user, territoire=territoire(code), donnees=base, lignes=lignes)
