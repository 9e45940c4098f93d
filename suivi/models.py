"""What the follow-up keeps besides the figures it computes: the operators' announced
commitments, the target delays of instruction, and the figures frozen at a date (snapshots).
Written only by suivi.services and suivi.instantanes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from referentiel import saisie


class EngagementAnnonce(models.Model):
    """What an operator announced it would commit in a phase (Cour des comptes, 2024: €1.7bn
    announced as engaged, €794M deployed), entered by the national delegation with its source,
    to set against the operator's actual figures."""

    operateur = models.ForeignKey(
        "comptes.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="opérateur"
    )
    phase = models.ForeignKey("territoires.Phase", on_delete=models.PROTECT, related_name="+")
    montant = models.DecimalField(
        "montant annoncé (€)", max_digits=14, decimal_places=2, validators=[saisie.valider_montant]
    )
    date = models.DateField("date de l'annonce", validators=[saisie.valider_date])
    source = models.CharField(
        "source", max_length=300, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    # Optimistic lock: a change is made on the version read (suivi.services).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["phase", "operateur", "-date", "-id"]
        verbose_name = "engagement annoncé"
        verbose_name_plural = "engagements annoncés"
        constraints = [
            models.CheckConstraint(
                condition=Q(montant__gte=0), name="engagement_annonce_montant_positif"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operateur} : {self.montant} € annoncés (phase {self.phase_id})"


class CibleDelai(models.Model):
    """Target delays of instruction, in days, for one funder, one measure, or by default (both
    empty). Each step takes the first target set among the line's measure, its funder, then
    the default (suivi.delais)."""

    financeur = models.ForeignKey(
        "comptes.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mesure = models.ForeignKey(
        "mesures.Mesure", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    jours_decision = models.PositiveIntegerField(
        "de la demande à la décision (jours)", null=True, blank=True
    )
    jours_engagement = models.PositiveIntegerField(
        "de la décision à l'engagement (jours)", null=True, blank=True
    )
    jours_paiement = models.PositiveIntegerField(
        "de l'engagement au premier paiement (jours)", null=True, blank=True
    )
    source = models.CharField(
        "source ou motif", max_length=300, blank=True, validators=[saisie.valider_texte]
    )
    # What the target is for, unique: « financeur:<id> », « mesure:<id> » or « defaut ».
    cle = models.CharField(max_length=40, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    modifie_par = models.ForeignKey(
        "comptes.Utilisateur", on_delete=models.PROTECT, related_name="+"
    )
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cible de délai"
        verbose_name_plural = "cibles de délai"
        constraints = [
            models.CheckConstraint(
                condition=Q(financeur__isnull=True) | Q(mesure__isnull=True),
                name="cible_un_financeur_ou_une_mesure",
            ),
        ]

    def __str__(self) -> str:
        return f"Cible de délai : {self.objet}"

    def save(self, *args, **kwargs):
        self.cle = cle_cible(self.financeur_id, self.mesure_id)
        super().save(*args, **kwargs)

    @property
    def objet(self) -> str:
        if self.mesure_id:
            return f"mesure « {self.mesure} »"
        if self.financeur_id:
            return f"financeur {self.financeur}"
        return "toutes les lignes (par défaut)"


def cle_cible(financeur_id, mesure_id) -> str:
    if mesure_id:
        return f"mesure:{mesure_id}"
    if financeur_id:
        return f"financeur:{financeur_id}"
    return "defaut"


class Instantane(models.Model):
    """Figures frozen at a date for a national council (the national delegation, over the
    programme) or a regional one (a Région's pilot, over its territories), as the person who
    froze them saw them: computed under the same secrecy, kept as JSON, compared later."""

    libelle = models.CharField(
        "libellé", max_length=200, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    date = models.DateField("chiffres au", validators=[saisie.valider_date])
    # None: the programme, for the national delegation; a région: its territories.
    region = models.ForeignKey(
        "referentiel.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phase = models.ForeignKey(
        "territoires.Phase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    donnees = models.JSONField(default=dict)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-le", "-id"]
        verbose_name = "instantané"

    def __str__(self) -> str:
        return f"{self.libelle} (chiffres au {self.date:%d/%m/%Y})"

    @property
    def portee(self) -> str:
        return f"Région {self.region}" if self.region_id else "Programme national"
