"""The network's information (FAQ §7.4): news, the library of resources and the events, by
the national delegation for everyone or by a Région for its territories. Writes are in
actualites.services (news), actualites.ressources and actualites.evenements."""

import uuid

from django.db import models
from django.db.models import F, Q

from .enums import CategorieRessource


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


class Ressource(models.Model):
    """A document of the network's library: an uploaded file (checked by
    referentiel.fichiers, stored under a generated name, served by a scoped view) or a link.
    Published by the delegation for everyone or by a Région's pilot; a draft is seen only by
    those who may publish it (actualites.ressources)."""

    titre = models.CharField(max_length=200)
    resume = models.CharField("résumé", max_length=600)
    categorie = models.CharField("catégorie", max_length=30, choices=CategorieRessource.choices)
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="région",
    )
    date = models.DateField("date du document")
    fichier = models.FileField(max_length=300, blank=True)
    type_fichier = models.CharField(max_length=10, blank=True)  # referentiel.fichiers.TYPES
    taille = models.PositiveBigIntegerField(default=0)
    lien = models.URLField("lien externe", max_length=500, blank=True)
    publiee = models.BooleanField("publiée", default=False)
    auteur = models.ForeignKey(
        "comptes.Utilisateur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    creee_le = models.DateTimeField(auto_now_add=True)
    modifiee_le = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "ressource"
        constraints = [
            # A file or a link, never both, never neither.
            models.CheckConstraint(
                condition=(Q(fichier="") & ~Q(lien="")) | (~Q(fichier="") & Q(lien="")),
                name="ressource_fichier_ou_lien",
            ),
        ]

    def __str__(self) -> str:
        return self.titre

    @property
    def source(self) -> str:
        return f"Région {self.region.nom}" if self.region_id else "Délégation nationale"


class Evenement(models.Model):
    """An event of the network (a forum, a webinar, a regional meeting): public, or for the
    network's people only (signed in). Its calendar file is in actualites.evenements."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    titre = models.CharField(max_length=200)
    description = models.TextField()
    debut = models.DateTimeField("début")
    fin = models.DateTimeField()
    lieu = models.CharField(max_length=300, blank=True)
    lien = models.URLField("lien de connexion", max_length=500, blank=True)
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="région",
    )
    organisateur = models.CharField(max_length=200)
    public = models.BooleanField(
        default=True, help_text="Sinon, réservé aux personnes du réseau connectées."
    )
    auteur = models.ForeignKey(
        "comptes.Utilisateur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["debut", "id"]
        verbose_name = "événement"
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="evenement_fin_apres"),
            models.CheckConstraint(
                condition=~Q(lieu="") | ~Q(lien=""), name="evenement_lieu_ou_lien"
            ),
        ]

    def __str__(self) -> str:
        return self.titre
