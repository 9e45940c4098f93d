"""The secret of a person's calendar feed (gouvernance.agenda), in its own module so that
models.py stays readable; models.py imports it, which registers it with the app's models."""

from django.db import models


class JetonAgenda(models.Model):
    """Secret of a person's calendar feed, so a calendar app subscribes without a session.
    Only its SHA-256 is kept; a new one replaces the old."""

    personne = models.OneToOneField(
        "comptes.Personne", on_delete=models.CASCADE, related_name="jeton_agenda"
    )
    empreinte = models.CharField(max_length=64, unique=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "gouvernance"
        verbose_name = "jeton d'agenda"

    def __str__(self) -> str:
        return f"Agenda de {self.personne}"
