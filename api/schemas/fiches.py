"""Shapes of the fiches-actions' answers and bodies (api.fiches, api.parcours)."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from mesures.enums import CLASSEMENT_PAR_PHASE, NOM_DU_CLASSEMENT

from . import Cle, Identifiant, Jour, Reference


class PorteurOut(Reference):
    type: str


class TerritoireRef(Schema):
    code: str
    nom: str
    phase: int


class FicheOut(Schema):
    """A fiche in a list: no amount, no field that may be secret."""

    uuid: UUID
    reference: str
    territoire: TerritoireRef
    titre: str
    axe: str
    etat: str
    libelle_etat: str
    porteur: PorteurOut
    maturite: str
    date_debut: Jour | None
    date_fin: Jour | None
    statut_execution: str
    version: int
    modifie_le: datetime

    @staticmethod
    def resolve_territoire(obj):
        t = obj.territoire
        return {"code": t.code, "nom": t.nom, "phase": t.phase_id}

    @staticmethod
    def resolve_libelle_etat(obj):
        return obj.get_etat_display()

    @staticmethod
    def resolve_statut_execution(obj):
        return obj.statut_execution_derive()


class LigneOut(Schema):
    id: int
    financeur: Reference
    mesure: Reference | None
    section: str
    montant: Decimal | None = Field(description="En euros ; null si secret pour vous.")
    statut: str
    de_minimis: bool
    demande_le: Jour | None
    decide_le: Jour | None
    paye: Decimal | None = Field(
        description="Somme des paiements enregistrés sur les engagements de la ligne, en "
        "euros ; null si le montant est secret pour vous."
    )
    dernier_paiement: Jour | None
    champs_secrets: list[str]
    masques: list[str] = Field(description="Champs secrets que vous ne pouvez pas lire.")


class ValeurOut(Schema):
    date: Jour
    valeur: Decimal


class IndicateurOut(Schema):
    id: int
    libelle: str
    unite: str
    cible: Decimal | None
    valeurs: list[ValeurOut]


class TransitionOut(Schema):
    action: str
    libelle: str
    etat_avant: str
    etat_apres: str
    avis: str
    par: str | None = Field(description="Auteur du mouvement ; null pour un lecteur anonyme.")
    le: datetime = Field(description="Enregistré le.")
    date_effet: Jour = Field(description="Jour de la décision ou du mouvement.")
    motif: str
    decision: str | None


class ControleOut(Schema):
    code: str
    message: str
    chiffres: dict[str, str] | None = Field(
        description="Les montants du constat ; null sans droit d'en connaître."
    )
    motif: str = Field(
        "",
        description="Pourquoi les chiffres ne vous sont pas donnés : secret industriel, ou "
        "secret statistique quand ils cumulent des montants d'autres fiches.",
    )


class MouvementPossible(Schema):
    mouvement: str
    libelle: str
    chemin: str


class FicheDetailOut(Schema):
    uuid: UUID
    reference: str
    territoire: TerritoireRef
    numero: int
    titre: str
    axe: str
    contexte: str
    description: str | None
    porteur: PorteurOut
    partenaires: list[Reference]
    portee: str
    epcis: list[str]
    communes: list[str]
    filiere: str | None
    collective: bool
    maturite: str
    date_debut: Jour | None
    date_fin: Jour | None
    cout_total: Decimal | None
    mesures: list[Reference]
    contrat_valorise: str
    demande_simplification: bool
    probleme: str
    nature_simplification: str
    orientation: str
    etat: str
    libelle_etat: str
    phase_execution: str
    statut_execution: str
    champs_secrets: list[str]
    masques: list[str] = Field(description="Champs secrets de la fiche que vous ne lisez pas.")
    version: int
    cree_le: datetime
    modifie_le: datetime
    lignes: list[LigneOut]
    indicateurs: list[IndicateurOut]
    transitions: list[TransitionOut]
    controles: list[ControleOut]
    mouvements: list[MouvementPossible] = Field(
        description="Les mouvements que vous pouvez faire maintenant."
    )


class MouvementOut(Schema):
    uuid: UUID
    etat: str
    libelle_etat: str
    version: int
    transition: TransitionOut


class FiltresFiches(Schema):
    territoire: str | None = Field(None, description="Code du territoire, par exemple 8401.")
    phase: Identifiant | None = None
    region: str | None = Field(None, description="Code INSEE de la région.")
    axe: str | None = Field(None, description="Un axe (phase 1) ou une priorité (phase 2).")
    etat: str | None = None
    type_porteur: str | None = None
    financeur: Identifiant | None = Field(None, description="Identifiant de l'organisation.")
    mesure: Identifiant | None = None
    q: str | None = Field(
        None,
        description="Mots de la référence, du titre, du contexte, du problème ou de la "
        "description non secrète, chacun trouvé par son début (comme la recherche du site).",
    )


class LigneIn(Schema):
    financeur: Identifiant = Field(description="Identifiant de l'organisation sollicitée.")
    mesure: Identifiant | None = None
    section: str = Field(description="fonctionnement ou investissement.")
    montant: Decimal = Field(description="En euros.")
    de_minimis: bool = False
    champs_secrets: list[str] = Field([], description='["montant"] pour le tenir secret.')


class IndicateurIn(Schema):
    libelle: str
    unite: str
    cible: Decimal | None = None


def _ou(valeurs: list[str]) -> str:
    return ", ".join(valeurs[:-1]) + " ou " + valeurs[-1]


# The values of each phase's list, as mesures.enums holds them.
_CLASSEMENTS = " ; ".join(
    f"{NOM_DU_CLASSEMENT[liste][0]} (phase {phase}) : {_ou(liste.values)}"
    for phase, liste in sorted(CLASSEMENT_PAR_PHASE.items())
)
AXE = (
    f"{_CLASSEMENTS[0].upper()}{_CLASSEMENTS[1:]}. "
    "Les valeurs de l'autre phase sont refusées (422)."
)
SIMPLIFICATION = (
    "Phase 2 : la fiche porte une demande de simplification, quelle que soit sa priorité "
    "(`probleme` obligatoire). En phase 1, c'est l'axe « simplifier »."
)


class FicheIn(Schema):
    territoire: Cle = Field(description="Code du territoire.")
    phase: Identifiant = Field(description="Phase du programme du territoire.")
    titre: str
    axe: str = Field(description=AXE)
    porteur: Identifiant = Field(description="Identifiant de l'organisation porteuse.")
    contexte: str = ""
    description: str = ""
    portee: str = "territoire"
    filiere: Identifiant | None = None
    collective: bool = True
    maturite: str = "idee"
    date_debut: Jour | None = None
    date_fin: Jour | None = None
    cout_total: Decimal | None = None
    contrat_valorise: str = ""
    demande_simplification: bool = Field(False, description=SIMPLIFICATION)
    probleme: str = ""
    nature_simplification: str = ""
    orientation: str = ""
    champs_secrets: list[str] = Field([], description="Parmi cout_total et description.")
    partenaires: list[Identifiant] = []
    epcis: list[Cle] = Field([], description="SIREN des intercommunalités.")
    communes: list[Cle] = Field([], description="Codes INSEE des communes.")
    mesures: list[Identifiant] = []
    lignes: list[LigneIn] = []
    indicateurs: list[IndicateurIn] = []


class FichePatch(Schema):
    version: Identifiant = Field(description="La version lue : obligatoire (verrou optimiste).")
    titre: str | None = None
    axe: str | None = Field(None, description=AXE)
    porteur: Identifiant | None = None
    contexte: str | None = None
    description: str | None = None
    portee: str | None = None
    filiere: Identifiant | None = None
    collective: bool | None = None
    maturite: str | None = None
    date_debut: Jour | None = None
    date_fin: Jour | None = None
    cout_total: Decimal | None = None
    contrat_valorise: str | None = None
    demande_simplification: bool | None = None
    probleme: str | None = None
    nature_simplification: str | None = None
    orientation: str | None = None
    champs_secrets: list[str] | None = None
    partenaires: list[Identifiant] | None = None
    epcis: list[Cle] | None = None
    communes: list[Cle] | None = None
    mesures: list[Identifiant] | None = None
    lignes: list[LigneIn] | None = Field(None, description="Remplace tout le plan de financement.")
    indicateurs: list[IndicateurIn] | None = Field(None, description="Remplace les indicateurs.")


class MouvementIn(Schema):
    date_effet: Jour | None = Field(None, description="Jour du mouvement ; aujourd'hui par défaut.")
    motif: str = ""


class DecisionIn(MouvementIn):
    decision_texte: str = Field("", description="Résumé de la décision de l'instance.")


class AvisIn(DecisionIn):
    avis: str = Field("", description="favorable, defavorable ou a_retravailler.")


class DecisionLigneIn(Schema):
    statut: str = Field(
        description="accorde ou refuse (en instruction). Un paiement s'enregistre sur "
        "l'engagement de la ligne : POST /api/v1/engagements/{id}/paiements."
    )
    date_effet: Jour | None = None
    motif: str = ""
