"""What is sent to whom, and how often each person wants it (docs/adr/0014).

A Notification is written first, then sent: a mail server that fails loses nothing, the row
waits with its attempts and its last error until `envoyer_recapitulatif` sends it. Its text
carries no amount: a firm's secret never leaves by e-mail."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import Frequence, Nature


class Notification(models.Model):
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    nature = models.CharField(max_length=20, choices=Nature.choices)
    # Sent as soon as written (« immédiat »), or grouped in the daily digest.
    immediate = models.BooleanField(default=False)
    # The object it is about: its type and key, and the page it opens (a path of the site).
    objet_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objet_id = models.PositiveBigIntegerField(null=True, blank=True)
    lien = models.CharField(max_length=300, blank=True)
    titre = models.CharField(max_length=300)
    texte = models.TextField()
    # Once per event that can be seen twice (a delay passed): empty for the others.
    cle = models.CharField(max_length=100, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    envoyee_le = models.DateTimeField(null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    erreur = models.TextField("dernière erreur d'envoi", blank=True)

    class Meta:
        ordering = ["cree_le", "id"]
        verbose_name = "notification"
        constraints = [
            models.UniqueConstraint(
                fields=["destinataire", "nature", "cle"],
                condition=~Q(cle=""),
                name="notification_une_fois_par_cle",
            )
        ]
        indexes = [models.Index(fields=["envoyee_le", "immediate"], name="notification_a_envoyer")]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.destinataire} — {self.titre}"


class Preference(models.Model):
    """How often a person wants one kind of notification; none stored: PAR_DEFAUT."""

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    nature = models.CharField(max_length=20, choices=Nature.choices)
    frequence = models.CharField(max_length=10, choices=Frequence.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(
                fields=["utilisateur", "nature"], name="une_preference_par_nature"
            )
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} — {self.get_nature_display()} : {self.get_frequence_display()}"
