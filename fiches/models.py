"""Fiches-actions, their financing plan, indicators, follow-up and history (FAQ §4.6, §4.7).

Writes go through fiches.services (content) and fiches.cycle (the validation path, the one
module that changes `etat`); the checks of the financing plan live in fiches.controles.
"""

import uuid
from dataclasses import replace
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from comptes.permissions import Contexte
from mesures.enums import CHOIX_AXES, Axe, classement, erreur_axe, nom_du_classement
from referentiel import moteur, saisie
from territoires.selectors import regions_du_territoire

from .enums import (
    INSCRITES,
    Avis,
    ContratValorise,
    Etat,
    Maturite,
    NatureSimplification,
    Orientation,
    PhaseExecution,
    PorteeGeo,
    Section,
    StatutExecution,
    StatutLigne,
)


class Filiere(models.Model):
    """Strategic industry sectors (comités stratégiques de filière): an editable list."""

    nom = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "filière"

    def __str__(self) -> str:
        return self.nom


class FicheActionQuerySet(models.QuerySet):
    def simplifications(self):
        """The simplification requests: « simplifier » fiches of phase 1, and fiches of phase 2
        that carry one besides their priority (phase 1 never sets the flag, phase 2 has no
        « simplifier »: the two never overlap)."""
        # `in` writes « = true » where a bare boolean would hide the column from its index:
        # both sides indexed, the national list reads them instead of every fiche.
        return self.filter(Q(axe=Axe.SIMPLIFIER) | Q(demande_simplification__in=[True]))


class FicheAction(models.Model):
    SECRETABLE = ("cout_total", "description")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territoire = models.ForeignKey(
        "territoires.Territoire", on_delete=models.PROTECT, related_name="fiches"
    )
    numero = models.PositiveIntegerField("numéro")
    titre = models.CharField(
        "titre", max_length=300, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    # The axis (phase 1) or the priority (phase 2) of the fiche: one field, whose allowed values
    # depend on the territory's phase (mesures.enums.erreur_axe, docs/adr/0008).
    axe = models.CharField("axe ou priorité", max_length=20, choices=CHOIX_AXES)
    contexte = models.TextField(
        "contexte et objectifs", blank=True, validators=[saisie.valider_texte]
    )
    description = models.TextField(blank=True, validators=[saisie.valider_texte])
    porteur = models.ForeignKey(
        "comptes.Organisation", on_delete=models.PROTECT, related_name="fiches_portees"
    )
    partenaires = models.ManyToManyField(
        "comptes.Organisation", blank=True, related_name="fiches_partenaires"
    )
    portee = models.CharField(
        "périmètre", max_length=20, choices=PorteeGeo.choices, default=PorteeGeo.TERRITOIRE
    )
    epcis = models.ManyToManyField("referentiel.EPCI", blank=True, related_name="+")
    communes = models.ManyToManyField("referentiel.Commune", blank=True, related_name="+")
    filiere = models.ForeignKey(
        Filiere, null=True, blank=True, on_delete=models.PROTECT, related_name="fiches"
    )
    collective = models.BooleanField(
        "action collective", default=True, help_text="Collective, ou au bénéfice d'un porteur."
    )
    maturite = models.CharField(
        "maturité", max_length=20, choices=Maturite.choices, default=Maturite.IDEE
    )
    date_debut = models.DateField(
        "début prévu", null=True, blank=True, validators=[saisie.valider_date]
    )
    date_fin = models.DateField(
        "fin prévue", null=True, blank=True, validators=[saisie.valider_date]
    )
    cout_total = models.DecimalField(
        "coût total (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[saisie.valider_montant],
    )
    mesures = models.ManyToManyField("mesures.Mesure", blank=True, related_name="fiches")
    contrat_valorise = models.CharField(
        "valorisée dans un autre contrat",
        max_length=10,
        choices=ContratValorise.choices,
        blank=True,
        default="",
    )
    # Simplification requests (FAQ §4.7, §5.5): the « simplifier » axis in phase 1; in phase 2,
    # which has no such priority, a fiche of any priority may carry one.
    demande_simplification = models.BooleanField(
        "demande de simplification",
        default=False,
        help_text="Phase 2 : la fiche porte une demande de simplification, quelle que soit sa "
        "priorité. En phase 1, c'est l'axe « simplifier ».",
    )
    probleme = models.TextField("problème rencontré", blank=True, validators=[saisie.valider_texte])
    nature_simplification = models.CharField(
        "proposition", max_length=20, choices=NatureSimplification.choices, blank=True
    )
    orientation = models.CharField(
        "orientation", max_length=30, choices=Orientation.choices, blank=True, default=""
    )
    etat = models.CharField(max_length=20, choices=Etat.choices, default=Etat.BROUILLON)
    # Follow-up once inscribed, in the values of the shared « projets-territoire » schema.
    phase_execution = models.CharField(
        "phase", max_length=20, choices=PhaseExecution.choices, blank=True
    )
    statut_execution = models.CharField(
        "statut", max_length=20, choices=StatutExecution.choices, blank=True
    )
    champs_secrets = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    # What the search reads (referentiel.moteur): the folded words of the fields that are never
    # secret, and of the description while it is not. Kept by save(); rebuilt by the command
    # `reindexer_recherche`.
    texte_recherche = models.TextField(default="", blank=True, editable=False)

    objects = FicheActionQuerySet.as_manager()

    class Meta:
        ordering = ["territoire", "numero"]
        verbose_name = "fiche-action"
        constraints = [
            models.UniqueConstraint(fields=["territoire", "numero"], name="fiche_numero_unique"),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True)
                | Q(date_debut__isnull=True)
                | Q(date_fin__gte=models.F("date_debut")),
                name="fiche_calendrier_ordonne",
            ),
            models.CheckConstraint(
                condition=Q(cout_total__isnull=True) | Q(cout_total__gte=0),
                name="fiche_cout_positif",
            ),
            models.CheckConstraint(
                condition=Q(date_debut__isnull=True)
                | Q(date_debut__range=(saisie.DATE_MIN, saisie.DATE_MAX)),
                name="fiche_debut_plausible",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True)
                | Q(date_fin__range=(saisie.DATE_MIN, saisie.DATE_MAX)),
                name="fiche_fin_plausible",
            ),
        ]
        indexes = [
            models.Index(fields=["etat"]),
            models.Index(fields=["axe"]),
            models.Index(fields=["demande_simplification"], name="fiche_demande_simplification"),
            # The territory and id of every fiche without reading the rows (wide with their
            # texts): a list's counts per territory and a search's join read this index alone
            # (on SQLite, the territory's index already holds the id).
            models.Index(fields=["territoire", "id"], name="fiche_territoire_et_id"),
        ]

    def __str__(self) -> str:
        return f"{self.territoire.code}-{self.numero:02d} {self.titre}"

    def save(self, *args, **kwargs):
        self.texte_recherche = self.texte_a_chercher()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "texte_recherche"}
        a_indexer = (
            self._state.adding
            or self.pk is None
            or self.texte_recherche != getattr(self, "_texte_indexe", None)
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if a_indexer:
                MotFiche.reecrire(self.pk, self.texte_recherche)
        self._texte_indexe = self.texte_recherche

    @classmethod
    def from_db(cls, db, field_names, values):
        fiche = super().from_db(db, field_names, values)
        # The searched text as read (None when deferred): save() rewrites the word index
        # only when the text changed.
        fiche._texte_indexe = fiche.__dict__.get("texte_recherche")
        return fiche

    @property
    def reference(self) -> str:
        return f"{self.territoire.code}-{self.numero:02d}"

    def texte_a_chercher(self) -> str:
        textes = [self.reference, self.titre, self.contexte, self.probleme]
        if "description" not in (self.champs_secrets or ()):
            textes.append(self.description)
        return moteur.plier(*textes)

    @property
    def phase(self) -> int:
        return self.territoire.phase_id

    @property
    def nom_classement(self) -> str:
        """« axe » (phase 1) or « priorité » (phase 2), to label `axe` on pages."""
        return nom_du_classement(self.phase)

    @property
    def inscrite(self) -> bool:
        """Inscribed in the contract (and maybe carried out since): its execution follow-up,
        phase, status, notes and indicators' measures, is open (FAQ §4.6)."""
        return self.etat in INSCRITES

    @property
    def est_simplification(self) -> bool:
        return self.axe == Axe.SIMPLIFIER or self.demande_simplification

    @property
    def plan_de_financement_facultatif(self) -> bool:
        """A « simplifier » fiche states a problem and needs no financing plan (FAQ §4.7); a
        phase-2 fiche carrying a request keeps its plan: it is a project of its priority too."""
        return self.axe == Axe.SIMPLIFIER

    @property
    def modifiable(self) -> bool:
        """Only a draft is edited: a submitted fiche comes back « à retravailler » first."""
        return self.etat == Etat.BROUILLON

    def contexte_acces(self) -> Contexte:
        """For the permission layer: the territory, the bearer, the funders of its lines."""
        return Contexte(
            territoires={self.territoire_id},
            organisations={self.porteur_id},
            regions=set(regions_du_territoire(self.territoire)),
            # No funder here: a funder reads the lines addressed to it (LigneFinancement),
            # not the fiche's own secrets nor, through them, the other funders' amounts.
        )

    def statut_execution_derive(self, today: Date | None = None) -> str:
        """« En retard » derives from the schedule: past the planned end and not finished."""
        today = today or timezone.localdate()
        if (
            self.statut_execution in ("", StatutExecution.EN_COURS)
            and self.date_fin
            and self.date_fin < today
            and self.etat == Etat.INSCRITE
        ):
            return StatutExecution.EN_RETARD
        return self.statut_execution

    def clean(self):
        # The database constraints stay as a safety net; these give the French messages
        # (services validate without querying each constraint: see fiches.services).
        erreurs = {}
        phase = self.territoire.phase_id if self.territoire_id else None
        if phase is not None and self.axe and (message := erreur_axe(self.axe, phase)):
            erreurs["axe"] = message
        # Where the phase's list has its « simplifier » axis, that axis is the request.
        par_axe = classement(phase) is Axe if phase is not None else self.axe in Axe.values
        if self.demande_simplification and par_axe:
            erreurs["demande_simplification"] = (
                f"En phase {phase}, une demande de simplification se classe sur l'axe "
                "« simplifier »."
            )
        quoi = "fiches « simplifier »" if par_axe else "demandes de simplification"
        if self.est_simplification and not self.probleme:
            erreurs["probleme"] = (
                "Une fiche « simplifier » énonce le problème."
                if self.axe == Axe.SIMPLIFIER
                else "Une demande de simplification énonce le problème."
            )
        if not self.est_simplification and self.orientation:
            erreurs["orientation"] = f"L'orientation ne concerne que les {quoi}."
        if not self.est_simplification and self.nature_simplification:
            erreurs["nature_simplification"] = f"La proposition ne concerne que les {quoi}."
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            erreurs["date_fin"] = "La fin prévue précède le début."
        if erreurs:
            raise ValidationError(erreurs)


class LigneFinancement(models.Model):
    """A line of the financing plan (maquette financière)."""

    SECRETABLE = ("montant",)

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="lignes")
    financeur = models.ForeignKey(
        "comptes.Organisation", on_delete=models.PROTECT, related_name="lignes_financees"
    )
    mesure = models.ForeignKey(
        "mesures.Mesure", null=True, blank=True, on_delete=models.PROTECT, related_name="lignes"
    )
    section = models.CharField(max_length=20, choices=Section.choices)
    montant = models.DecimalField(
        "montant (€)", max_digits=14, decimal_places=2, validators=[saisie.valider_montant]
    )
    statut = models.CharField(
        max_length=10, choices=StatutLigne.choices, default=StatutLigne.DEMANDE
    )
    # Aid to a firm under the EU de minimis regime counts towards its ceiling.
    de_minimis = models.BooleanField("aide de minimis", default=False)
    # Dates that make delays measurable (FAQ §1.2, §5.1).
    demande_le = models.DateField("demandé le", null=True, blank=True)
    decide_le = models.DateField("décidé le", null=True, blank=True)
    champs_secrets = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["fiche", "id"]
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        constraints = [
            models.CheckConstraint(condition=Q(montant__gte=0), name="ligne_montant_positif"),
            models.CheckConstraint(
                condition=~Q(statut__in=["accorde", "refuse"]) | Q(decide_le__isnull=False),
                name="ligne_decision_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiche.reference} — {self.financeur}"

    def contexte_acces(self, fiche: Contexte | None = None) -> Contexte:
        """`fiche`: its fiche's context when the caller already has it (no query)."""
        ctx = fiche or self.fiche.contexte_acces()
        # A funder reads the lines addressed to it, not the others (FAQ §7.3).
        return replace(ctx, financeurs={self.financeur_id})


class Transition(models.Model):
    """One move of a fiche on its path: who, when, why, on which decision."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=30)
    etat_avant = models.CharField(max_length=20, choices=Etat.choices)
    etat_apres = models.CharField(max_length=20, choices=Etat.choices)
    avis = models.CharField(max_length=20, choices=Avis.choices, blank=True)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    date_effet = models.DateField("date de la décision", validators=[saisie.valider_date])
    motif = models.TextField(blank=True, validators=[saisie.valider_texte])
    decision = models.ForeignKey(
        "territoires.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["le", "id"]

    def __str__(self) -> str:
        return f"{self.fiche.reference} : {self.etat_avant} → {self.etat_apres}"


class Indicateur(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField(
        "indicateur", max_length=200, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    unite = models.CharField(
        "unité", max_length=50, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    cible = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[saisie.valider_positif]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cible__isnull=True) | Q(cible__gte=0), name="indicateur_cible_positive"
            )
        ]

    def __str__(self) -> str:
        return self.libelle


class ValeurIndicateur(models.Model):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    date = models.DateField(validators=[saisie.valider_date])
    valeur = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.indicateur} au {self.date}: {self.valeur}"


class NoteSuivi(models.Model):
    """A dated follow-up note once the fiche is carried out."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(default=timezone.localdate, validators=[saisie.valider_date])
    texte = models.TextField(validators=[saisie.valider_non_vide, saisie.valider_texte])
    auteur = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Note du {self.date} sur {self.fiche.reference}"


class Commentaire(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="commentaires")
    auteur = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    texte = models.TextField(validators=[saisie.valider_non_vide, saisie.valider_texte])
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["le"]

    def __str__(self) -> str:
        return f"Commentaire sur {self.fiche.reference}"


class PieceJointe(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="pieces_jointes")
    fichier = models.FileField(upload_to="fiches/%Y/")
    titre = models.CharField(
        max_length=200, validators=[saisie.valider_non_vide, saisie.valider_texte]
    )
    ajoute_par = models.ForeignKey(
        "comptes.Utilisateur", on_delete=models.PROTECT, related_name="+"
    )
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.titre


class ExportFiches(models.Model):
    """A large XLSX export prepared by the worker (fiches.exports): the fiches chosen by the
    request, written for its author alone into a private folder, removed after a delay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    auteur = models.ForeignKey("comptes.Utilisateur", on_delete=models.CASCADE)
    demande_le = models.DateTimeField(default=timezone.now)
    fiches = models.JSONField(default=list)  # the ids the request's filters chose
    pret_le = models.DateTimeField(null=True, blank=True)
    erreur = models.TextField(blank=True)

    class Meta:
        verbose_name = "export de fiches en préparation"

    def __str__(self):
        return f"Export {self.pk} de {self.auteur_id}"


# The indexes derived from the fiches' texts (search, similar fiches), in their own module.
from .index import MotFiche, Terme, TermeFiche  # noqa: E402, F401 (re-exported)
