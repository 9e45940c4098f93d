"""Governance (FAQ §2.3, §3, §4.2): bodies, their meetings, agenda items, the decisions taken
there, perimeter requests, and the frozen versions of the national map published at each CNI.

The Decision itself stays in territoires (a lower floor, docs/adr/0002): this app links it to
the meeting and the agenda item it was taken on. Writes go through gouvernance.services
(meetings and decisions), gouvernance.demandes (the life of a perimeter request) and
gouvernance.versions (the CNI map versions). The history of a request's moves is its own
model, in gouvernance.historique, registered with these.
"""

import json
import uuid
import zlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from comptes.enums import Role
from comptes.permissions import Contexte
from territoires.selectors import regions_du_territoire

from .enums import (
    AD_HOC,
    NATIONAUX,
    EtatDemande,
    NatureDemande,
    NaturePoint,
    ObjetDecision,
    Presence,
    TypeComite,
)


class Comite(models.Model):
    """A body: the local committee of a territory, the COPIL of a région, the national COPIL,
    the CNI, or an ad hoc body attached to a territory or a région."""

    type = models.CharField(max_length=20, choices=TypeComite.choices)
    nom = models.CharField(max_length=200)
    territoire = models.ForeignKey(
        "territoires.Territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comites",
    )
    region = models.ForeignKey(
        "referentiel.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Phase 2: once the contract is signed, the local project committee continues as the
    # comité de suivi. Same row (its meetings and decisions stay its own), renamed from that
    # date; the former name is kept with it, so a past meeting shows under the name it had.
    suivi_depuis = models.DateField("comité de suivi depuis le", null=True, blank=True)
    nom_avant_suivi = models.CharField("nom avant le suivi", max_length=200, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["type", "nom"]
        verbose_name = "comité"
        constraints = [
            models.CheckConstraint(
                condition=~Q(type=TypeComite.COMITE_LOCAL)
                | Q(territoire__isnull=False, region__isnull=True),
                name="comite_local_a_un_territoire",
            ),
            models.CheckConstraint(
                condition=~Q(type=TypeComite.COPIL_REGIONAL)
                | Q(region__isnull=False, territoire__isnull=True),
                name="copil_regional_a_une_region",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=list(NATIONAUX))
                | Q(region__isnull=True, territoire__isnull=True),
                name="comite_national_sans_portee",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=sorted(AD_HOC))
                | Q(region__isnull=True, territoire__isnull=False)
                | Q(region__isnull=False, territoire__isnull=True),
                name="comite_ad_hoc_territoire_ou_region",
            ),
            # One local committee per territory, one COPIL per région.
            models.UniqueConstraint(
                fields=["territoire"],
                condition=Q(type=TypeComite.COMITE_LOCAL),
                name="un_comite_local_par_territoire",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(type=TypeComite.COPIL_REGIONAL),
                name="un_copil_par_region",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def national(self) -> bool:
        return self.type in NATIONAUX

    @property
    def libelle_type(self) -> str:
        """« Comité de suivi » for a local committee that continues as one, else its type."""
        return "Comité de suivi" if self.suivi_depuis else self.get_type_display()

    def nom_le(self, date) -> str:
        """The name the body bore on `date`."""
        if self.suivi_depuis and date < self.suivi_depuis and self.nom_avant_suivi:
            return self.nom_avant_suivi
        return self.nom

    def libelle_type_le(self, date) -> str:
        if self.suivi_depuis and date < self.suivi_depuis:
            return self.get_type_display()
        return self.libelle_type

    def regions_concernees(self) -> list[str]:
        """Régions taking part: every Région of an interregional territory sits on its local
        committee (FAQ §3.4); a COPIL is its Région's."""
        if self.region_id:
            return [self.region_id]
        if self.territoire_id:
            return regions_du_territoire(self.territoire)
        return []

    def contexte_acces(self) -> Contexte:
        return Contexte(
            territoires={self.territoire_id} if self.territoire_id else set(),
            regions=set(self.regions_concernees()),
        )


class Reunion(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    comite = models.ForeignKey(Comite, on_delete=models.PROTECT, related_name="reunions")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField(null=True, blank=True)
    lieu = models.CharField(max_length=300, blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    cree_par = models.ForeignKey(
        "comptes.Utilisateur", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    # Postponed or cancelled (gouvernance.reunions): the calendar files say it, with a
    # sequence raised at each change so calendar apps replace what they hold (RFC 5545).
    reportee_du = models.DateTimeField("initialement prévue le", null=True, blank=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    motif_annulation = models.TextField("motif de l'annulation", blank=True)
    sequence = models.PositiveIntegerField("version du fichier d'agenda", default=0)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-debut"]
        verbose_name = "réunion"
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gt=models.F("debut")),
                name="reunion_fin_apres_debut",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nom_comite} du {self.debut:%d/%m/%Y}"

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.debut).date()

    @property
    def passee(self) -> bool:
        """Begun or held: its minutes are written from then on."""
        from django.utils import timezone

        return self.debut <= timezone.now()

    @property
    def annulee(self) -> bool:
        return self.annulee_le is not None

    @property
    def nom_comite(self) -> str:
        """The body's name on the meeting's day: a meeting held before the contract's
        signature stays one of the comité de projet, under that name."""
        return self.comite.nom_le(self.date)

    def contexte_acces(self) -> Contexte:
        return self.comite.contexte_acces()


class Participant(models.Model):
    """A person and/or an organisation invited to a meeting, then present or excused."""

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="participants")
    personne = models.ForeignKey(
        "comptes.Personne", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "comptes.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presence = models.CharField(
        "présence", max_length=10, choices=Presence.choices, default=Presence.INVITE
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(personne__isnull=False) | Q(organisation__isnull=False),
                name="participant_personne_ou_organisation",
            ),
            models.UniqueConstraint(
                fields=["reunion", "personne"],
                condition=Q(personne__isnull=False),
                name="participant_personne_unique",
            ),
        ]

    def __str__(self) -> str:
        qui = self.personne or self.organisation
        if self.personne and self.organisation:
            qui = f"{self.personne} ({self.organisation})"
        return f"{qui} — {self.get_presence_display()}"


class PointOrdreDuJour(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="points")
    ordre = models.PositiveSmallIntegerField(default=1)
    nature = models.CharField(max_length=20, choices=NaturePoint.choices)
    intitule = models.CharField("intitulé", max_length=300)
    # A fiche is presented to the body (FAQ §4.6); lazy reference: fiches is a floor above.
    fiche = models.ForeignKey(
        "fiches.FicheAction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demande = models.ForeignKey(
        "DemandePerimetre", null=True, blank=True, on_delete=models.PROTECT, related_name="points"
    )
    # A proposed designation: the person and the role; the scope is the body's own.
    designation_personne = models.ForeignKey(
        "comptes.Personne", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    designation_role = models.CharField(
        "rôle proposé", max_length=20, choices=Role.choices, blank=True
    )
    designation = models.ForeignKey(
        "comptes.Designation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The territory whose contract (or avenant) the regional COPIL validates (FAQ §4.2).
    territoire = models.ForeignKey(
        "territoires.Territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["reunion", "ordre", "id"]
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        constraints = [
            models.CheckConstraint(
                condition=~Q(nature=NaturePoint.FICHE) | Q(fiche__isnull=False),
                name="point_fiche_a_sa_fiche",
            ),
            models.CheckConstraint(
                condition=~Q(nature=NaturePoint.PERIMETRE) | Q(demande__isnull=False),
                name="point_perimetre_a_sa_demande",
            ),
            models.CheckConstraint(
                condition=~Q(nature=NaturePoint.DESIGNATION)
                | (Q(designation_personne__isnull=False) & ~Q(designation_role="")),
                name="point_designation_a_sa_personne",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordre}. {self.intitule}"


def _chemin_piece(instance, filename: str) -> str:
    return f"pieces-jointes/reunions/{instance.reunion.uid}/{filename}"


class PieceJointe(models.Model):
    """Served only through a scoped view, never from a public media URL."""

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="pieces")
    fichier = models.FileField(upload_to=_chemin_piece, max_length=300)
    nom = models.CharField(max_length=200)
    ajoutee_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ajoutee_le"]
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.nom


class DecisionReunion(models.Model):
    """Links a territoires.Decision to the meeting and the agenda item it was taken on, or
    says that it was taken without a meeting, where the FAQ allows it (§4.2)."""

    decision = models.OneToOneField(
        "territoires.Decision", on_delete=models.PROTECT, related_name="reunion_lien"
    )
    objet = models.CharField(max_length=20, choices=ObjetDecision.choices)
    reunion = models.ForeignKey(
        Reunion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    point = models.OneToOneField(
        PointOrdreDuJour,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_prise",
    )
    hors_reunion = models.BooleanField("prise hors réunion", default=False)
    motif_hors_reunion = models.TextField(blank=True)
    territoire = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Without a meeting, the agreement of the Région and of the parties concerned (FAQ §4.2).
    accords = models.ManyToManyField("comptes.Organisation", blank=True, related_name="+")
    par = models.ForeignKey(
        "comptes.Utilisateur", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision__date", "-id"]
        verbose_name = "décision d'une instance"
        constraints = [
            models.CheckConstraint(
                condition=Q(hors_reunion=True, reunion__isnull=True)
                | Q(hors_reunion=False, reunion__isnull=False),
                name="decision_en_reunion_ou_hors_reunion",
            ),
            models.CheckConstraint(
                condition=Q(hors_reunion=False) | ~Q(motif_hors_reunion=""),
                name="decision_hors_reunion_motivee",
            ),
        ]

    def __str__(self) -> str:
        return str(self.decision)


class DemandePerimetre(models.Model):
    """A request to adjust the map (FAQ §2.3), from an EPCI or a territory, decided by the
    regional COPIL. Its life is in gouvernance.demandes."""

    nature = models.CharField(max_length=20, choices=NatureDemande.choices)
    etat = models.CharField(
        "état", max_length=10, choices=EtatDemande.choices, default=EtatDemande.DEPOSEE
    )
    region = models.ForeignKey(
        "referentiel.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Région dont le comité de pilotage régional décide (qui coordonne).",
    )
    # Every Région the request touches (FAQ §2.3): its territory's, an added EPCI's, a new
    # territory's. Each of them takes position (gouvernance.historique.AccordRegion).
    regions_concernees = models.ManyToManyField(
        "referentiel.Region", blank=True, related_name="+", verbose_name="régions concernées"
    )
    territoire = models.ForeignKey(
        "territoires.Territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demandes_perimetre",
    )
    epci = models.ForeignKey(
        "referentiel.EPCI", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demandeur_organisation = models.ForeignKey(
        "comptes.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="intercommunalité demandeuse",
    )
    demandeur_territoire = models.ForeignKey(
        "territoires.Territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire demandeur",
    )
    # New territory: proposed code and name; split: [{"code", "nom", "epcis": [SIREN…]}].
    code_propose = models.CharField("code proposé", max_length=12, blank=True)
    nom_propose = models.CharField("nom proposé", max_length=200, blank=True)
    epcis_proposes = models.JSONField("intercommunalités proposées", default=list, blank=True)
    parts = models.JSONField("territoires issus de la scission", default=list, blank=True)
    justification = models.TextField(blank=True)
    deposee_le = models.DateField("déposée le")
    deposee_par = models.ForeignKey(
        "comptes.Utilisateur", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-deposee_le", "-id"]
        verbose_name = "demande de modification du périmètre"
        verbose_name_plural = "demandes de modification du périmètre"
        constraints = [
            models.CheckConstraint(
                condition=Q(demandeur_organisation__isnull=False)
                | Q(demandeur_territoire__isnull=False),
                name="demande_a_un_demandeur",
            ),
            # Targeting principle (FAQ §2.2): a new territory must be justified.
            models.CheckConstraint(
                condition=~Q(nature=NatureDemande.NOUVEAU_TERRITOIRE) | ~Q(justification=""),
                name="demande_nouveau_territoire_justifiee",
            ),
            models.CheckConstraint(
                condition=Q(nature=NatureDemande.NOUVEAU_TERRITOIRE) | Q(territoire__isnull=False),
                name="demande_vise_un_territoire",
            ),
        ]

    def __str__(self) -> str:
        cible = self.territoire.code if self.territoire_id else self.nom_propose
        return f"{self.get_nature_display()} — {cible}"

    @property
    def demandeur(self):
        return self.demandeur_organisation or self.demandeur_territoire

    def contexte_acces(self) -> Contexte:
        territoires = {t for t in (self.territoire_id, self.demandeur_territoire_id) if t}
        return Contexte(
            territoires=territoires,
            regions={self.region_id},
            organisations={self.demandeur_organisation_id}
            if self.demandeur_organisation_id
            else set(),
        )


class VersionCarte(models.Model):
    """The national map as published at a CNI meeting (FAQ §2.3): frozen once recorded.

    `donnees` is the zlib-compressed JSON list of [code, nom, code d'origine, régions,
    communes] for each territory in force on `date`.
    """

    nom = models.CharField(max_length=200, unique=True)
    date = models.DateField()
    phase = models.ForeignKey("territoires.Phase", on_delete=models.PROTECT, related_name="+")
    reunion = models.ForeignKey(
        Reunion, null=True, blank=True, on_delete=models.PROTECT, related_name="versions_carte"
    )
    nb_territoires = models.PositiveIntegerField(default=0)
    donnees = models.BinaryField(editable=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "version de la carte"
        verbose_name_plural = "versions de la carte"

    def __str__(self) -> str:
        return self.nom

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("Une version publiée de la carte ne se modifie pas.")
        super().save(*args, **kwargs)

    def territoires(self) -> list[dict]:
        rows = json.loads(zlib.decompress(bytes(self.donnees)).decode())
        return [
            {"code": c, "nom": n, "origine": o, "regions": r, "communes": com}
            for c, n, o, r, com in rows
        ]

    @staticmethod
    def compresser(rows: list) -> bytes:
        return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 9)


# The history of the requests' moves and each Région's position, the calendar tokens, in their
# own modules, registered with the app's models.
from .historique import AccordRegion, TransitionDemande  # noqa: E402, F401
from .jetons import JetonAgenda  # noqa: E402, F401
