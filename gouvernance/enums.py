from django.db import models

from territoires.models import Instance


class TypeComite(models.TextChoices):
    """The three levels of FAQ §3.1, the CNI (§2.3) and the ad hoc bodies of §3.3."""

    COMITE_LOCAL = "comite_local", "Comité de projet local"
    COPIL_REGIONAL = "copil_regional", "Comité de pilotage régional"
    COPIL_NATIONAL = "copil_national", "Comité de pilotage national"
    CNI = "cni", "Conseil national de l'industrie"
    COMITE_SUIVI = "comite_suivi", "Comité de suivi"
    COMITE_FINANCEURS = "comite_financeurs", "Comité des financeurs"
    COMMISSION = "commission", "Commission thématique"


AD_HOC = {TypeComite.COMITE_SUIVI, TypeComite.COMITE_FINANCEURS, TypeComite.COMMISSION}
# The national bodies: no territory, no région; the national delegation runs them.
NATIONAUX = (TypeComite.COPIL_NATIONAL, TypeComite.CNI)


class Presence(models.TextChoices):
    INVITE = "invite", "Invité"
    PRESENT = "present", "Présent"
    EXCUSE = "excuse", "Excusé"


class NaturePoint(models.TextChoices):
    FICHE = "fiche", "Fiche-action"
    PERIMETRE = "perimetre", "Demande de modification du périmètre"
    DESIGNATION = "designation", "Désignation"
    CONTRAT = "contrat", "Validation d'un contrat ou d'un avenant"
    INFORMATION = "information", "Point d'information"


class NatureDemande(models.TextChoices):
    """The adjustments of FAQ §2.3."""

    AJOUT_EPCI = "ajout_epci", "Ajout d'une intercommunalité"
    RETRAIT_EPCI = "retrait_epci", "Retrait d'une intercommunalité"
    SCISSION = "scission", "Scission du territoire"
    NOUVEAU_TERRITOIRE = "nouveau_territoire", "Nouveau territoire"


class EtatDemande(models.TextChoices):
    DEPOSEE = "deposee", "Déposée"
    EXAMINEE = "examinee", "Examinée en COPIL régional"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"


class ActionDemande(models.TextChoices):
    """The moves of a perimeter request recorded by gouvernance.demandes (TransitionDemande)."""

    DEPOSER = "deposer", "Demande déposée"
    INSCRIRE = "inscrire", "Inscrite à l'ordre du jour du comité de pilotage régional"
    ACCEPTER = "accepter", "Acceptée par le comité de pilotage régional"
    REFUSER = "refuser", "Refusée par le comité de pilotage régional"
    # An interregional request: another Région concerned takes position (FAQ §2.3).
    ACCORD_REGION = "accord_region", "Accord d'une autre Région concernée"
    REFUS_REGION = "refus_region", "Refus d'une autre Région concernée"


class ObjetDecision(models.TextChoices):
    PERIMETRE = "perimetre", "Modification du périmètre"
    FICHE = "fiche", "Avis ou mouvement d'une fiche-action"
    DESIGNATION = "designation", "Désignation"
    CONTRAT = "contrat", "Validation d'un contrat"
    AUTRE = "autre", "Autre décision"


def instance_du_comite(type_comite: str, *, region: bool = False) -> str:
    """The territoires.Instance a body's decisions are recorded under. Ad hoc bodies are
    declinations of the regional COPIL or of the local committee (FAQ §3.3)."""
    if type_comite in AD_HOC:
        return Instance.COPIL_REGIONAL if region else Instance.COMITE_LOCAL
    return {
        TypeComite.COMITE_LOCAL: Instance.COMITE_LOCAL,
        TypeComite.COPIL_REGIONAL: Instance.COPIL_REGIONAL,
        TypeComite.COPIL_NATIONAL: Instance.COPIL_NATIONAL,
        TypeComite.CNI: Instance.CNI,
    }[type_comite]
