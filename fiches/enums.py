from django.db import models


class Etat(models.TextChoices):
    """The validation path of a fiche (FAQ §4.6); moves live in fiches.cycle."""

    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise au comité de projet local"
    COPIL = "copil", "Examen par le comité de pilotage régional"
    INSTRUCTION = "instruction", "En instruction par les financeurs"
    RETENUE = "retenue", "Retenue"
    NON_RETENUE = "non_retenue", "Non retenue"
    INSCRITE = "inscrite", "Inscrite au contrat"
    REALISEE = "realisee", "Réalisée"


# In the contract, then carried out: the fiche is public and its execution is followed.
INSCRITES = (Etat.INSCRITE, Etat.REALISEE)
# Retained, then in the contract, then carried out: its granted lines are committed and paid
# (financements.cycle: paid is the sum of the payments, not a status of the line).
FINANCEES = (Etat.RETENUE, *INSCRITES)


class Avis(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"
    A_RETRAVAILLER = "a_retravailler", "À retravailler"


class Maturite(models.TextChoices):
    IDEE = "idee", "Idée"
    EMERGENCE = "emergence", "En émergence"
    MATURE = "mature", "Mature"
    PRET = "pret", "Prêt à démarrer"


class PorteeGeo(models.TextChoices):
    TERRITOIRE = "territoire", "Tout le territoire"
    EPCI = "epci", "Certaines intercommunalités"
    COMMUNES = "communes", "Certaines communes"
    REGIONALE = "regionale", "Régionale"
    INTERREGIONALE = "interregionale", "Interrégionale"
    FILIERE = "filiere", "Une filière"


class ContratValorise(models.TextChoices):
    AUCUN = "", "Aucun"
    CTE = "cte", "Contrat de transition écologique (CTE)"
    ACV = "acv", "Action Cœur de Ville"
    CRTE = "crte", "Contrat de relance et de transition écologique (CRTE)"
    AUTRE = "autre", "Autre contrat"


class NatureSimplification(models.TextChoices):
    """A « simplifier » fiche may state a problem without a solution (FAQ §4.7)."""

    GROUPE = "groupe", "Groupe de travail"
    PISTE = "piste", "Piste de réflexion"
    EXPERIMENTATION = "experimentation", "Expérimentation"
    SOLUTION = "solution", "Solution proposée"


class Orientation(models.TextChoices):
    """Where a simplification request is routed (FAQ §3.6, §5.5)."""

    AUCUNE = "", "Pas encore orientée"
    CERTIFICAT = "certificat", "Certificat de projet"
    RESCRIT = "rescrit", "Rescrit"
    FRANCE_EXPERIMENTATION = "france_experimentation", "France expérimentation"
    DEROGATION = "derogation", "Droit de dérogation du préfet"
    LISTE_NATIONALE = "liste_nationale", "Liste nationale des sujets de simplification"


class Section(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    INVESTISSEMENT = "investissement", "Investissement"


class StatutLigne(models.TextChoices):
    DEMANDE = "demande", "Demandé"
    ACCORDE = "accorde", "Accordé"
    REFUSE = "refuse", "Refusé"


# Execution follow-up: exactly the values of the shared « projets-territoire » schema
# (betagouv/schema-projet-collectivites-transition-ecologique, v0.1.1), for later publication.
class PhaseExecution(models.TextChoices):
    IDEE = "Idée", "Idée"
    ETUDE = "Étude", "Étude"
    OPERATION = "Opération", "Opération"


class StatutExecution(models.TextChoices):
    EN_COURS = "En cours", "En cours"
    EN_RETARD = "En retard", "En retard"
    EN_PAUSE = "En pause", "En pause"
    BLOQUE = "Bloqué", "Bloqué"
    ABANDONNE = "Abandonné", "Abandonné"
    TERMINE = "Terminé", "Terminé"


# The statuses a person sets: « En retard » is not chosen, it derives from the schedule
# (FicheAction.statut_execution_derive).
STATUTS_CHOISIS = tuple(s for s in StatutExecution if s != StatutExecution.EN_RETARD)
