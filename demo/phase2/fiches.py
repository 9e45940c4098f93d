"""The phase-2 demo fiches: created with their financing plan, then each move scheduled on
its day, in a meeting when a committee decides it; funders decide on their lines, pay them."""

from datetime import date
from decimal import Decimal

from comptes.enums import TypeOrganisation
from comptes.models import Organisation, Utilisateur
from fiches import cycle
from fiches import services as fiches
from fiches.enums import Avis, Etat, StatutLigne
from fiches.models import FicheAction, Indicateur
from mesures.models import Mesure

from ..financements import solder
from .donnees import (
    CHEF_DE_PROJET,
    DECALAGE_LOCAL,
    DIRIGEANTS,
    ENVELOPPE,
    ETAPES,
    FONDS_VERT,
    MATURITE,
    SANS_DECIDEUR,
    TISSAGES,
    VAGUES,
    FicheDemo,
)
from .scenario import Scenario, compte


def _plan(plan: str, cout: Decimal, porteur: Organisation) -> list[dict]:
    """The financing plan: the funders' shares (in %), the bearer's own share for the rest."""
    org = Organisation.objects.get
    region = org(nom="[Démo] Région Auvergne-Rhône-Alpes")
    bpi = org(nom="Bpifrance", type=TypeOrganisation.OPERATEUR)
    bdt = org(nom="Banque des territoires")
    etat = org(nom="[Démo] Préfecture de l'Ardèche")
    mesure = Mesure.objects.get
    parts = {
        "collectivites": [(region, None, 30), (bdt, None, 30)],
        "bdt": [(bdt, None, 40), (region, None, 20)],
        "bpi": [(region, None, 30), (bpi, None, 30)],
        "enveloppe": [(etat, mesure(nom=ENVELOPPE), 40), (region, None, 20)],
        "chef_de_projet": [(etat, mesure(nom=CHEF_DE_PROJET), 50)],
        "fonds_vert": [(org(nom="Ademe"), mesure(nom=FONDS_VERT), 40), (bpi, None, 15)],
    }[plan]
    section = "fonctionnement" if plan == "chef_de_projet" else "investissement"
    entreprise = porteur.type == TypeOrganisation.ENTREPRISE
    lignes = [
        {
            "financeur": financeur,
            "mesure": m,
            "section": section,
            "montant": cout * part / 100,
            "de_minimis": entreprise and financeur == bpi,
        }
        for financeur, m, part in parts
    ]
    reste = cout - sum(li["montant"] for li in lignes)
    lignes.append({"financeur": porteur, "section": section, "montant": reste})
    if not entreprise and (plan == "enveloppe" or cout >= 3_000_000):
        # Besides a firm's amounts (secret by default), a funder may keep its own secret.
        lignes[0]["champs_secrets"] = ["montant"]
    return lignes


def fiche(s: Scenario, code: str, i: int, spec: FicheDemo) -> FicheAction:
    """Creates the fiche, then schedules its moves on their days."""
    fiche = _creer(s, code, i, spec)
    if spec.vague is not None:
        _programmer(s, code, spec, fiche)
    return fiche


def _creer(s: Scenario, code: str, i: int, spec: FicheDemo) -> FicheAction:
    chef = s.chefs[code]
    if spec.porteur == "epci":
        porteur = chef.personne.organisation
    else:
        porteur = Organisation.objects.get(nom=spec.porteur)
    cout = Decimal(spec.cout)
    donnees = {
        "titre": spec.titre,
        "axe": spec.priorite,
        "porteur": porteur,
        "contexte": spec.contexte,
        "description": spec.description,
        "maturite": MATURITE.get(spec.cible, "pret"),
        "cout_total": cout,
        "date_debut": date(2024, 6, 1) if spec.vague in (1, 2) else date(2026, 1, 1),
        "date_fin": date(2027, 12, 31),
        "collective": porteur.type != TypeOrganisation.ENTREPRISE,
    }
    if spec.simplification:
        donnees.update(demande_simplification=True, **spec.simplification)
    lignes = _plan(spec.plan, cout, porteur)
    mesures = [li["mesure"] for li in lignes if li.get("mesure")]
    fiche = fiches.creer_fiche(
        user=chef,
        territoire=s.t[code],
        donnees=donnees,
        lignes=lignes,
        m2m={"mesures": mesures} if mesures else None,
        demo=True,
    )
    Indicateur.objects.create(
        fiche=fiche, libelle="Emplois créés ou maintenus", unite="emplois", cible=15 + 5 * i
    )
    return fiche


def _etapes(spec: FicheDemo) -> list[str]:
    """How far the fiche goes on the path before its last move: inscribed fiches are retained
    here, then inscribed by the signature of the contract they are annexed to."""
    jusqu_a = spec.cible if spec.cible in ETAPES else Etat.RETENUE
    if spec.refus:
        jusqu_a = Etat.COPIL if spec.refus == "copil" else Etat.INSTRUCTION
    return ETAPES[: ETAPES.index(jusqu_a) + 1]


def _programmer(s: Scenario, code: str, spec: FicheDemo, fiche: FicheAction) -> None:
    chef, v, etapes = s.chefs[code], VAGUES[spec.vague], _etapes(spec)

    def mouvement(nom: str, jour: date) -> None:
        cycle.appliquer(user=chef, fiche=fiche, mouvement=nom, date_effet=jour)

    s.le(v.soumise, "soumettre", lambda: mouvement("soumettre", v.soumise))
    if Etat.COPIL in etapes:
        jour = v.local + DECALAGE_LOCAL[code]
        s.en_comite(s.locaux[code], jour, "local", fiche, "avis_local", avis=Avis.FAVORABLE)
    if spec.refus == "copil":
        avis = {"avis": Avis.DEFAVORABLE, "motif": spec.motif}
        s.en_comite(s.copil, v.copil, "copil", fiche, "avis_copil", **avis)
    elif Etat.INSTRUCTION in etapes:
        s.en_comite(s.copil, v.copil, "copil", fiche, "avis_copil", avis=Avis.FAVORABLE)
    if spec.refus == "arbitrage":
        s.en_comite(s.copil, v.retenue, "arbitrage", fiche, "ne_pas_retenir", motif=spec.motif)
    elif Etat.RETENUE in etapes:
        s.le(v.lignes, "lignes", lambda: _decider_lignes(fiche, chef, v.lignes))
        s.en_comite(s.copil, v.retenue, "arbitrage", fiche, "retenir")
    elif spec.plan == "fonds_vert" and Etat.INSTRUCTION in etapes:
        # The other funders decide while Ademe instructs the Fonds vert line.
        s.le(v.lignes, "lignes", lambda: _decider_lignes(fiche, chef, v.lignes))
    if spec.paye_le:
        s.le(spec.paye_le, "paiement", lambda: _payer(fiche, chef, spec.paye_le))
    if spec.realisee_le:
        s.le(spec.realisee_le, "achever", lambda: mouvement("achever", spec.realisee_le))


def _decideur(ligne, chef: Utilisateur) -> Utilisateur | None:
    """The demo account that speaks for a line's funder; None when no demo account does."""
    nom, type_ = ligne.financeur.nom, ligne.financeur.type
    if nom in SANS_DECIDEUR:
        return None
    if nom == "Bpifrance":
        return compte("bpifrance.ara@demo.ti")
    if nom == "Banque des territoires":
        return compte("bdt.ara@demo.ti")
    if type_ == TypeOrganisation.REGION:
        return compte("region.ara@demo.ti")
    if type_ == TypeOrganisation.ETAT:
        return compte("etat.8401@demo.ti")
    if nom == TISSAGES:
        return compte("entreprise.8401@demo.ti")
    dirigeant = next((a for a, _, firme in DIRIGEANTS if firme == nom), None)
    if dirigeant is not None:
        return compte(f"{dirigeant}@demo.ti")
    if type_ == TypeOrganisation.ENTREPRISE:
        return None
    return chef  # the bearer's own share: the chef de projet works for it


def _decider_lignes(fiche: FicheAction, chef: Utilisateur, le: date) -> None:
    for ligne in fiche.lignes.select_related("financeur").filter(statut=StatutLigne.DEMANDE):
        decideur = _decideur(ligne, chef)
        if decideur is not None:
            cycle.decider_ligne(
                user=decideur, ligne=ligne, statut=StatutLigne.ACCORDE, date_effet=le
            )


def _payer(fiche: FicheAction, chef: Utilisateur, le: date) -> None:
    """The first funder (other than the bearer) pays its line."""
    ligne = (
        fiche.lignes.select_related("financeur")
        .filter(statut=StatutLigne.ACCORDE)
        .exclude(financeur=fiche.porteur)
        .order_by("pk")
        .first()
    )
    solder(ligne, _decideur(ligne, chef), le)
