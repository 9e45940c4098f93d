from django.db import models


class NatureQuestion(models.TextChoices):
    """How a question of the framework is answered."""

    TEXTE = "texte", "Texte libre"
    ECHELLE = "echelle", "Échelle (de la première à la dernière modalité)"
    CHOIX = "choix", "Choix parmi des modalités"
    NOMBRE = "nombre", "Nombre"


# Answered by one of the question's listed modalities.
NATURES_A_MODALITES = (NatureQuestion.ECHELLE, NatureQuestion.CHOIX)


class NatureEvaluation(models.TextChoices):
    """Senate, 18 December 2024, recommendation 12: at mid-term and at the end of each phase."""

    MI_PARCOURS = "mi_parcours", "Évaluation à mi-parcours"
    FINALE = "finale", "Évaluation finale"


class EtatEvaluation(models.TextChoices):
    """The life of an evaluation; moves live in evaluations.cycle."""

    REDACTION = "redaction", "En rédaction"
    SOUMISE = "soumise", "Soumise à la revue de la Région et de l'État"
    REVUE = "revue", "Revue par la Région et l'État"
    VALIDEE = "validee", "Validée par la délégation nationale"


class RoleRevue(models.TextChoices):
    """Who reviews: the Région (its pilot) and the State (the préfecture's referent)."""

    REGION = "region", "Région"
    ETAT = "etat", "État"


class AvisRevue(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    RESERVES = "reserves", "Favorable avec réserves"
    DEFAVORABLE = "defavorable", "Défavorable"
