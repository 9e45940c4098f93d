from django.db import models


class Nature(models.TextChoices):
    """The kinds of e-mail notification; each person chooses, kind by kind, how often."""

    EXAMEN = "examen", "Une fiche soumise à votre comité ou à votre décision"
    DECISION = "decision", "Une décision sur votre fiche ou sur ses lignes"
    SIGNATURE = "signature", "Une signature attendue de vous"
    REUNION = (
        "reunion",
        "Une invitation à une réunion, ou un changement de date, de lieu ou d'ordre du jour",
    )
    ARGENT = "argent", "Un engagement ou un paiement enregistré sur une ligne de votre fiche"
    RETARD = "retard", "Un délai cible dépassé"
    EVALUATION = (
        "evaluation",
        "L'évaluation d'un territoire soumise à votre revue, revue, renvoyée ou à valider",
    )


class Frequence(models.TextChoices):
    IMMEDIAT = "immediat", "Immédiat"
    QUOTIDIEN = "quotidien", "Récapitulatif quotidien"
    AUCUN = "aucun", "Aucun"


# Without a choice of the person: a signature is awaited at once, the rest waits for the
# morning's digest.
PAR_DEFAUT = dict.fromkeys(Nature, Frequence.QUOTIDIEN) | {Nature.SIGNATURE: Frequence.IMMEDIAT}
