"""The panier de services (FAQ §5): the catalogue of measures a territory can mobilise.

Not an envelope to share out (§5.1): each measure keeps its own rules, operator and procedure,
and some are procedures rather than money. The national commitments are completed by the
Régions' own measures (§5.2). Fiches (floor 5) will refer to these measures and be checked
against the rules kept here (rate, ceiling, eligible bearers, validity).
"""

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats

from referentiel.formats import euros, pourcent

from .enums import (
    CHOIX_AXES,
    PORTEURS_AU_PLURIEL,
    NatureMesure,
    Priorite,
    SourceMesure,
    phase_de,
)

AXES = dict(CHOIX_AXES)


class MesureQuerySet(models.QuerySet):
    def valides_le(self, date: Date):
        return self.filter(
            Q(date_debut__isnull=True) | Q(date_debut__lte=date),
            Q(date_fin__isnull=True) | Q(date_fin__gte=date),
        )


class Mesure(models.Model):
    nom = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    operateur = models.ForeignKey(
        "comptes.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mesures",
        verbose_name="opérateur",
        help_text="Vide pour les mesures de l'État lui-même (dotations, procédures du préfet).",
    )
    # A list rather than a table: fixed values, read with the measure, checked in clean().
    # The axes of phase 1 or the priorities of phase 2 (mesures.enums), never both: a measure
    # of phase 2 serves the phase-2 priorities. Empty: the measure serves every fiche.
    axes = models.JSONField(default=list, blank=True)
    nature = models.CharField(max_length=20, choices=NatureMesure.choices)
    taux_max = models.DecimalField(
        "taux maximal de cofinancement (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "Un taux de cofinancement ne peut être négatif."),
            # Messages are %-formatted by Django: « %% » shows as « % ».
            MaxValueValidator(100, "Un taux de cofinancement ne peut dépasser 100 %%."),
        ],
        help_text="Part maximale d'une dépense que cette mesure peut financer. Vide si non fixé.",
    )
    plafond = models.DecimalField(
        "plafond par fiche (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "Un plafond ne peut être négatif.")],
        help_text="Montant maximal apporté par cette mesure à une fiche-action. Vide si non fixé.",
    )
    # Values of comptes.enums.TypeOrganisation; empty: every type of bearer is eligible.
    types_porteurs = models.JSONField("types de porteurs éligibles", default=list, blank=True)
    # Rules of the Fonds vert axis « Territoires d'industrie en transition écologique »
    # (2024), read by fiches.controles for any measure that declares them.
    accord_gouvernance = models.BooleanField(
        "entreprise éligible sur accord de la gouvernance du territoire",
        default=False,
        help_text="Une entreprise n'y est éligible qu'avec l'accord de la gouvernance du "
        "territoire : une décision favorable de son comité de projet, prise en réunion.",
    )
    exclut_entreprises_en_difficulte = models.BooleanField(
        "entreprises en difficulté exclues (RGEC)",
        default=False,
        help_text="Aucune aide à une entreprise en difficulté au sens de l'article 2.18 du "
        "règlement général d'exemption par catégorie (UE) n° 651/2014.",
    )
    # The last day of validity is included: calls for projects are announced « du … au … ».
    date_debut = models.DateField("valable à partir du", null=True, blank=True)
    date_fin = models.DateField("valable jusqu'au", null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=SourceMesure.choices, default=SourceMesure.NATIONALE
    )
    region = models.ForeignKey(
        "referentiel.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mesures",
        verbose_name="région",
        help_text="La région d'une mesure régionale ; vide pour un engagement national.",
    )
    reference = models.CharField(
        "référence",
        max_length=200,
        blank=True,
        help_text="Ce qui fonde la mesure, par exemple « FAQ §5.3 ».",
    )
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = MesureQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=SourceMesure.REGIONALE, region__isnull=False)
                | (~Q(source=SourceMesure.REGIONALE) & Q(region__isnull=True)),
                name="mesure_region_ssi_regionale",
                violation_error_message=(
                    "Une mesure régionale est rattachée à sa région, "
                    "un engagement national à aucune."
                ),
            ),
            models.CheckConstraint(
                condition=Q(taux_max__isnull=True) | Q(taux_max__gte=0, taux_max__lte=100),
                name="mesure_taux_entre_0_et_100",
                violation_error_message="Le taux de cofinancement est compris entre 0 et 100 %%.",
            ),
            models.CheckConstraint(
                condition=Q(plafond__isnull=True) | Q(plafond__gte=0),
                name="mesure_plafond_positif",
                violation_error_message="Un plafond ne peut être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(date_debut__isnull=True)
                | Q(date_fin__isnull=True)
                | Q(date_fin__gte=F("date_debut")),
                name="mesure_dates_ordonnees",
                violation_error_message="La fin de validité ne peut précéder son début.",
            ),
            # One name per scope, so that the catalogue never shows two look-alike lines.
            models.UniqueConstraint(
                fields=["nom"],
                condition=Q(region__isnull=True),
                name="mesure_nationale_nom_unique",
                violation_error_message="Un engagement national porte déjà ce nom.",
            ),
            models.UniqueConstraint(
                fields=["nom", "region"],
                name="mesure_regionale_nom_unique",
                violation_error_message="Cette région a déjà une mesure de ce nom.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def clean(self):
        erreurs = {}
        axes, inconnus = _trier(self.axes, [v for v, _ in CHOIX_AXES])
        if inconnus is None:
            erreurs["axes"] = "Les axes sont donnés sous forme de liste."
        elif inconnus:
            erreurs["axes"] = f"Axe inconnu : {_citer(inconnus)}. {AXES_CONNUS}"
        elif len({phase_de(a) for a in axes}) > 1:
            erreurs["axes"] = (
                "Une mesure sert les axes de la phase 1 ou les priorités de la phase 2, "
                "pas les deux."
            )
        else:
            self.axes = axes
        types, inconnus = _trier(self.types_porteurs, list(PORTEURS_AU_PLURIEL))
        if inconnus is None:
            erreurs["types_porteurs"] = "Les types de porteurs sont donnés sous forme de liste."
        elif inconnus:
            erreurs["types_porteurs"] = f"Type de porteur inconnu : {_citer(inconnus)}."
        else:
            self.types_porteurs = types
        if self.source == SourceMesure.REGIONALE and not self.region_id:
            erreurs["region"] = "Une mesure régionale est rattachée à sa région : précisez-la."
        if self.source == SourceMesure.NATIONALE and self.region_id:
            erreurs["region"] = "Un engagement national ne se rattache à aucune région."
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            erreurs["date_fin"] = "La fin de validité ne peut précéder son début."
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def libelles_axes(self) -> list[str]:
        return [AXES.get(a, a) for a in self.axes]

    def valide_le(self, date: Date) -> bool:
        return (self.date_debut is None or self.date_debut <= date) and (
            self.date_fin is None or date <= self.date_fin
        )

    def eligible(self, type_porteur: str) -> bool:
        return not self.types_porteurs or type_porteur in self.types_porteurs

    def regles(self) -> list[str]:
        """The measure's rules in plain French, as pages and exports show them."""
        titre = "Priorités" if self.axes and self.axes[0] in Priorite.values else "Axes"
        regles = [
            f"{titre} : "
            + (_liste([AXES.get(a, a).lower() for a in self.axes]) or "tous les axes"),
            "Cofinancement maximal : "
            + (pourcent(self.taux_max) if self.taux_max is not None else "non précisé"),
            "Plafond par fiche : "
            + (euros(self.plafond) if self.plafond is not None else "non précisé"),
            "Porteurs éligibles : "
            + (
                _liste([PORTEURS_AU_PLURIEL.get(t, t) for t in self.types_porteurs])
                or "tous les porteurs"
            ),
            self.validite(),
        ]
        if self.accord_gouvernance:
            regles.append(
                "Une entreprise n'est éligible qu'avec l'accord de la gouvernance du territoire"
            )
        if self.exclut_entreprises_en_difficulte:
            regles.append("Entreprises en difficulté au sens du RGEC exclues")
        return regles

    def validite(self) -> str:
        if self.date_debut and self.date_fin:
            return f"Valable du {_date(self.date_debut)} au {_date(self.date_fin)}"
        if self.date_debut:
            return f"Valable à partir du {_date(self.date_debut)}, sans date de fin"
        if self.date_fin:
            return f"Valable jusqu'au {_date(self.date_fin)}"
        return "Valable sans limite de date"


AXES_CONNUS = (
    "Les axes de la phase 1 sont attirer, recruter, innover et simplifier ; les priorités de "
    "la phase 2 sont compétences et recrutement, transition écologique et énergétique, "
    "innovation et foncier industriel."
)


def _trier(valeurs, connues: list[str]) -> tuple[list[str], list | None]:
    """Known values in their reference order, without repeats; and the unknown ones (None when
    the value is not a list at all)."""
    if not isinstance(valeurs, list | tuple):
        return [], None
    inconnues = [v for v in valeurs if v not in connues]
    return [str(c) for c in connues if c in valeurs], inconnues


def _citer(valeurs) -> str:
    return ", ".join(f"« {v} »" for v in valeurs)


def _liste(mots: list[str]) -> str:
    return ", ".join(mots)


def _date(d: Date) -> str:
    texte = formats.date_format(d, "j F Y")
    return texte.replace("1 ", "1er ", 1) if d.day == 1 else texte
