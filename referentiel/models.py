"""The official administrative referential: régions, départements, EPCI (and EPT), communes.

Loaded from the project's snapshot (data/referentiel, see PROVENANCE.md) by
`import_referentiel`; natural keys are the INSEE codes and SIREN numbers.
"""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=2, primary_key=True)
    nom = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class NatureEPCI(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"
    EPT = "EPT", "Établissement public territorial"


class EPCI(models.Model):
    """An intercommunalité, or a territorial body (EPT) of the Métropole du Grand Paris.

    EPT are kept here because the map of territories splits the Métropole du Grand Paris
    through them; `parent` links an EPT to its métropole.
    """

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    nature = models.CharField(max_length=5, choices=NatureEPCI.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="etablissements"
    )

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    # Denormalised from the département: the map's aggregates group by région constantly.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        EPCI, null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    # Only in the Métropole du Grand Paris: the EPT the commune belongs to.
    ept = models.ForeignKey(
        EPCI, null=True, blank=True, on_delete=models.PROTECT, related_name="communes_ept"
    )
    # The commune as a legal person: ANCT's groupement files name a commune by its SIREN
    # where a territory holds only part of an EPCI. Empty until the referential is loaded.
    siren = models.CharField("SIREN", max_length=9, null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["nom"])]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"

    @property
    def groupement_id(self) -> str | None:
        """The unit of the EPCI view: the EPT inside the Grand Paris, the EPCI elsewhere."""
        return self.ept_id or self.epci_id


class AncienCode(models.Model):
    """A former INSEE code of a commune merged into a commune nouvelle since."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="anciens_codes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="ancien_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.commune_id}"


class NiveauContour(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "EPCI"


class Contour(models.Model):
    """A simplified contour (GeoJSON geometry, WGS84), kept apart from the lean tables above."""

    niveau = models.CharField(max_length=12, choices=NiveauContour.choices)
    code = models.CharField(max_length=9)
    geometrie = models.TextField(help_text="Géométrie GeoJSON (WGS84)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["niveau", "code"], name="contour_unique")]

    def __str__(self) -> str:
        return f"{self.niveau} {self.code}"


class ImportReferentiel(models.Model):
    """One row per referential load: which snapshot (by checksum) the database holds."""

    date = models.DateTimeField(auto_now_add=True)
    millesime = models.CharField(max_length=10)
    empreinte = models.CharField("SHA-256 du snapshot", max_length=64)
    rapport = models.JSONField(default=dict)

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"

    def __str__(self) -> str:
        return f"Référentiel {self.millesime} chargé le {self.date:%d/%m/%Y}"
