"""The network's news (FAQ §7.4): by the national delegation for everyone, by a Région for
its territories. Public once published; its writes are in actualites.services."""

from django.db import models


class Actualite(models.Model):
    titre = models.CharField(max_length=200)
    chapo = models.CharField("en bref", max_length=400)
    corps = models.TextField("texte")
    # None: national news, by the delegation; else the Région that publishes it.
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="région",
    )
    publiee_le = models.DateTimeField("publiée le")
    auteur = models.ForeignKey(
        "comptes.Utilisateur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    modifiee_le = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-publiee_le", "-id"]
        verbose_name = "actualité"

    def __str__(self) -> str:
        return self.titre

    @property
    def source(self) -> str:
        return f"Région {self.region.nom}" if self.region_id else "Délégation nationale"
