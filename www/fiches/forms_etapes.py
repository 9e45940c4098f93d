"""The steps of the creation form of a fiche-action, also reused together by the edit form:
the action, its content, its perimeter and schedule, its financing plan (rows of lines and
indicators added without any script). Forms only check the input; the rules live in
fiches.services and fiches.models."""

from __future__ import annotations

import re

from django import forms

from fiches.enums import (
    ContratValorise,
    Maturite,
    NatureSimplification,
    Orientation,
    PorteeGeo,
    Section,
)
from fiches.models import Filiere
from mesures.enums import CHOIX_AXES, Axe, classement, erreur_axe
from mesures.models import Mesure
from referentiel import saisie
from referentiel.models import EPCI
from territoires.models import Territoire
from territoires.selectors import communes_du_territoire

from ..commun.formulaires import (
    CHOIX_CHERCHABLES_AIDE,
    DATE,
    DATE_PLAUSIBLE,
    MONTANT,
    MONTANT_ERREURS,
    TEXTE,
    ChoixMultiples,
    DsfrBaseForm,
    choix,
    choix_cherchables,
)

AIDE_AXE = {
    1: "Une fiche « simplifier » énonce un problème ; elle n'a pas de plan de financement "
    "obligatoire.",
    2: "Les quatre priorités nationales de la phase 2 (2023-2027).",
}


class EtapeActionForm(DsfrBaseForm):
    titre = forms.CharField(
        label="Titre de l'action",
        max_length=300,
        validators=TEXTE,
        error_messages={"required": saisie.VIDE},
    )
    # Every value passes the field: the phase's rule (mesures.enums.erreur_axe) refuses the
    # others in clean_axe, with the message the API and the spreadsheet import give.
    axe = forms.ChoiceField(label="Axe du programme", choices=CHOIX_AXES, widget=forms.RadioSelect)
    demande_simplification = forms.BooleanField(
        label="Cette fiche porte une demande de simplification",
        required=False,
        help_text="Un problème réglementaire ou administratif à lever, quelle que soit la "
        "priorité : il peut être orienté vers un certificat de projet, un rescrit, France "
        "expérimentation ou le droit de dérogation du préfet.",
    )
    porteur = forms.ModelChoiceField(
        queryset=None, label="Porteur", empty_label="Choisissez le porteur"
    )
    partenaires = ChoixMultiples(
        queryset=None,
        required=False,
        label="Partenaires",
        help_text=CHOIX_CHERCHABLES_AIDE,
        widget=choix_cherchables(),
    )
    collective = forms.TypedChoiceField(
        label="Nature de l'action",
        choices=[("1", "Action collective"), ("0", "Au bénéfice d'un porteur")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    maturite = forms.ChoiceField(
        label="Maturité", choices=Maturite.choices, widget=forms.RadioSelect, initial="idee"
    )

    def __init__(self, *args, porteurs, partenaires, phase: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = phase
        liste = classement(phase)
        axe = self.fields["axe"]
        axe.widget.choices = liste.choices  # offered: the phase's own list only
        axe.label = "Axe du programme" if liste is Axe else "Priorité nationale"
        axe.help_text = AIDE_AXE.get(phase, "")
        # DsfrBaseForm has already made the bound field: it takes them too.
        self["axe"].label, self["axe"].help_text = axe.label, axe.help_text
        if Axe.SIMPLIFIER in liste.values:
            del self.fields["demande_simplification"]  # the « simplifier » axis says it
        self.fields["porteur"].queryset = porteurs
        self.fields["partenaires"].queryset = partenaires
        self.fields["partenaires"].widget.attrs["size"] = 6

    def clean_axe(self):
        axe = self.cleaned_data["axe"]
        if message := erreur_axe(axe, self.phase):
            raise forms.ValidationError(message)
        return axe


class EtapeContenuForm(DsfrBaseForm):
    contexte = forms.CharField(
        label="Contexte et objectifs",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        validators=TEXTE,
    )
    description = forms.CharField(
        label="Description de l'action",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        validators=TEXTE,
    )
    mesures = ChoixMultiples(
        queryset=Mesure.objects.order_by("nom"),
        required=False,
        label="Mesures du panier de services mobilisées",
        help_text=CHOIX_CHERCHABLES_AIDE,
        widget=choix_cherchables(),
    )
    probleme = forms.CharField(
        label="Problème rencontré",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Une fiche « simplifier » énonce le problème rencontré."},
        validators=TEXTE,
    )
    nature_simplification = forms.ChoiceField(
        label="Proposition",
        choices=NatureSimplification.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Une fiche « simplifier » n'a pas à proposer de solution.",
    )
    orientation = forms.ChoiceField(
        label="Orientation de la demande", choices=Orientation.choices, required=False
    )

    def __init__(self, *args, simplification: bool, phase: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mesures"].widget.attrs["size"] = 6
        if not simplification:
            for nom in ("probleme", "nature_simplification", "orientation"):
                del self.fields[nom]
        elif Axe.SIMPLIFIER not in classement(phase).values:
            # Phase 2: a request carried by a fiche of any priority.
            self.fields["probleme"].error_messages["required"] = (
                "Une demande de simplification énonce le problème rencontré."
            )
            self.fields[
                "nature_simplification"
            ].help_text = "Une demande de simplification n'a pas à proposer de solution."


class EtapePerimetreForm(DsfrBaseForm):
    portee = forms.ChoiceField(
        label="Périmètre de l'action",
        choices=PorteeGeo.choices,
        widget=forms.RadioSelect,
        initial=PorteeGeo.TERRITOIRE,
    )
    epcis = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Intercommunalités concernées",
        widget=forms.CheckboxSelectMultiple,
    )
    communes = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Communes concernées",
        help_text=CHOIX_CHERCHABLES_AIDE,
        widget=choix_cherchables(),
    )
    filiere = forms.ModelChoiceField(
        queryset=Filiere.objects.all(), required=False, label="Filière", empty_label="Aucune"
    )
    date_debut = forms.DateField(
        label="Début prévu", required=False, widget=DATE, validators=DATE_PLAUSIBLE
    )
    date_fin = forms.DateField(
        label="Fin prévue", required=False, widget=DATE, validators=DATE_PLAUSIBLE
    )
    contrat_valorise = forms.ChoiceField(
        label="Valorisée dans un autre contrat",
        choices=ContratValorise.choices,
        required=False,
    )

    def __init__(self, *args, territoire: Territoire, **kwargs):
        super().__init__(*args, **kwargs)
        communes = communes_du_territoire(territoire)
        self.fields["communes"].queryset = communes
        self.fields["epcis"].queryset = EPCI.objects.filter(
            pk__in=communes.order_by().values("epci_id")
        ).order_by("nom")

    def clean(self):
        data = super().clean()
        debut, fin = data.get("date_debut"), data.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin prévue précède le début.")
        if data.get("portee") == PorteeGeo.EPCI and not data.get("epcis"):
            self.add_error("epcis", "Cochez au moins une intercommunalité.")
        if data.get("portee") == PorteeGeo.COMMUNES and not data.get("communes"):
            self.add_error("communes", "Choisissez au moins une commune.")
        return data


class EtapeFinancementForm(DsfrBaseForm):
    cout_total = forms.DecimalField(
        label="Coût total de l'action (€)",
        required=False,
        error_messages=MONTANT_ERREURS,
        **MONTANT,
    )


class LigneForm(DsfrBaseForm):
    financeur = forms.ModelChoiceField(
        queryset=None, label="Financeur", empty_label="Choisissez le financeur"
    )
    mesure = forms.ModelChoiceField(
        queryset=Mesure.objects.order_by("nom"),
        required=False,
        label="Mesure du panier",
        empty_label="Hors panier de services",
    )
    section = forms.ChoiceField(
        label="Section", choices=choix("Choisissez la section", Section.choices)
    )
    montant = forms.DecimalField(label="Montant (€)", error_messages=MONTANT_ERREURS, **MONTANT)
    de_minimis = forms.BooleanField(label="Aide de minimis", required=False)
    confidentiel = forms.BooleanField(
        label="Montant couvert par le secret industriel", required=False
    )

    def __init__(self, *args, financeurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financeur"].queryset = financeurs
        self.fields["financeur"].error_messages["required"] = "Choisissez le financeur."
        self.fields["montant"].error_messages["required"] = "Indiquez le montant."
        self.fields["section"].error_messages["required"] = (
            "Précisez la section : fonctionnement ou investissement."
        )

    def ligne(self) -> dict:
        d = self.cleaned_data
        return {
            "financeur": d["financeur"],
            "mesure": d.get("mesure"),
            "section": d["section"],
            "montant": d["montant"],
            "de_minimis": d.get("de_minimis", False),
            "champs_secrets": ["montant"] if d.get("confidentiel") else [],
        }


class IndicateurForm(DsfrBaseForm):
    libelle = forms.CharField(label="Indicateur", max_length=200, validators=TEXTE)
    unite = forms.CharField(label="Unité", max_length=50, validators=TEXTE)
    cible = forms.DecimalField(
        label="Cible",
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=False,
        validators=[saisie.valider_positif],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["libelle"].error_messages["required"] = "Nommez l'indicateur."
        self.fields["unite"].error_messages["required"] = "Précisez l'unité."


class BaseRangeesFormSet(forms.BaseFormSet):
    libelle = "Ligne"  # names a row in the error summary (www.commun.formulaires.sommaire)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Retirer cette ligne"


class BaseLignesFormSet(BaseRangeesFormSet):
    libelle = "Ligne de financement"

    def __init__(self, *args, financeurs, **kwargs):
        self.financeurs = financeurs
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "financeurs": self.financeurs}

    def lignes(self) -> list[dict]:
        return [f.ligne() for f in retenus(self)]


class BaseIndicateursFormSet(BaseRangeesFormSet):
    libelle = "Indicateur"


def retenus(formset) -> list[forms.Form]:
    """The rows kept: those shown from the record, and the new rows filled in; not the rows
    marked for deletion nor the empty ones."""
    return [
        f
        for i, f in enumerate(formset.forms)
        if (i < formset.initial_form_count() or f.has_changed())
        and not formset._should_delete_form(f)
    ]


def indicateurs(formset) -> list[dict]:
    return [{k: f.cleaned_data[k] for k in ("libelle", "unite", "cible")} for f in retenus(formset)]


# The rows a formset takes at most, by prefix.
RANGEES_MAX = {"lignes": 50, "indicateurs": 30}

# One empty row to start with; more rows are added by a button, without any script.
LignesFormSet = forms.formset_factory(
    LigneForm, formset=BaseLignesFormSet, extra=1, can_delete=True, max_num=RANGEES_MAX["lignes"]
)
IndicateursFormSet = forms.formset_factory(
    IndicateurForm,
    formset=BaseIndicateursFormSet,
    extra=1,
    can_delete=True,
    max_num=RANGEES_MAX["indicateurs"],
)

COMPTEURS_ILLISIBLES = (
    "Le nombre de lignes envoyé par la page était illisible : les lignes saisies sont "
    "reprises ci-dessous, vérifiez-les puis continuez. Rien n'a été enregistré."
)


def compteurs_corriges(donnees: dict[str, str]) -> dict[str, str]:
    """The row counts of the formsets as the page sent them (TOTAL_FORMS, INITIAL_FORMS),
    corrected where they are not counts a formset takes: recounted from the rows present, so
    that no row typed is lost. Empty when every count is readable."""
    out = {}
    for prefixe, maximum in RANGEES_MAX.items():
        cle_total, cle_initial = f"{prefixe}-TOTAL_FORMS", f"{prefixe}-INITIAL_FORMS"
        rangs = {int(m[1]) for cle in donnees if (m := re.match(rf"{prefixe}-(\d+)-", cle))} & set(
            range(maximum)
        )
        if cle_total not in donnees and cle_initial not in donnees and not rangs:
            continue  # no such formset on this page
        total = saisie.entier(donnees.get(cle_total, ""))
        initial = saisie.entier(donnees.get(cle_initial, ""))
        if total is not None and total <= maximum and initial is not None and initial <= total:
            continue
        if total is None or total > maximum:
            total = max(rangs, default=0) + 1
        out[cle_total] = str(total)
        out[cle_initial] = str(initial if initial is not None and initial <= total else 0)
    return out
