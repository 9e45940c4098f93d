"""The money of a financing line after the funder's decision (Cour des comptes, 2024: phase 1
could trace no euro). A granted line is committed by a legal act (a convention, optionally a
Chorus legal-commitment number), then paid in one or several payments; a commitment may be
reduced or cancelled. Nothing is overwritten: each step is a dated, signed row, and the
committed and paid figures are sums of these rows (`financements.selectors`). Written only by
`financements.cycle`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from referentiel import saisie


class SecretDeLaLigne:
    """A step of a line's money is as secret as the line's amount (FAQ §7.3): where the line's
    `montant` is secret, so is the step's, for the same readers. comptes.secrets reads these
    two attributes, as it does for any model."""

    SECRETABLE = ("montant",)

    def ligne_de(self):
        raise NotImplementedError

    @property
    def champs_secrets(self) -> list[str]:
        return ["montant"] if "montant" in (self.ligne_de().champs_secrets or ()) else []

    def contexte_acces(self):
        return self.ligne_de().contexte_acces()


class Engagement(SecretDeLaLigne, models.Model):
    """A legal commitment of the funder on a granted line."""

    ligne = models.ForeignKey(
        "fiches.LigneFinancement", on_delete=models.PROTECT, related_name="engagements"
    )
    date = models.DateField("date de l'engagement", validators=[saisie.valider_date])
    montant = models.DecimalField(
        "montant engagé (€)", max_digits=14, decimal_places=2, validators=[saisie.valider_montant]
    )
    # The act that commits the funder: a convention, an order, a decision of its board.
    convention = models.CharField(
        "convention", max_length=200, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    # Optional: the number of the legal commitment in Chorus, the State's accounting system.
    reference = models.CharField(
        "référence de l'engagement juridique",
        max_length=40,
        blank=True,
        validators=[saisie.valider_texte],
    )
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "engagement"
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="engagement_montant_positif")
        ]

    def __str__(self) -> str:
        return f"Engagement de {self.montant} € le {self.date:%d/%m/%Y}"

    def ligne_de(self):
        return self.ligne


class Ajustement(SecretDeLaLigne, models.Model):
    """A reduction or the cancellation of what remains of a commitment."""

    class Nature(models.TextChoices):
        REDUCTION = "reduction", "Réduction"
        ANNULATION = "annulation", "Annulation"

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="ajustements")
    nature = models.CharField("nature", max_length=12, choices=Nature.choices)
    date = models.DateField("date", validators=[saisie.valider_date])
    # What the commitment loses: for a cancellation, all that was not paid yet.
    montant = models.DecimalField(
        "montant retiré (€)", max_digits=14, decimal_places=2, validators=[saisie.valider_montant]
    )
    motif = models.TextField("motif", validators=[saisie.valider_non_vide, saisie.valider_texte])
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "ajustement d'engagement"
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="ajustement_montant_positif")
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} de {self.montant} € le {self.date:%d/%m/%Y}"

    def ligne_de(self):
        return self.engagement.ligne


class Paiement(SecretDeLaLigne, models.Model):
    """A payment on a commitment: « payé » is the sum of these, not a status."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="paiements")
    date = models.DateField("date du paiement", validators=[saisie.valider_date])
    montant = models.DecimalField(
        "montant payé (€)", max_digits=14, decimal_places=2, validators=[saisie.valider_montant]
    )
    reference = models.CharField(
        "référence du paiement", max_length=40, blank=True, validators=[saisie.valider_texte]
    )
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "paiement"
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="paiement_montant_positif")
        ]

    def __str__(self) -> str:
        return f"Paiement de {self.montant} € le {self.date:%d/%m/%Y}"

    def ligne_de(self):
        return self.engagement.ligne
