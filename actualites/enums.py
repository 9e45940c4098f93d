from django.db import models


class CategorieRessource(models.TextChoices):
    """The library's shelves (FAQ §7.4)."""

    GUIDE = "guide", "Guide méthodologique"
    CONTRACTUALISATION = "contractualisation", "Kit de contractualisation"
    COMMUNICATION = "communication", "Kit de communication"
    FICHE_PRATIQUE = "fiche_pratique", "Fiche pratique"
