"""Territories of the programme and their dated perimeters.

The perimeter is kept at commune level (the official truth, some territories cover only part
of an EPCI); the EPCI view, the régions and the interregional flag are derived from it
(territoires.selectors). Every change is dated and rests on a Decision; the perimeter rows are
never rewritten, only closed, so the map of any past date can be drawn again.
All writes go through territoires.services.
"""

from django.db import models
from django.db.models import Q

from referentiel.models import Commune


class Phase(models.Model):
    """A phase of the programme. Its dates say which phase is current on a given day
    (territoires.selectors.phase_courante); each phase's map stays browsable afterwards."""

    numero = models.PositiveSmallIntegerField(primary_key=True)
    nom = models.CharField(max_length=100)
    date_debut = models.DateField(help_text="Premier jour de la phase.")
    date_fin = models.DateField(help_text="Dernier jour de la phase (inclus).")

    class Meta:
        ordering = ["numero"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gt=models.F("date_debut")), name="phase_dates_ordonnees"
            )
        ]

    def __str__(self) -> str:
        return self.nom


class Instance(models.TextChoices):
    CNI = "cni", "Conseil national de l'industrie"
    COPIL_NATIONAL = "copil_national", "Comité de pilotage national"
    COPIL_REGIONAL = "copil_regional", "Comité de pilotage régional"
    COMITE_LOCAL = "comite_local", "Comité de projet local"
    DELEGATION = "delegation", "Délégation nationale"


class Decision(models.Model):
    """A dated decision of a body, on which changes rest.

    Minimal on purpose: the governance floor will attach decisions to meetings.
    """

    date = models.DateField()
    instance = models.CharField(max_length=20, choices=Instance.choices)
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Région du comité de pilotage régional, le cas échéant.",
    )
    intitule = models.CharField("intitulé", max_length=300)
    texte = models.TextField(blank=True)
    demo = models.BooleanField(
        "donnée de démonstration",
        default=False,
        help_text="Contenu fictif chargé en mode démonstration seulement.",
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "décision"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.intitule}"


class Territoire(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="territoires")
    # The id as the programme writes it: « 8401 » in phase 1, « ti-8401 » in phase 2. Ids
    # are not stable between phases (8401 and ti-8401 are different territories).
    code = models.CharField(max_length=12)
    nom = models.CharField(max_length=200)
    pilote = models.BooleanField(
        "territoire pilote", default=False, help_text="Territoire de la phase pilote (FAQ §6.3)."
    )
    date_debut = models.DateField("date de création")
    date_fin = models.DateField("date de retrait", null=True, blank=True)
    origine = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issus",
        help_text="Territoire scindé dont celui-ci est issu.",
    )
    # Part of the cache key of the map (territoires.geo): a renamed territory shows at once.
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phase", "code"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "code"], name="territoire_code_unique"),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gt=models.F("date_debut")),
                name="territoire_dates_ordonnees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.nom}"


class PerimetreQuerySet(models.QuerySet):
    def a_date(self, date):
        """Rows in force on `date` (start included, end excluded)."""
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gt=date), date_debut__lte=date)


class Perimetre(models.Model):
    """A commune inside a territory from date_debut (included) to date_fin (excluded)."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="perimetre")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="perimetres")
    date_debut = models.DateField()
    date_fin = models.DateField(null=True, blank=True)
    decision_entree = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    decision_sortie = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PerimetreQuerySet.as_manager()

    class Meta:
        verbose_name = "commune du périmètre"
        verbose_name_plural = "périmètre"
        indexes = [
            models.Index(fields=["territoire", "date_debut"]),
            models.Index(fields=["commune", "date_debut"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gt=models.F("date_debut")),
                name="perimetre_dates_ordonnees",
            ),
            # A commune is in a territory at most once while the row is open.
            models.UniqueConstraint(
                fields=["territoire", "commune"],
                condition=Q(date_fin__isnull=True),
                name="perimetre_ouvert_unique",
            ),
        ]

    def __str__(self) -> str:
        fin = f" au {self.date_fin}" if self.date_fin else ""
        return f"{self.commune_id} dans {self.territoire_id} du {self.date_debut}{fin}"


class NatureChangement(models.TextChoices):
    CREATION = "creation", "Nouveau territoire"
    AJOUT = "ajout", "Ajout d'EPCI ou de communes"
    RETRAIT = "retrait", "Retrait d'EPCI ou de communes"
    SCISSION = "scission", "Scission du territoire"
    RETRAIT_TERRITOIRE = "retrait_territoire", "Retrait du territoire"
    RENOMMAGE = "renommage", "Nouveau nom"


class Changement(models.Model):
    """One dated change of the map, as shown in a territory's history."""

    territoire = models.ForeignKey(Territoire, on_delete=models.PROTECT, related_name="changements")
    date = models.DateField()
    nature = models.CharField(max_length=20, choices=NatureChangement.choices)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="changements")
    description = models.TextField()
    communes_ajoutees = models.PositiveIntegerField(default=0)
    communes_retirees = models.PositiveIntegerField(default=0)
    # SIREN of the EPCI concerned, codes of the territories born of a split, former and new
    # name of a renamed territory, etc.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "changement de la carte"
        verbose_name_plural = "changements de la carte"

    def __str__(self) -> str:
        return f"{self.date} {self.territoire.code} {self.get_nature_display()}"
