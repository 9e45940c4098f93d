"""The harmonised evaluation framework of a phase and each territory's evaluation (Cour des
comptes, 21 November 2024; Senate, 18 December 2024, recommendation 12).

A framework (`Cadre`) is a numbered version per phase: ordered sections of questions and the
indicators each territory reports. Once an evaluation uses a version, that version is frozen:
changing the framework means a new version (evaluations.cadres). An evaluation's state moves
only through evaluations.cycle; its answers are written by evaluations.services, under an
optimistic lock (`Evaluation.version`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comptes.permissions import Contexte
from referentiel import saisie
from territoires.selectors import regions_du_territoire

from .enums import (
    NATURES_A_MODALITES,
    AvisRevue,
    EtatEvaluation,
    NatureEvaluation,
    NatureQuestion,
    RoleRevue,
)

TEXTE = [saisie.valider_texte]
REQUIS = [saisie.valider_non_vide, saisie.valider_texte]


class Cadre(models.Model):
    """One version of the evaluation framework of a phase, kept by the national delegation."""

    phase = models.ForeignKey(
        "territoires.Phase", on_delete=models.PROTECT, related_name="cadres_evaluation"
    )
    version = models.PositiveSmallIntegerField(default=1)
    titre = models.CharField(max_length=300, validators=REQUIS)
    introduction = models.TextField(blank=True, validators=TEXTE)
    # Published: the territories' new evaluations follow the latest published version.
    publie_le = models.DateField("publié le", null=True, blank=True)
    cree_par = models.ForeignKey(
        "comptes.Utilisateur", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["phase", "version"]
        verbose_name = "cadre d'évaluation"
        verbose_name_plural = "cadres d'évaluation"
        constraints = [
            models.UniqueConstraint(fields=["phase", "version"], name="cadre_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.titre} (phase {self.phase_id}, version {self.version})"

    @property
    def fige(self) -> bool:
        """Used by an evaluation: it no longer changes (a new version does)."""
        return self.evaluations.exists()

    def questions(self):
        return Question.objects.filter(section__cadre=self).order_by(
            "section__ordre", "section_id", "ordre", "id"
        )


class Section(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="sections")
    ordre = models.PositiveSmallIntegerField(default=1)
    titre = models.CharField(max_length=300, validators=REQUIS)
    aide = models.TextField("consigne", blank=True, validators=TEXTE)

    class Meta:
        ordering = ["ordre", "id"]

    def __str__(self) -> str:
        return self.titre


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    ordre = models.PositiveSmallIntegerField(default=1)
    intitule = models.CharField("question", max_length=500, validators=REQUIS)
    aide = models.TextField("consigne", blank=True, validators=TEXTE)
    nature = models.CharField(
        "forme de la réponse",
        max_length=10,
        choices=NatureQuestion.choices,
        default=NatureQuestion.TEXTE,
    )
    # For a scale or a choice: the modalities, in order (a scale from the first to the last).
    modalites = models.JSONField("modalités", default=list, blank=True)
    unite = models.CharField("unité", max_length=50, blank=True, validators=TEXTE)
    obligatoire = models.BooleanField(
        default=True, help_text="Une évaluation ne se soumet pas sans cette réponse."
    )

    class Meta:
        ordering = ["ordre", "id"]

    def __str__(self) -> str:
        return self.intitule

    def clean(self):
        erreurs = {}
        modalites = [str(m).strip() for m in self.modalites or []]
        if self.nature in NATURES_A_MODALITES:
            if len([m for m in modalites if m]) < 2:
                erreurs["modalites"] = "Une échelle ou un choix propose au moins deux modalités."
            elif len({saisie.cle(m) for m in modalites}) < len(modalites):
                erreurs["modalites"] = "Chaque modalité n'apparaît qu'une fois."
            for m in modalites:
                try:
                    saisie.valider_texte(m)
                except ValidationError as exc:
                    erreurs["modalites"] = exc.messages
        elif modalites:
            erreurs["modalites"] = "Seules une échelle ou un choix proposent des modalités."
        if self.unite and self.nature != NatureQuestion.NOMBRE:
            erreurs["unite"] = "Seule une question qui attend un nombre a une unité."
        if erreurs:
            raise ValidationError(erreurs)


class IndicateurCadre(models.Model):
    """An indicator every territory reports: filled in from its fiches' indicators of the same
    name and unit (case, accents and spacing aside: referentiel.saisie.cle)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="indicateurs")
    ordre = models.PositiveSmallIntegerField(default=1)
    libelle = models.CharField("indicateur", max_length=200, validators=REQUIS)
    unite = models.CharField("unité", max_length=50, validators=REQUIS)
    aide = models.TextField("définition", blank=True, validators=TEXTE)

    class Meta:
        ordering = ["ordre", "id"]
        verbose_name = "indicateur du cadre"
        verbose_name_plural = "indicateurs du cadre"

    def __str__(self) -> str:
        return f"{self.libelle} ({self.unite})"

    @property
    def cle(self) -> tuple[str, str]:
        return saisie.cle(self.libelle), saisie.cle(self.unite)


class Evaluation(models.Model):
    territoire = models.ForeignKey(
        "territoires.Territoire", on_delete=models.PROTECT, related_name="evaluations"
    )
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="evaluations")
    nature = models.CharField(max_length=12, choices=NatureEvaluation.choices)
    etat = models.CharField(
        max_length=10, choices=EtatEvaluation.choices, default=EtatEvaluation.REDACTION
    )
    # Each submission opens a round of reviews (a sent-back evaluation is reviewed anew).
    tour = models.PositiveSmallIntegerField("tour de revue", default=0)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the answers
    # The figures as they stood when the evaluation was submitted (evaluations.chiffres).
    chiffres = models.JSONField(null=True, blank=True)
    cree_par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["territoire", "nature"]
        verbose_name = "évaluation"
        constraints = [
            models.UniqueConstraint(
                fields=["territoire", "nature"], name="evaluation_unique_par_nature"
            )
        ]
        indexes = [models.Index(fields=["etat"])]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.territoire}"

    @property
    def titre(self) -> str:
        return f"{self.get_nature_display()} du Territoire d'industrie {self.territoire.nom}"

    @property
    def en_redaction(self) -> bool:
        return self.etat == EtatEvaluation.REDACTION

    def revues_du_tour(self):
        return self.revues.filter(tour=self.tour)

    def contexte_acces(self) -> Contexte:
        t = self.territoire
        return Contexte(territoires={t.pk}, regions=set(regions_du_territoire(t)))


class Reponse(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reponses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField(blank=True, validators=TEXTE)
    modalite = models.CharField(max_length=200, blank=True, validators=TEXTE)
    nombre = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    modifie_par = models.ForeignKey(
        "comptes.Utilisateur", null=True, on_delete=models.PROTECT, related_name="+"
    )
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réponse"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="reponse_unique")
        ]

    def __str__(self) -> str:
        return f"Réponse à « {self.question} »"


class Revue(models.Model):
    """The review the Région or the State gives on a submitted evaluation, with comments."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="revues")
    tour = models.PositiveSmallIntegerField()
    role = models.CharField("au nom de", max_length=10, choices=RoleRevue.choices)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(validators=[saisie.valider_date])
    avis = models.CharField(max_length=12, choices=AvisRevue.choices)
    commentaire = models.TextField(validators=REQUIS)
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tour", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "tour", "role"], name="revue_unique_par_tour"
            )
        ]

    def __str__(self) -> str:
        return f"Revue {self.get_role_display()} — {self.evaluation}"


class TransitionEvaluation(models.Model):
    """One move of an evaluation: who, when, from, to, why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    etat_avant = models.CharField(max_length=10, choices=EtatEvaluation.choices, blank=True)
    etat_apres = models.CharField(max_length=10, choices=EtatEvaluation.choices)
    par = models.ForeignKey("comptes.Utilisateur", on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    date = models.DateField(validators=[saisie.valider_date])
    commentaire = models.TextField(blank=True, validators=TEXTE)

    class Meta:
        ordering = ["le", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__range=(saisie.DATE_MIN, saisie.DATE_MAX)),
                name="transition_evaluation_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} : {self.etat_avant or '—'} → {self.etat_apres}"
