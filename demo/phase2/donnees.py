"""The phase-2 demo's scenario as data: the territories, the rounds of fiches and their dates,
the fiches, the contracts, the teams' people without an account, the order of a day's events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from comptes.enums import Role
from contrats.enums import NatureSignataire
from fiches.enums import Etat
from mesures.enums import Priorite

PHASE = 2
T8401, T8413, T8415 = "ti-8401", "ti-8413", "ti-8415"
DECISION_EQUIPES = date(2023, 12, 12)
HAUT_BUGEY = "200042935"  # CA Haut-Bugey Agglomération, the whole of ti-8413
ANNONAY = "200072015"  # CA Annonay Rhône Agglo, in ti-8401
TISSAGES = "[Démo] Tissages d'Annonay SAS"
PLASTURGIE = "[Démo] Plasturgie d'Oyonnax"
MECANIQUE = "[Démo] Mécanique de Tournon"
CHIMIE = "[Démo] Chimie de Pierrelatte"
DECOLLETAGE = "[Démo] Décolletage du Haut-Bugey"
FONDS_VERT = "Fonds vert — Territoires d'industrie en transition écologique"
ENVELOPPE = "Enveloppe nationale Territoires d'industrie 2023-2027"
CHEF_DE_PROJET = "Cofinancement par l'État du chef de projet Territoires d'industrie"
LIEU_COPIL = "[Démo] Hôtel de Région, Lyon"
LIEUX = {
    T8401: "[Démo] Annonay, siège d'Annonay Rhône Agglo",
    T8413: "[Démo] Oyonnax, siège de Haut-Bugey Agglomération",
}


@dataclass(frozen=True)
class Vague:
    """The dates of a round of fiches: submitted, local committee (ti-8401's; ti-8413's meets
    a week later), regional COPIL, funders' decisions, COPIL that retains."""

    soumise: date
    local: date | None = None
    copil: date | None = None
    lignes: date | None = None
    retenue: date | None = None

    @classmethod
    def de(cls, *jours: str) -> Vague:
        return cls(*map(date.fromisoformat, jours))


VAGUES = {
    1: Vague.de("2024-03-19", "2024-04-09", "2024-05-14", "2024-09-17", "2024-11-19"),
    2: Vague.de("2024-09-10", "2024-10-08", "2024-11-19", "2025-02-18", "2025-04-08"),
    3: Vague.de("2025-09-09", "2025-10-14", "2025-11-18", "2026-03-10", "2026-05-12"),
    4: Vague.de("2026-09-15", "2026-10-13"),
    5: Vague.de("2026-10-27"),
}
DECALAGE_LOCAL = {T8401: timedelta(0), T8413: timedelta(days=7)}


@dataclass(frozen=True)
class FicheDemo:
    priorite: str
    titre: str
    contexte: str
    cible: str  # the state the fiche reaches (fiches.enums.Etat)
    vague: int | None  # None: a draft
    plan: str  # a financing plan of PLANS
    cout: int
    porteur: str = "epci"  # or the name of a demo firm
    refus: str = ""  # how a fiche ends « non retenue »: "copil" opinion, or "arbitrage"
    motif: str = ""
    simplification: dict = field(default_factory=dict)
    paye_le: date | None = None  # the first funder's line paid in full that day (its money)
    realisee_le: date | None = None
    description: str = ""


FICHES = {
    T8401: [
        FicheDemo(
            Priorite.COMPETENCES,
            "Campus des métiers de l'industrie du Nord-Ardèche",
            "Rapprocher lycées professionnels, CFA et entreprises autour d'un plateau technique.",
            Etat.REALISEE,
            1,
            "collectivites",
            640_000,
            realisee_le=date(2026, 9, 29),
        ),
        FicheDemo(
            Priorite.FONCIER,
            "Requalification de la friche industrielle de Vidalon",
            "Dépolluer et redécouper une friche pour accueillir trois implantations.",
            Etat.INSCRITE,
            1,
            "enveloppe",
            1_800_000,
            paye_le=date(2025, 12, 2),
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Chaleur renouvelable pour l'usine des Tissages d'Annonay",
            "Remplacer la chaudière au gaz par une pompe à chaleur sur les rejets de l'usine.",
            Etat.INSTRUCTION,
            2,
            "fonds_vert",
            1_200_000,
            porteur=TISSAGES,
            description="[Démo] Pompe à chaleur de 2 MW sur les eaux de rinçage ; 70 % de gaz "
            "en moins ; travaux pendant l'arrêt d'été.",
        ),
        FicheDemo(
            Priorite.INNOVATION,
            "Plateforme d'essais mutualisée pour les textiles techniques",
            "Des bancs d'essais partagés entre les PME textiles du bassin.",
            Etat.RETENUE,
            3,
            "bpi",
            900_000,
        ),
        FicheDemo(
            Priorite.COMPETENCES,
            "Poste de chef de projet Territoires d'industrie 2024-2026",
            "Un chef de projet dédié anime le territoire, cofinancé par l'État.",
            Etat.INSCRITE,
            1,
            "chef_de_projet",
            180_000,
        ),
        FicheDemo(
            Priorite.FONCIER,
            "Extension de la zone d'activités de Munas",
            "Ouvrir huit hectares aux entreprises industrielles du territoire.",
            Etat.SOUMISE,
            5,
            "collectivites",
            2_400_000,
            simplification={
                "probleme": "L'autorisation environnementale et le permis d'aménager sont "
                "instruits l'un après l'autre : dix-huit mois avant le premier chantier.",
                "nature_simplification": "piste",
                "orientation": "certificat",
            },
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Réseau de chaleur de la zone industrielle des Gonnettes",
            "Mutualiser la chaleur fatale de deux sites pour les entreprises voisines.",
            Etat.NON_RETENUE,
            2,
            "collectivites",
            3_100_000,
            refus="copil",
            motif="[Démo] À reprendre avec le schéma directeur des réseaux de chaleur.",
        ),
        FicheDemo(
            Priorite.INNOVATION,
            "Démonstrateur de robotique collaborative pour les PME",
            "Montrer aux PME des robots qu'elles peuvent louer avant d'investir.",
            Etat.BROUILLON,
            None,
            "bpi",
            350_000,
        ),
        FicheDemo(
            Priorite.COMPETENCES,
            "Groupement d'employeurs pour l'industrie du Nord-Ardèche",
            "Partager techniciens de maintenance et qualiticiens entre PME.",
            Etat.COPIL,
            4,
            "collectivites",
            260_000,
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Photovoltaïque en toiture des bâtiments industriels",
            "Équiper les toitures des zones d'activités et vendre l'électricité aux usines.",
            Etat.INSCRITE,
            2,
            "bdt",
            1_500_000,
        ),
        # Three firms of comparable size carry granted and paid money (with ti-8413's below),
        # so that totals show under statistical secrecy (at least three firms, none > 85 %).
        FicheDemo(
            Priorite.INNOVATION,
            "Cellule d'usinage automatisée pour les pièces de robinetterie",
            "Automatiser l'usinage des petites séries pour garder la production sur place.",
            Etat.RETENUE,
            3,
            "bpi",
            800_000,
            porteur=MECANIQUE,
            paye_le=date(2026, 9, 29),
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Récupération des solvants de l'atelier de synthèse",
            "Distiller et réemployer les solvants plutôt que les faire traiter au loin.",
            Etat.RETENUE,
            3,
            "bpi",
            950_000,
            porteur=CHIMIE,
            paye_le=date(2026, 9, 29),
        ),
    ],
    T8413: [
        FicheDemo(
            Priorite.COMPETENCES,
            "Pôle de formation aux métiers de la plasturgie",
            "Réunir lycée, CFA et centre technique autour des presses de production.",
            Etat.RETENUE,
            1,
            "collectivites",
            1_100_000,
        ),
        FicheDemo(
            Priorite.FONCIER,
            "Reconversion de la friche industrielle de Bellignat",
            "Reprendre une ancienne usine de moules pour des entreprises en croissance.",
            Etat.RETENUE,
            2,
            "bdt",
            2_600_000,
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Recyclage des plastiques techniques de la vallée",
            "Collecter et régénérer les chutes de production des plasturgistes.",
            Etat.NON_RETENUE,
            2,
            "fonds_vert",
            1_600_000,
            porteur=PLASTURGIE,
            refus="arbitrage",
            motif="[Démo] L'entreprise s'est déclarée en difficulté au sens du RGEC : l'aide "
            "du Fonds vert ne peut lui être accordée.",
            description="[Démo] Ligne de broyage et d'extrusion de 4 000 tonnes par an.",
        ),
        FicheDemo(
            Priorite.INNOVATION,
            "Moules instrumentés et capteurs embarqués",
            "Équiper les moules de capteurs pour réduire rebuts et réglages.",
            Etat.INSTRUCTION,
            3,
            "bpi",
            750_000,
        ),
        FicheDemo(
            Priorite.COMPETENCES,
            "Logements pour alternants et jeunes salariés de l'industrie",
            "Une résidence de quarante logements près des zones d'activités.",
            Etat.COPIL,
            4,
            "bdt",
            2_200_000,
        ),
        FicheDemo(
            Priorite.FONCIER,
            "Densification des zones d'activités existantes",
            "Construire en hauteur et sur les délaissés plutôt qu'ouvrir de nouvelles zones.",
            Etat.SOUMISE,
            5,
            "collectivites",
            480_000,
            simplification={
                "probleme": "Les règles de hauteur et de stationnement des plans d'urbanisme "
                "empêchent d'étendre les bâtiments sur leur parcelle.",
                "nature_simplification": "experimentation",
                "orientation": "derogation",
            },
        ),
        FicheDemo(
            Priorite.TRANSITION,
            "Décarbonation des presses à injecter",
            "Passer les presses hydrauliques à l'électrique dans les PME de la vallée.",
            Etat.BROUILLON,
            None,
            "bpi",
            900_000,
        ),
        FicheDemo(
            Priorite.INNOVATION,
            "Démonstrateur de pièces en matériaux biosourcés",
            "Tester en série des pièces en polymères biosourcés avec deux donneurs d'ordre.",
            Etat.INSTRUCTION,
            3,
            "collectivites",
            620_000,
        ),
        FicheDemo(
            Priorite.COMPETENCES,
            "Atelier-école du décolletage",
            "Former sur machines réelles les régleurs que les ateliers de la vallée cherchent.",
            Etat.RETENUE,
            3,
            "bpi",
            900_000,
            porteur=DECOLLETAGE,
            paye_le=date(2026, 10, 20),
        ),
    ],
}

# Contracting: the protocol signed, then the contract validated (in a meeting of the regional
# COPIL, or by the agreement of the Région and of the parties) and signed by each kind of
# signatory on its date; a kind without a date has not signed yet.
CONTRATS = {
    T8401: {
        "protocole": date(2024, 6, 18),
        "validation": date(2025, 4, 8),
        "en_reunion": True,
        "signatures": {
            NatureSignataire.PRESIDENT_REGION: date(2025, 5, 20),
            NatureSignataire.PREFET: date(2025, 5, 20),
            NatureSignataire.PRESIDENT_EPCI: date(2025, 5, 20),
        },
    },
    T8413: {
        "protocole": date(2024, 7, 9),
        "validation": date(2026, 9, 15),
        "en_reunion": False,
        "signatures": {
            NatureSignataire.PRESIDENT_REGION: date(2026, 10, 6),
            NatureSignataire.PREFET: date(2026, 10, 27),
        },
    },
}
# Dated declarations under the RGEC: one firm in difficulty, the other not, each made before
# the demo needs it.
DECLARATIONS_RGEC = {TISSAGES: (False, date(2024, 9, 2)), PLASTURGIE: (True, date(2025, 3, 3))}
# The phase-2 territories' people without an account: ti-8415 has no chef de projet.
SANS_COMPTE = [
    ("elu.8413", "Martine Chevalier", "Vice-présidente", Role.BINOME_ELU, T8413, "epci"),
    ("industriel.8413", "Olivier Blanc", "Dirigeant", Role.BINOME_INDUSTRIEL, T8413, ""),
    ("etat.8413", "Karim Mercier", "Sous-préfet", Role.REFERENT_ETAT, T8413, ""),
    ("elu.8415", "Claire Faure", "Présidente d'EPCI", Role.BINOME_ELU, T8415, ""),
    ("industriel.8415", "Thomas Rousseau", "Directeur", Role.BINOME_INDUSTRIEL, T8415, "chimie"),
    ("etat.8415", "Agnès Henry", "Sous-préfète", Role.REFERENT_ETAT, T8415, "prefecture"),
]
# The firms' directors with an account: each decides and pays its firm's own share.
DIRIGEANTS = [
    ("entreprise.tournon", "Bruno Perrin", MECANIQUE),
    ("entreprise.pierrelatte", "Léa Vidal", CHIMIE),
    ("entreprise.bugey", "Marc Collin", DECOLLETAGE),
]
SANS_DECIDEUR = {"Ademe"}  # no demo account speaks for it: its lines stay « demandé »
# The order of one day's events.
RANGS = (
    "reunion",
    "soumettre",
    "local",
    "copil",
    "lignes",
    "arbitrage",
    "contrat",
    "signature",
    "paiement",
    "achever",
)

MATURITE = {Etat.BROUILLON: "idee", Etat.SOUMISE: "emergence", Etat.COPIL: "mature"}
ETAPES = [Etat.SOUMISE, Etat.COPIL, Etat.INSTRUCTION, Etat.RETENUE, Etat.INSCRITE]
