"""Builders for the fiches tests: a draft fiche of 8401 with its people; a territory of phase 2
with its team and its firms."""

from decimal import Decimal

from comptes.enums import Role, TypeOrganisation
from comptes.models import Organisation, ProfilEntreprise
from comptes.tests.fabriques import entreprise, personne, siren, territoire
from fiches.services import creer_fiche
from mesures.enums import Axe, Priorite
from territoires.models import Territoire
from territoires.selectors import communes_du_territoire
from territoires.tests.fabriques import t2

__all__ = [
    "entreprise",
    "personne",
    "territoire",
    "equipe",
    "fiche",
    "bpi",
    "bdt",
    "territoires_phase_2",
    "equipe_phase_2",
    "entreprise_de",
]


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


def territoires_phase_2() -> list[Territoire]:
    """Two territories of phase 2 in the région 84, from the official map the tests load."""
    return [t2("ti-8401"), t2("ti-8408")]


def equipe_phase_2() -> dict:
    """The people of `equipe()` (8401, région 84) and a phase-2 territory with its chef de
    projet; a phase-2 territory of the région has its pilot and operators' referents too."""
    p = equipe()
    terr2 = territoires_phase_2()[0]
    p["t2"] = terr2
    p["chef2"] = personne("chef.phase2@exemple.fr", Role.CHEF_PROJET, territoire=terr2)
    return p


def entreprise_de(t: Territoire, n: int = 1, **profil) -> Organisation:
    """A firm located in territory `t` (any phase), with its profile."""
    org = Organisation.objects.create(
        nom=f"Entreprise {t.pk}-{n}",
        type=TypeOrganisation.ENTREPRISE,
        siren=siren(f"7{t.pk:04d}{n:03d}"),
        commune=communes_du_territoire(t).first(),
    )
    ProfilEntreprise.objects.create(organisation=org, activite="Chaudronnerie", **profil)
    return org


def fiche(
    user,
    *,
    porteur=None,
    cout=Decimal("100000"),
    lignes=None,
    axe=None,
    code="8401",
    t=None,
    **donnees,
):
    """A draft fiche of the territory `code` of phase 1, or of territory `t` (any phase); by
    default on the axis « innover », or the priority « innovation » in phase 2."""
    t = t or territoire(code)
    axe = axe or (Axe.INNOVER if t.phase_id == 1 else Priorite.INNOVATION)
    porteur = porteur or (entreprise(code) if t.phase_id == 1 else entreprise_de(t))
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
    return creer_fiche(user=user, territoire=t, donnees=base, lignes=lignes)
