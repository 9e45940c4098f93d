"""Organisations, people, accounts and their scoped designations; the secrecy read log.

Who may see and do what is decided in comptes.permissions (one place), from the designations
recorded here; which fields are secret and who may read them, in comptes.secrets.
"""

from datetime import timedelta

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referentiel import saisie
from referentiel.validators import is_valid_siren, luhn_ok

from .enums import ROLES_TERRITOIRE, Role, TypeOrganisation


def validate_siren(value: str) -> None:
    if not is_valid_siren(value):
        raise ValidationError(f"« {value} » n'est pas un SIREN valide (9 chiffres, clé de Luhn).")


def validate_siret(value: str) -> None:
    if not (len(value) == 14 and value.isdigit() and is_valid_siren(value[:9])):
        raise ValidationError(f"« {value} » n'est pas un SIRET valide (14 chiffres).")
    # La Poste's establishments (SIREN 356000000) follow another checksum.
    if value[:9] != "356000000" and not luhn_ok(value):
        raise ValidationError(f"« {value} » n'est pas un SIRET valide (clé de contrôle).")


def normaliser_email(email: str) -> str:
    """The one form of an address that signs in: one mailbox, whatever the case typed
    (pages, API, ProConnect, and the count of failed logins alike)."""
    return (email or "").strip().lower()


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=normaliser_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        # The sign-in lookup of every password login. Case-insensitive, so that an account
        # stored before addresses were normalised is found too; should two such accounts
        # differ only by case, the one stored in the normal form is the one.
        email = normaliser_email(email)
        comptes = self.filter(email__iexact=email)
        try:
            return comptes.get()
        except self.model.MultipleObjectsReturned:
            return comptes.get(email=email)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Utilisateur(AbstractUser):
    """An account: login by e-mail. The person behind it is a Personne."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UtilisateurManager()

    class Meta:
        verbose_name = "compte"

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        # Before the uniqueness check of forms (admin): « Chef@… » is the account « chef@… ».
        self.email = normaliser_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normaliser_email(self.email)
        # A new password or a deactivation revokes every API token of the account, whatever
        # made it (password forms, reset link, the admin, the erasure of one's data).
        revoquer = self._perd_ses_jetons(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if revoquer:
            self.jetons.all().delete()

    def _perd_ses_jetons(self, update_fields) -> bool:
        if self._state.adding or (
            update_fields is not None and not {"password", "is_active"} & set(update_fields)
        ):
            return False
        avant = type(self).objects.filter(pk=self.pk).values("password", "is_active").first()
        return avant is not None and (
            avant["password"] != self.password or (avant["is_active"] and not self.is_active)
        )


class Organisation(models.Model):
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=TypeOrganisation.choices)
    siren = models.CharField(
        "SIREN", max_length=9, blank=True, validators=[validate_siren], db_index=True
    )
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    # Link to the referential where one exists: an EPCI organisation *is* that EPCI.
    epci = models.OneToOneField(
        "referentiel.EPCI",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    commune = models.ForeignKey(
        "referentiel.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Commune du siège ou de l'établissement.",
    )
    departement = models.ForeignKey(
        "referentiel.Departement", null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "referentiel.Region", null=True, blank=True, on_delete=models.PROTECT
    )
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(type=TypeOrganisation.EPCI) | Q(epci__isnull=False),
                name="organisation_epci_liee_au_referentiel",
            ),
            models.CheckConstraint(
                condition=~Q(type=TypeOrganisation.REGION) | Q(region__isnull=False),
                name="organisation_region_liee_au_referentiel",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def clean(self):
        if self.type == TypeOrganisation.EPCI and self.epci_id and not self.siren:
            self.siren = self.epci_id
        if self.type == TypeOrganisation.ENTREPRISE and not self.siren:
            raise ValidationError({"siren": "Le SIREN d'une entreprise est obligatoire."})
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": "Le SIRET doit commencer par le SIREN."})


class Personne(models.Model):
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField(max_length=100)
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    fonction = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="membres"
    )
    compte = models.OneToOneField(
        Utilisateur, null=True, blank=True, on_delete=models.SET_NULL, related_name="personne"
    )
    # RGPD: shown to the network only with the person's agreement, dated.
    annuaire = models.BooleanField("visible dans l'annuaire du réseau", default=False)
    annuaire_accepte_le = models.DateTimeField(null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["nom", "prenom"]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"


class DesignationQuerySet(models.QuerySet):
    def actives(self, date=None):
        date = date or timezone.localdate()
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gt=date), date_debut__lte=date)

    def actives_dans_la_phase(self, phase, date=None):
        """Active on `date` (today), or on the last day of `phase` once it is over: the people
        of a territory of a finished phase are read as they stood when it ended (history). Not
        for rights, which end with the designation."""
        date = date or timezone.localdate()
        return self.actives(min(date, phase.date_fin))


class Designation(models.Model):
    """A person holds a role over a scope, from a date, by a decision (FAQ §3)."""

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="designations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "referentiel.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    territoire = models.ForeignKey(
        "territoires.Territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="designations",
    )
    # An operator's referent may cover a set of territories instead of a région (FAQ §3.5).
    territoires = models.ManyToManyField(
        "territoires.Territoire", blank=True, related_name="designations_multiples"
    )
    # The binôme may at first cover one EPCI of the territory only (FAQ §3.2).
    epci = models.ForeignKey(
        "referentiel.EPCI", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The operator a referent speaks for; the firm a bearer belongs to.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="designations"
    )
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["role", "date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gt=models.F("date_debut")),
                name="designation_dates_ordonnees",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(ROLES_TERRITOIRE)) | Q(territoire__isnull=False),
                name="designation_territoire_requis",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PILOTE_REGION) | Q(region__isnull=False),
                name="designation_region_requise",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[Role.REFERENT_OPERATEUR, Role.PORTEUR])
                | Q(organisation__isnull=False),
                name="designation_organisation_requise",
            ),
        ]

    def __str__(self) -> str:
        portee = self.territoire or self.region or self.organisation or "national"
        return f"{self.personne} — {self.get_role_display()} ({portee})"

    @property
    def dernier_jour(self):
        """The last day the designation holds: `date_fin` is the first day it no longer does."""
        return self.date_fin - timedelta(days=1) if self.date_fin else None

    def clean(self):
        from territoires.selectors import vue_territoire

        erreurs = {}
        if self.role in ROLES_TERRITOIRE and not self.territoire_id:
            erreurs["territoire"] = "Ce rôle s'exerce sur un territoire : précisez lequel."
        if self.role == Role.PILOTE_REGION and not self.region_id:
            erreurs["region"] = "Le pilote régional est désigné pour une région."
        if self.role == Role.REFERENT_OPERATEUR and (
            not self.organisation_id or self.organisation.type != TypeOrganisation.OPERATEUR
        ):
            erreurs["organisation"] = "Le référent d'un opérateur est rattaché à un opérateur."
        if self.role == Role.PORTEUR and not self.organisation_id:
            erreurs["organisation"] = "Le porteur est rattaché à son organisation."
        if self.epci_id and self.role not in (Role.BINOME_ELU, Role.BINOME_INDUSTRIEL):
            erreurs["epci"] = "Seul le binôme peut d'abord ne couvrir qu'une intercommunalité."
        vue = vue_territoire(self.territoire) if self.territoire_id else None
        if self.epci_id and vue and self.epci_id not in {e.siren for e in vue.epcis}:
            erreurs["epci"] = "Cette intercommunalité ne fait pas partie du territoire."
        if self.role == Role.COORDINATEUR_ETAT and vue and not vue.interregional:
            # FAQ §3.4: a coordinating préfet is for interregional territories.
            erreurs["territoire"] = (
                "Un coordonnateur de l'État n'est désigné que pour un territoire interrégional."
            )
        if erreurs:
            raise ValidationError(erreurs)


class ProfilEntreprise(models.Model):
    """A firm's own details: industrial secrets by default (FAQ §7.3)."""

    SECRETABLE = (
        "effectif",
        "chiffre_affaires",
        "contact_nom",
        "contact_email",
        "contact_telephone",
        "projet",
    )

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="profil_entreprise",
        limit_choices_to={"type": TypeOrganisation.ENTREPRISE},
    )
    activite = models.CharField(
        "activité", max_length=200, blank=True, validators=[saisie.valider_texte]
    )
    effectif = models.PositiveIntegerField(null=True, blank=True)
    chiffre_affaires = models.DecimalField(
        "chiffre d'affaires (€)",
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[saisie.valider_montant],
    )
    contact_nom = models.CharField(
        "contact", max_length=200, blank=True, validators=[saisie.valider_texte]
    )
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField(
        "téléphone du contact", max_length=30, blank=True, validators=[saisie.valider_texte]
    )
    projet = models.TextField("projet industriel", blank=True, validators=[saisie.valider_texte])
    # Declared by the firm (or the territory's team), dated when it changes: measures under the
    # EU block exemption exclude firms in difficulty (fiches.controles reads it).
    en_difficulte = models.BooleanField(
        "entreprise en difficulté au sens du RGEC",
        null=True,
        blank=True,
        help_text="Article 2.18 du règlement général d'exemption par catégorie (UE) "
        "n° 651/2014. Vide : pas encore déclaré.",
    )
    en_difficulte_declare_le = models.DateField(
        "situation au regard du RGEC déclarée le", null=True, blank=True
    )
    champs_secrets = models.JSONField(default=list, blank=True)
    # Optimistic lock: a save based on an older version is refused, nothing is overwritten.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "profil d'entreprise"
        constraints = [
            models.CheckConstraint(
                condition=Q(chiffre_affaires__isnull=True) | Q(chiffre_affaires__gte=0),
                name="profil_chiffre_affaires_positif",
            )
        ]

    def __str__(self) -> str:
        return f"Profil de {self.organisation}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.champs_secrets:
            self.champs_secrets = list(self.SECRETABLE)
        super().save(*args, **kwargs)

    def get_additional_data(self):
        # Read by the audit log: names of the secret fields changed, never their values.
        changed = getattr(self, "_champs_modifies", None)
        return {"champs_modifies": sorted(changed)} if changed else None


class LectureSecret(models.Model):
    """Who read which secret field of which object, and when (FAQ §7.3)."""

    lecteur = models.ForeignKey(Utilisateur, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    objet = GenericForeignKey("content_type", "object_id")
    champ = models.CharField(max_length=100)
    canal = models.CharField(max_length=20, default="page")
    lu_le = models.DateTimeField(default=timezone.now, db_index=True)
    # The territories whose team may read this line of the log.
    territoires = models.ManyToManyField("territoires.Territoire", related_name="+")

    class Meta:
        ordering = ["-lu_le"]
        verbose_name = "lecture d'un secret"
        verbose_name_plural = "lectures de secrets"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.lecteur} a lu {self.champ} le {self.lu_le:%d/%m/%Y %H:%M}"


class JetonAPI(models.Model):
    """An API token; only its SHA-256 is stored, and its first characters to tell it apart."""

    compte = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="jetons")
    empreinte = models.CharField(max_length=64, unique=True)
    nom = models.CharField("nom", max_length=100, blank=True)
    prefixe = models.CharField("début du jeton", max_length=8, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    expire_le = models.DateTimeField()
    # The last write made with it, to the day: reads never write it (comptes.services).
    utilise_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"

    def __str__(self) -> str:
        return f"Jeton de {self.compte} (expire le {self.expire_le:%d/%m/%Y})"
