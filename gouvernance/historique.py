"""The history of a perimeter request: each move on its path (gouvernance.demandes), with who
recorded it, when, in which meeting and on which decision. Its own module, so that models.py
stays readable; models.py imports it, which registers it with the app's models.

Meetings have no state to follow, and a decision (DecisionReunion) is itself a record that is
never changed: who (`par`), when (`cree_le`), in which meeting or why without one.
"""

from django.db import models
from django.utils import timezone

from .enums import ActionDemande, EtatDemande


class TransitionQuerySet(models.QuerySet):
    def historique(self):
        """In the order they were recorded, the order of the path (each move needs the state
        the previous one left), with who recorded them, the meeting and the decision: the
        request's page lists them (demande.transitions.historique)."""
        return self.select_related("par__personne", "reunion__comite", "decision").order_by(
            "le", "id"
        )


class TransitionDemande(models.Model):
    """One move of a perimeter request on its path: who, when, from which state to which, in
    which meeting, on which decision. Written by gouvernance.demandes alone, in the
    transaction of the move; never changed afterwards."""

    demande = models.ForeignKey(
        "gouvernance.DemandePerimetre", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=20, choices=ActionDemande.choices)
    # Empty for the deposit, the request's first move.
    etat_avant = models.CharField(max_length=10, choices=EtatDemande.choices, blank=True)
    etat_apres = models.CharField(max_length=10, choices=EtatDemande.choices)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField("enregistré le", default=timezone.now)
    date_effet = models.DateField("date de l'acte")
    motif = models.TextField(blank=True)
    reunion = models.ForeignKey(
        "gouvernance.Reunion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["le", "id"]
        verbose_name = "mouvement d'une demande de périmètre"
        verbose_name_plural = "mouvements des demandes de périmètre"

    def __str__(self) -> str:
        return f"{self.demande} : {self.etat_avant or '—'} → {self.etat_apres}"


class AccordRegion(models.Model):
    """The position of a Région concerned by a request other than the one that coordinates it
    (FAQ §2.3): decided by its own regional COPIL (`decision`, `reunion`), or its agreement
    recorded by its pilot without a meeting (`motif`). The coordinating Région's COPIL accepts
    the request only once every other Région has agreed. Written by gouvernance.demandes."""

    demande = models.ForeignKey(
        "gouvernance.DemandePerimetre", on_delete=models.CASCADE, related_name="accords_regions"
    )
    region = models.ForeignKey("referentiel.Region", on_delete=models.PROTECT, related_name="+")
    favorable = models.BooleanField()
    date = models.DateField("date de la position")
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reunion = models.ForeignKey(
        "gouvernance.Reunion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    motif = models.TextField(blank=True)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "position d'une région concernée"
        verbose_name_plural = "positions des régions concernées"
        constraints = [
            models.UniqueConstraint(fields=["demande", "region"], name="une_position_par_region")
        ]

    def __str__(self) -> str:
        sens = "accord" if self.favorable else "refus"
        return f"{self.demande} : {sens} de la région {self.region_id}"
