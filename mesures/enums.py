from django.db import models

from comptes.enums import TypeOrganisation


class Axe(models.TextChoices):
    """The four national axes of the action plans (FAQ §4.1); fiches take them from here."""

    ATTIRER = "attirer", "Attirer"
    RECRUTER = "recruter", "Recruter"
    INNOVER = "innover", "Innover"
    SIMPLIFIER = "simplifier", "Simplifier"


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
