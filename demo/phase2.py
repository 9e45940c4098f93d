"""The demo in phase 2 (2023-2027), loaded after the phase-1 demo, which stays as history.

The phase-2 territories that hold the demo's places: ti-8401 « Ardèche Drôme Nord » (CA Annonay
Rhône Agglo, Annonay and Tournon, like 8401 before it) and ti-8413 « Plastics Vallée –
Oyonnax » (Oyonnax, the heart of 8408 in phase 1). ti-8415 « Rhône Provence Industrie »
(Pierrelatte, formerly in 8401) has its binôme and State referent but no chef de projet yet:
the deployment tracking flags it.

The territories' people of phase 1 end their designations with phase 1 (the first day of
phase 2 is the end, exclusive, as `Designation.actives` reads it) and are designated again
on the phase-2 territories by a demo decision of the regional COPIL (12/12/2023).

Then 2024-2026, built through the services as users would, in date order: fiches under the
four priorities, each committee move decided in a meeting of the local committee or of the
COPIL of région 84 (shared with phase 1), funders' decisions on their lines, a Fonds vert
fiche of a firm with the governance's agreement, a firm declared in difficulty (RGEC) whose
fiche is not retained, a simplification request; a protocol then a contract signed for
ti-8401 (its local committee continues as the comité de suivi), a protocol and a contract
validated and partly signed for ti-8413. No date after November 2026. Everything is flagged
demo=True.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.models import Designation, Organisation, Personne, ProfilEntreprise, Utilisateur
from contrats import cycle as cycle_contrats
from contrats import services as contrats
from contrats.enums import NatureSignataire
from contrats.models import Contrat
from fiches import cycle
from fiches import services as fiches
from fiches.enums import Avis, Etat, StatutLigne
from fiches.models import FicheAction, Indicateur
from gouvernance import services as gouvernance
from gouvernance.enums import NaturePoint, ObjetDecision, Presence
from gouvernance.models import Comite, Reunion
from mesures.enums import Priorite
from mesures.models import Mesure
from referentiel.models import EPCI, Region
from territoires.models import Decision, Instance, Phase, Territoire
from territoires.selectors import vue_territoire

from .personas import _org, _personne

PHASE = 2
T8401, T8413, T8415 = "ti-8401", "ti-8413", "ti-8415"
DECISION_EQUIPES = date(2023, 12, 12)
HAUT_BUGEY = "200042935"  # CA Haut-Bugey Agglomération, the whole of ti-8413
ANNONAY = "200072015"  # CA Annonay Rhône Agglo, in ti-8401
TISSAGES = "[Démo] Tissages d'Annonay SAS"
PLASTURGIE = "[Démo] Plasturgie d'Oyonnax"
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
    paye_le: date | None = None  # the first operator's (or the State's) line paid
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


def _u(email: str) -> Utilisateur:
    return Utilisateur.objects.get(email=email)


def derniere_date() -> date:
    """The scenario's last day: none of its moves may be after today."""
    jours = [d for v in VAGUES.values() for d in vars(v).values() if d]
    jours += [d for fs in FICHES.values() for f in fs for d in (f.paye_le, f.realisee_le) if d]
    for c in CONTRATS.values():
        jours += [c["protocole"], c["validation"], *c["signatures"].values()]
    return max(jours) + max(DECALAGE_LOCAL.values())


def load_phase2() -> list[str]:
    if not settings.DEMO_MODE:
        raise RuntimeError("Les données de démonstration ne se chargent qu'en mode démo.")
    codes = [T8401, T8413, T8415]
    territoires = {t.code: t for t in Territoire.objects.filter(phase_id=PHASE, code__in=codes)}
    if len(territoires) < len(codes):
        return [
            "Territoires ti-8401, ti-8413 ou ti-8415 absents : démonstration de la phase 2 "
            "non chargée."
        ]
    if timezone.localdate() < derniere_date():
        # A clock behind the scenario: the services would refuse its moves « in the future ».
        return [
            f"Démonstration de la phase 2 non chargée : elle va jusqu'au "
            f"{derniere_date():%d/%m/%Y}, après la date du jour."
        ]
    out = _equipes(territoires)
    out.extend(_scenario(territoires))
    return out


# --- Teams -----------------------------------------------------------------------------------


def _designer(personne: Personne, role: str, territoire: Territoire, decision: Decision) -> None:
    Designation.objects.get_or_create(
        personne=personne,
        role=role,
        territoire=territoire,
        defaults={"date_debut": decision.date, "decision": decision, "demo": True},
    )


def _equipes(territoires: dict[str, Territoire]) -> list[str]:
    """Idempotent piece by piece, as the personas are."""
    # The territories' people of phase 1 leave with it; région-wide roles (the Région's
    # pilot, operators' referents), the delegation and the firm's own account go on.
    fin_phase_1 = Phase.objects.get(pk=PHASE).date_debut  # the end, exclusive
    closes = Designation.objects.filter(
        demo=True, territoire__phase_id=PHASE - 1, date_fin__isnull=True
    ).update(date_fin=fin_phase_1)
    decision, _ = Decision.objects.get_or_create(
        intitule="[Démo] Équipes des territoires ti-8401, ti-8413 et ti-8415 (phase 2)",
        demo=True,
        defaults={
            "date": DECISION_EQUIPES,
            "instance": Instance.COPIL_REGIONAL,
            "region_id": "84",
            "texte": "Décision fictive, pour la démonstration.",
        },
    )
    haut_bugey = EPCI.objects.get(siren=HAUT_BUGEY)
    org_haut_bugey = Organisation.objects.filter(epci=haut_bugey).first() or _org(
        haut_bugey.nom, TypeOrganisation.EPCI, epci=haut_bugey, siren=haut_bugey.siren
    )
    # The chef de projet of 8408 now works for Haut-Bugey Agglomération, which bears ti-8413's
    # fiches: its own share in their plans is his to decide on, as in phase 1.
    Personne.objects.filter(
        email="chef.8408@demo.ti", organisation__nom="[Démo] Communauté de communes (8408)"
    ).update(organisation=org_haut_bugey)
    t1, t2 = territoires[T8401], territoires[T8413]
    orgs = {
        "epci": org_haut_bugey,
        "chimie": Organisation.objects.get(nom="[Démo] Chimie de Pierrelatte"),
        "prefecture": Organisation.objects.get(nom="[Démo] Préfecture de l'Ardèche"),
        "": None,
    }
    for adresse, qui, fonction, role, code, org in SANS_COMPTE:
        prenom, nom = qui.split(" ", 1)
        personne = _personne(f"{adresse}@demo.ti", prenom, nom, orgs[org], fonction, compte=False)
        _designer(personne, role, territoires[code], decision)
    personnes = {p.email: p for p in Personne.objects.filter(demo=True)}
    for email, role, t in (
        ("etat.8401@demo.ti", Role.REFERENT_ETAT, t1),
        ("chef.8401@demo.ti", Role.CHEF_PROJET, t1),
        ("elu.8401@demo.ti", Role.BINOME_ELU, t1),
        ("industriel.8401@demo.ti", Role.BINOME_INDUSTRIEL, t1),
        ("ref.region.8401@demo.ti", Role.REFERENT_REGION, t1),
        ("chef.8408@demo.ti", Role.CHEF_PROJET, t2),
    ):
        _designer(personnes[email], role, t, decision)
    for nom, (en_difficulte, le) in DECLARATIONS_RGEC.items():
        ProfilEntreprise.objects.filter(organisation__nom=nom, en_difficulte__isnull=True).update(
            en_difficulte=en_difficulte, en_difficulte_declare_le=le
        )
    if not closes:
        return ["Équipes de démonstration de la phase 2 déjà présentes."]
    return [
        f"Démo phase 2 : équipes de ti-8401 et ti-8413 désignées le {DECISION_EQUIPES:%d/%m/%Y}, "
        f"ti-8415 sans chef de projet ; {closes} désignations de la phase 1 closes au "
        f"{fin_phase_1 - timedelta(days=1):%d/%m/%Y}."
    ]


# --- Fiches, meetings, contracts, in date order ----------------------------------------------


class Scenario:
    """The demo's users and bodies, and the events of 2024-2026 played in date order."""

    def __init__(self, territoires: dict[str, Territoire]):
        self.t = territoires
        self.pilote = _u("region.ara@demo.ti")
        self.chefs = {T8401: _u("chef.8401@demo.ti"), T8413: _u("chef.8408@demo.ti")}
        self.locaux = {c: gouvernance.comite_local(territoires[c], demo=True) for c in self.chefs}
        self.copil = gouvernance.copil_regional(Region.objects.get(code="84"), demo=True)
        self.evenements: list[tuple[date, int, int, Callable[[], object]]] = []
        self.decisions = 0

    def le(self, jour: date, rang: str, action: Callable[[], object]) -> None:
        self.evenements.append((jour, RANGS.index(rang), len(self.evenements), action))

    def jouer(self) -> None:
        for *_quand, action in sorted(self.evenements, key=lambda e: e[:3]):
            action()

    def animateur(self, comite: Comite) -> Utilisateur:
        return self.pilote if comite == self.copil else self.chefs[comite.territoire.code]

    def reunion(self, comite: Comite, jour: date, info: str = "") -> Reunion:
        existante = comite.reunions.filter(debut__date=jour).first()
        if existante:
            return existante
        user = self.animateur(comite)
        r = gouvernance.planifier_reunion(
            user=user,
            comite=comite,
            debut=timezone.make_aware(datetime.combine(jour, time(14, 0))),
            fin=timezone.make_aware(datetime.combine(jour, time(17, 0))),
            lieu=LIEU_COPIL if comite == self.copil else LIEUX[comite.territoire.code],
            demo=True,
        )
        for personne in self._presents(comite):
            gouvernance.inviter(user=user, reunion=r, personne=personne, presence=Presence.PRESENT)
        if info:
            gouvernance.ajouter_point(
                user=user, reunion=r, nature=NaturePoint.INFORMATION, intitule=info
            )
        gouvernance.rediger_compte_rendu(
            user=user, reunion=r, texte="[Démo] Compte rendu fictif de la réunion."
        )
        return r

    def _presents(self, comite: Comite) -> list[Personne]:
        if comite == self.copil:
            emails = {
                "region.ara@demo.ti",
                "etat.8401@demo.ti",
                "bpifrance.ara@demo.ti",
                "bdt.ara@demo.ti",
                "chef.8401@demo.ti",
                "chef.8408@demo.ti",
            }
            return list(Personne.objects.filter(email__in=emails, demo=True).order_by("nom"))
        return list(
            Personne.objects.filter(
                designations__in=Designation.objects.actives().filter(
                    territoire=comite.territoire, demo=True
                )
            )
            .distinct()
            .order_by("nom")
        )

    def en_comite(self, comite: Comite, jour: date, rang: str, fiche, mouvement: str, **kw):
        """On that day, the body decides on the fiche in its meeting."""
        self.le(jour, rang, lambda: self.decider_fiche(comite, jour, fiche, mouvement, **kw))

    def decider_fiche(self, comite: Comite, jour: date, fiche, mouvement: str, **kw) -> None:
        """The body decides on the fiche in its meeting of that day: the move follows."""
        r = self.reunion(comite, jour)
        user = self.animateur(comite)
        point = gouvernance.ajouter_point(
            user=user, reunion=r, nature=NaturePoint.FICHE, fiche=fiche
        )
        gouvernance.decider(
            user=user,
            reunion=r,
            point=point,
            objet=ObjetDecision.FICHE,
            mouvement=mouvement,
            texte="[Démo] Décision fictive.",
            **kw,
        )
        self.decisions += 1


@transaction.atomic
def _scenario(territoires: dict[str, Territoire]) -> list[str]:
    if FicheAction.objects.filter(demo=True, territoire__phase_id=PHASE).exists():
        return ["Démonstration de la phase 2 déjà présente."]
    s = Scenario(territoires)
    # Launch at the regional COPIL, installation of the local committees, a first review of
    # the contract by ti-8401's committee, by then its comité de suivi.
    for comite, jour, info in (
        (s.copil, date(2024, 1, 23), "Lancement de la phase 2 : priorités et calendrier"),
        (s.locaux[T8401], date(2024, 2, 13), "Installation du comité, feuille de route 2024-2027"),
        (s.locaux[T8413], date(2024, 2, 20), "Installation du comité, feuille de route 2024-2027"),
        (s.locaux[T8401], date(2025, 10, 14), "Premier bilan du contrat signé"),
    ):
        s.le(jour, "reunion", lambda c=comite, j=jour, i=info: s.reunion(c, j, info=i))
    out = []
    for code, specs in FICHES.items():
        for i, spec in enumerate(specs):
            _fiche(s, code, i, spec)
        out.append(f"Démo phase 2 : {len(specs)} fiches-actions pour le territoire {code}.")
    for code in CONTRATS:
        _contractualiser(s, code)
    s.jouer()
    reunions = Reunion.objects.filter(demo=True, debut__year__gte=2024).count()
    out.append(f"Démo phase 2 : {reunions} réunions, {s.decisions} décisions sur les fiches.")
    for code in CONTRATS:
        c = Contrat.objects.get(territoire=territoires[code])
        if c.date_signature:
            out.append(
                f"Démo phase 2 : protocole et contrat de {code} signés ; comité de suivi depuis "
                f"le {c.date_signature:%d/%m/%Y}."
            )
        else:
            out.append(f"Démo phase 2 : protocole de {code} signé, contrat validé en signature.")
    return out


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


MATURITE = {Etat.BROUILLON: "idee", Etat.SOUMISE: "emergence", Etat.COPIL: "mature"}
ETAPES = [Etat.SOUMISE, Etat.COPIL, Etat.INSTRUCTION, Etat.RETENUE, Etat.INSCRITE]


def _fiche(s: Scenario, code: str, i: int, spec: FicheDemo) -> FicheAction:
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
    if spec.vague is None:
        return fiche
    v = VAGUES[spec.vague]
    # How far the fiche goes on the path before its last move: inscribed fiches are retained
    # here, then inscribed by the signature of the contract they are annexed to.
    jusqu_a = spec.cible if spec.cible in ETAPES else Etat.RETENUE
    if spec.refus:
        jusqu_a = Etat.COPIL if spec.refus == "copil" else Etat.INSTRUCTION
    etapes = ETAPES[: ETAPES.index(jusqu_a) + 1]

    def mouvement(nom: str, jour: date) -> None:
        cycle.appliquer(user=chef, fiche=fiche, mouvement=nom, date_effet=jour)

    s.le(v.soumise, "soumettre", lambda: mouvement("soumettre", v.soumise))
    if Etat.COPIL in etapes:
        local = s.locaux[code]
        jour = v.local + DECALAGE_LOCAL[code]
        s.en_comite(local, jour, "local", fiche, "avis_local", avis=Avis.FAVORABLE)
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
    return fiche


def _decideur(ligne, chef: Utilisateur) -> Utilisateur | None:
    """The demo account that speaks for a line's funder; None when no demo account does."""
    nom, type_ = ligne.financeur.nom, ligne.financeur.type
    if nom in SANS_DECIDEUR:
        return None
    if nom == "Bpifrance":
        return _u("bpifrance.ara@demo.ti")
    if nom == "Banque des territoires":
        return _u("bdt.ara@demo.ti")
    if type_ == TypeOrganisation.REGION:
        return _u("region.ara@demo.ti")
    if type_ == TypeOrganisation.ETAT:
        return _u("etat.8401@demo.ti")
    if nom == TISSAGES:
        return _u("entreprise.8401@demo.ti")
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
    cycle.decider_ligne(
        user=_decideur(ligne, chef), ligne=ligne, statut=StatutLigne.PAYE, date_effet=le
    )


# --- Protocol and contract -------------------------------------------------------------------


def _contractualiser(s: Scenario, code: str) -> None:
    spec = CONTRATS[code]
    t, chef = s.t[code], s.chefs[code]
    vue = vue_territoire(t)
    epcis = list(EPCI.objects.filter(siren__in=[e.siren for e in vue.epcis]).order_by("nom"))
    principal = EPCI.objects.get(siren=ANNONAY if code == T8401 else HAUT_BUGEY)

    def protocole() -> None:
        p = contrats.creer_protocole(
            user=chef,
            territoire=t,
            donnees={
                "ambitions": "[Démo] Une industrie qui recrute, se décarbone et trouve où "
                "s'implanter : les quatre priorités de la phase 2.",
                "plan_actions": "[Démo] Les premières fiches présentées au comité de projet, "
                "en annexe, sans engagement financier.",
            },
            demo=True,
        )
        presentees = FicheAction.objects.filter(territoire=t, demo=True).exclude(
            etat__in=[Etat.BROUILLON, Etat.NON_RETENUE]
        )
        for f in presentees:
            contrats.annexer_au_protocole(
                user=chef, protocole=p, fiche=f, resume=f"[Démo] {f.contexte}"
            )
        for nature, qualite, epci in (
            (NatureSignataire.PRESIDENT_EPCI, f"Président de {principal.nom}", principal),
            (NatureSignataire.PREFET, "Préfet de département", None),
        ):
            contrats.ajouter_signataire(
                user=chef,
                document=p,
                nature=nature,
                nom="[Démo] Signataire fictif",
                qualite=qualite,
                epci=epci,
            )
        for signataire in p.signataires.all():
            cycle_contrats.signer(user=chef, signataire=signataire, date=spec["protocole"])

    def contrat() -> None:
        c = contrats.creer_contrat(
            user=chef,
            territoire=t,
            donnees={
                "annee_debut": 2024,
                "annee_fin": 2027,
                "enjeux": "[Démo] Des compétences à former, des procédés à décarboner, du "
                "foncier industriel à reconquérir.",
                "ambitions": "[Démo] Les quatre priorités de la phase 2, portées par un chef "
                "de projet dédié.",
                "actions_engagees": "[Démo] Les fiches retenues par le COPIL régional.",
                "engagement_parties": "[Démo] Les parties mobilisent leurs moyens, chacune "
                "selon ses procédures.",
                "plan_actions": "[Démo] Les fiches-actions retenues figurent en annexe.",
                "pilotage": "[Démo] Le comité de projet continue en comité de suivi dès la "
                "signature ; un bilan annuel au COPIL régional.",
            },
            epcis=epcis,
            demo=True,
        )
        for f in FicheAction.objects.filter(territoire=t, demo=True, etat=Etat.RETENUE):
            cycle_contrats.annexer(user=chef, document=c, fiche=f)
        signataires = [
            (NatureSignataire.PRESIDENT_REGION, f"Président de la région {r.nom}", r, None)
            for r in Region.objects.filter(code__in=vue.regions)
        ]
        signataires.append((NatureSignataire.PREFET, "Préfet, représentant de l'État", None, None))
        signataires += [
            (NatureSignataire.PRESIDENT_EPCI, f"Président de {e.nom}", None, e) for e in epcis
        ]
        for nature, qualite, region, epci in signataires:
            contrats.ajouter_signataire(
                user=chef,
                document=c,
                nature=nature,
                nom="[Démo] Signataire fictif",
                qualite=qualite,
                region=region,
                epci=epci,
            )
        jour = spec["validation"]
        if spec["en_reunion"]:
            r = s.reunion(s.copil, jour)
            point = gouvernance.ajouter_point(
                user=s.pilote, reunion=r, nature=NaturePoint.CONTRAT, territoire=t
            )
            lien = gouvernance.decider(
                user=s.pilote,
                reunion=r,
                point=point,
                objet=ObjetDecision.CONTRAT,
                texte="[Démo] Validation fictive du contrat.",
            )
            cycle_contrats.valider_en_reunion(user=s.pilote, document=c, lien=lien)
        else:
            cycle_contrats.valider(
                user=s.pilote,
                document=c,
                date=jour,
                reunion=False,
                texte="[Démo] Accord fictif de la Région et des intercommunalités.",
            )

    def signer(nature: str, jour: date) -> None:
        c = Contrat.objects.get(territoire=t)
        for signataire in c.signataires.filter(nature=nature, signe_le__isnull=True):
            cycle_contrats.signer(user=chef, signataire=signataire, date=jour)

    s.le(spec["protocole"], "contrat", protocole)
    s.le(spec["validation"], "contrat", contrat)
    for nature, jour in spec["signatures"].items():
        s.le(jour, "signature", lambda n=nature, j=jour: signer(n, j))
