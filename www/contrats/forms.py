"""Forms of the contracts' pages: the canvas of each document, annexes, signatories,
signatures, validation. They only read the input: contrats.services and contrats.cycle
decide."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst

from contrats import accords, cycle, services
from contrats.enums import NatureSignataire
from contrats.models import Avenant, Contrat, Protocole
from fiches.models import FicheAction
from referentiel import saisie
from referentiel.models import EPCI, Region
from territoires.selectors import regions_du_territoire, vue_territoire

from ..commun.formulaires import DATE, TEXTE, DsfrBaseForm


def _section(modele, champ: str, *, required: bool = False) -> forms.CharField:
    """A text of the canvas, titled as the documents title it (contrats.models CANEVAS)."""
    f = modele._meta.get_field(champ)
    return forms.CharField(
        label=capfirst(f.verbose_name),
        help_text=f.help_text,
        widget=forms.Textarea,
        required=required,
    )


def avec_version(form, version: str):
    """The edit form of a draft, with the version read (optimistic lock, contrats.projets)."""
    form.fields["version"] = forms.CharField(widget=forms.HiddenInput, max_length=64)
    form.initial["version"] = version
    return form


class ProtocoleForm(DsfrBaseForm):
    ambitions = _section(Protocole, "ambitions")
    plan_actions = _section(Protocole, "plan_actions")


class ContratForm(DsfrBaseForm):
    annee_debut = forms.IntegerField(
        label="Première année", initial=2019, min_value=2018, max_value=saisie.DATE_MAX.year
    )
    annee_fin = forms.IntegerField(
        label="Dernière année", initial=2022, min_value=2018, max_value=saisie.DATE_MAX.year
    )
    epcis = forms.ModelMultipleChoiceField(
        queryset=EPCI.objects.none(),
        label="Intercommunalités couvertes",
        help_text="On peut commencer par quelques-unes ; un avenant ajoutera les autres.",
        widget=forms.CheckboxSelectMultiple,
    )
    enjeux = _section(Contrat, "enjeux")
    ambitions = _section(Contrat, "ambitions")
    actions_engagees = _section(Contrat, "actions_engagees")
    engagement_parties = _section(Contrat, "engagement_parties")
    plan_actions = _section(Contrat, "plan_actions")
    pilotage = _section(Contrat, "pilotage")

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(territoire)
        sirens = [e.siren for e in vue.epcis] if vue else []
        self.fields["epcis"].queryset = EPCI.objects.filter(siren__in=sirens).order_by("nom")


class AvenantForm(DsfrBaseForm):
    objet = _section(Avenant, "objet", required=True)
    epcis = forms.ModelMultipleChoiceField(
        queryset=EPCI.objects.none(),
        label="Intercommunalités ajoutées au contrat",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contrat, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(contrat.territoire)
        couverts = services.epcis_couverts(contrat)
        sirens = [e.siren for e in vue.epcis if e.siren not in couverts] if vue else []
        self.fields["epcis"].queryset = EPCI.objects.filter(siren__in=sirens).order_by("nom")


class AnnexerForm(DsfrBaseForm):
    fiche = forms.ModelChoiceField(queryset=FicheAction.objects.none(), label="Fiche-action")
    resume = forms.CharField(
        label="Résumé pour le protocole (sans aucune mention financière)",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, fiches, protocole: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].queryset = fiches
        if not protocole:
            del self.fields["resume"]


class SignataireForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature", choices=NatureSignataire.choices)
    nom = forms.CharField(label="Nom du signataire", max_length=200)
    qualite = forms.CharField(
        label="Qualité", max_length=200, help_text="Ex. : Préfète de la Drôme"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label="Région (président de région)", required=False
    )
    epci = forms.ModelChoiceField(
        queryset=EPCI.objects.none(), label="Intercommunalité (président d'EPCI)", required=False
    )
    motif_ministre = forms.CharField(
        label="Motif, si un ministre signe pour l'État",
        help_text="L'État signe par le préfet ; un ministre ne signe qu'exceptionnellement, à "
        "l'occasion d'un déplacement ou d'un événement (FAQ §4.3) : dites lequel.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(territoire)
        self.fields["region"].queryset = Region.objects.filter(
            code__in=regions_du_territoire(territoire)
        )
        self.fields["epci"].queryset = EPCI.objects.filter(
            siren__in=[e.siren for e in vue.epcis] if vue else []
        ).order_by("nom")


class SignatureForm(DsfrBaseForm):
    signe_le = forms.DateField(label="Signé le", widget=DATE)


class ValidationForm(DsfrBaseForm):
    date = forms.DateField(label="Date de la validation", widget=DATE)
    reunion = forms.TypedChoiceField(
        label="Comment le contrat est-il validé ?",
        choices=[
            ("1", "En réunion du comité de pilotage régional"),
            ("0", "Sans réunion : accord de la Région et des parties concernées (FAQ §4.2)"),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    texte = forms.CharField(label="Précisions", widget=forms.Textarea, required=False)
    lien = forms.ModelChoiceField(
        label="Décision déjà prise par le COPIL régional",
        help_text="Choisir la décision enregistrée en réunion (ou hors réunion) : la date et la "
        "manière en sont reprises, les champs ci-dessus sont alors ignorés.",
        queryset=None,
        required=False,
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lien"].queryset = cycle.decisions_a_rattacher(document.le_territoire)
        self.fields["lien"].label_from_instance = lambda lien: (
            f"{lien.decision.date:%d/%m/%Y} — {lien.decision.intitule}"
        )
        # Without a meeting, each party's agreement: who gave it, when (FAQ §4.2).
        self.signataires = list(document.signataires.select_related("region"))
        regions = {s.region_id: s.region.nom for s in self.signataires if s.region_id}
        for s in self.signataires:
            qui = accords.partie(s, regions)
            self.fields[f"accord_par_{s.pk}"] = forms.CharField(
                label=f"Sans réunion — accord de {qui} : donné par",
                help_text="Nom et qualité de la personne qui a donné l'accord.",
                max_length=200,
                required=False,
                validators=TEXTE,
            )
            self.fields[f"accord_le_{s.pk}"] = forms.DateField(
                label=f"Accord de {qui} : donné le", widget=DATE, required=False
            )

    def accords(self) -> list[dict]:
        """The agreements typed, for contrats.cycle, which checks that none is missing."""
        return [
            {
                "signataire": s,
                "donne_par": self.cleaned_data.get(f"accord_par_{s.pk}") or "",
                "donne_le": self.cleaned_data.get(f"accord_le_{s.pk}"),
            }
            for s in self.signataires
            if self.cleaned_data.get(f"accord_par_{s.pk}")
            or self.cleaned_data.get(f"accord_le_{s.pk}")
        ]
