from django.db import models

from comptes.enums import TypeOrganisation


class Axe(models.TextChoices):
    """The four national axes of the action plans of phase 1 (FAQ §4.1)."""

    ATTIRER = "attirer", "Attirer"
    RECRUTER = "recruter", "Recruter"
    INNOVER = "innover", "Innover"
    SIMPLIFIER = "simplifier", "Simplifier"


class Priorite(models.TextChoices):
    """The four national priorities of phase 2 (2023-2027), which replace the axes: skills and
    recruitment, ecological and energy transition, innovation, industrial land (ANCT, call for
    applications of June 2023). Values differ from the axes' (« innovation » is not
    « innover »): a value alone says its phase."""

    COMPETENCES = "competences", "Compétences et recrutement"
    TRANSITION = "transition", "Transition écologique et énergétique"
    INNOVATION = "innovation", "Innovation"
    FONCIER = "foncier", "Foncier industriel"


# One rule: which list classifies a fiche (and the measures serving it) in each phase. A
# phase not listed (none yet) takes the latest list, the programme as it is today.
CLASSEMENT_PAR_PHASE: dict[int, type[models.TextChoices]] = {1: Axe, 2: Priorite}
NOM_DU_CLASSEMENT = {Axe: ("axe", "un axe"), Priorite: ("priorité", "une priorité")}
# Every value a fiche's `axe` or a measure's `axes` may hold; for the lists that mix both
# phases, each label says its phase (« Innover » and « Innovation » are not the same).
CHOIX_AXES = [*Axe.choices, *Priorite.choices]
CHOIX_AXES_AVEC_PHASE = [
    *[(v, f"{label} (axe, phase 1)") for v, label in Axe.choices],
    *[(v, f"{label} (priorité, phase 2)") for v, label in Priorite.choices],
]


def classement(phase: int) -> type[models.TextChoices]:
    """The list that classifies the fiches of `phase`: axes (phase 1), priorities (phase 2)."""
    return CLASSEMENT_PAR_PHASE.get(phase) or CLASSEMENT_PAR_PHASE[max(CLASSEMENT_PAR_PHASE)]


def nom_du_classement(phase: int) -> str:
    """« axe » or « priorité »."""
    return NOM_DU_CLASSEMENT[classement(phase)][0]


def phase_de(valeur: str) -> int | None:
    """The phase whose list holds `valeur`, None for an unknown value."""
    return next((p for p, liste in CLASSEMENT_PAR_PHASE.items() if valeur in liste.values), None)


def _enumerer(liste: type[models.TextChoices]) -> str:
    libelles = [str(c.label).lower() for c in liste]
    return ", ".join(libelles[:-1]) + " et " + libelles[-1]


def erreur_axe(valeur: str, phase: int) -> str | None:
    """Why `valeur` cannot classify a fiche of `phase`, in French; None when it can. Pages,
    API and spreadsheet import all give this message."""
    admis = classement(phase)
    if valeur in admis.values:
        return None
    nom = NOM_DU_CLASSEMENT[admis][0]
    attendu = f"une fiche de la phase {phase} se classe par {nom} : {_enumerer(admis)}."
    autre = phase_de(valeur)
    if autre is None:
        return f"« {valeur} » n'est ni un axe ni une priorité du programme : {attendu}"
    liste = CLASSEMENT_PAR_PHASE[autre]
    return (
        f"« {liste(valeur).label} » est {NOM_DU_CLASSEMENT[liste][1]} de la phase {autre} : "
        f"{attendu}"
    )


class NatureMesure(models.TextChoices):
    # Some measures are money, others are procedures (FAQ §5.1).
    FINANCEMENT = "financement", "Financement"
    INGENIERIE = "ingenierie", "Ingénierie"
    PROCEDURE = "procedure", "Procédure"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement"


class SourceMesure(models.TextChoices):
    # The State's and operators' commitments, completed by the Régions' own (FAQ §5.2).
    NATIONALE = "nationale", "Engagement national"
    REGIONALE = "regionale", "Mesure régionale"


# Bearer types in the plural, as the rules of a measure name them (« communes, EPCI »); the
# order (from the commune up, then the other bearers) is also the order in which they are kept.
PORTEURS_AU_PLURIEL = {
    TypeOrganisation.COMMUNE: "communes",
    TypeOrganisation.EPCI: "EPCI",
    TypeOrganisation.PAYS_PETR: "Pays et PETR",
    TypeOrganisation.DEPARTEMENT: "départements",
    TypeOrganisation.REGION: "régions",
    TypeOrganisation.ETAT: "services de l'État",
    TypeOrganisation.DELEGATION: "délégation nationale",
    TypeOrganisation.OPERATEUR: "opérateurs publics",
    TypeOrganisation.ENTREPRISE: "entreprises",
    TypeOrganisation.ASSOCIATION: "associations",
    TypeOrganisation.GIE: "GIE",
    TypeOrganisation.GIP: "GIP",
    TypeOrganisation.POLE: "pôles de compétitivité",
    TypeOrganisation.FEDERATION: "fédérations professionnelles",
}
