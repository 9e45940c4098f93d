"""Forms of the fiches-actions pages, besides the creation steps (forms_etapes): filters,
moves of the validation path, funders' decisions, comments, execution follow-up,
attachments. Forms only check the input; the rules live in fiches.services, fiches.cycle and
fiches.controles."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from comptes.enums import TypeOrganisation
from comptes.permissions import organisations_visibles
from comptes.pieces import TAILLE_MAX_LIBELLE, erreur_fichier
from fiches.cycle import PAIEMENT_AILLEURS
from fiches.enums import STATUTS_CHOISIS, Avis, Etat, PhaseExecution, StatutLigne
from fiches.selectors import choix_des_financeurs, financeurs_des_lignes
from mesures.enums import CHOIX_AXES_AVEC_PHASE
from mesures.models import Mesure
from referentiel import saisie
from referentiel.models import Region

from ..commun.formulaires import (
    DATE,
    DATE_PLAUSIBLE,
    TEXTE,
    DsfrBaseForm,
    choix,
    trouver_territoire,
)


class FiltresFichesForm(DsfrBaseForm):
    q = forms.CharField(
        required=False,
        label="Rechercher",
        help_text="Référence, titre, contexte, problème ou description (sauf secrète) ; "
        "chaque mot par son début",
    )
    territoire = forms.CharField(
        required=False,
        label="Territoire",
        help_text="Code, par exemple ti-8401 (phase 2) ou 8401 (phase 1)",
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        empty_label="Toutes les régions",
        label="Région",
        to_field_name="code",
    )
    axe = forms.ChoiceField(
        required=False,
        label="Axe ou priorité",
        choices=choix("Tous", CHOIX_AXES_AVEC_PHASE),
        help_text="Axes en phase 1, priorités en phase 2",
    )
    etat = forms.ChoiceField(required=False, label="État", choices=choix("Tous", Etat.choices))
    type_porteur = forms.ChoiceField(
        required=False, label="Type de porteur", choices=choix("Tous", TypeOrganisation.choices)
    )
    financeur = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Tous", label="Financeur"
    )
    mesure = forms.ModelChoiceField(
        queryset=Mesure.objects.order_by("nom"),
        required=False,
        empty_label="Toutes",
        label="Mesure du panier",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The menu as (id, name) pairs, hundreds for a national reader; a choice sent is
        # checked against the same organisations in the database.
        financeur = self.fields["financeur"]
        financeur.queryset = financeurs_des_lignes(user)
        financeur.choices = [("", financeur.empty_label), *choix_des_financeurs(user)]

    def clean_territoire(self):
        valeur = self.cleaned_data["territoire"].strip()
        if not valeur:
            return None
        t = trouver_territoire(valeur)
        if t is None:
            raise forms.ValidationError(f"Aucun territoire n'a le code « {valeur} ».")
        return t


# --- Validation path ---------------------------------------------------------------------


class MouvementForm(DsfrBaseForm):
    date_effet = forms.DateField(
        label="Date de la décision",
        widget=DATE,
        help_text="Le jour où la décision a été prise (par exemple la date du comité).",
        validators=DATE_PLAUSIBLE,
    )
    avis = forms.ChoiceField(label="Avis", choices=Avis.choices, widget=forms.RadioSelect)
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire quand la fiche est à retravailler : dites au porteur quoi "
        "reprendre.",
        validators=TEXTE,
    )
    decision_texte = forms.CharField(
        label="Résumé de la décision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que l'instance a décidé, tel qu'au relevé de décisions.",
        validators=TEXTE,
    )

    def __init__(self, *args, avec_avis: bool, avec_decision: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_effet"].initial = timezone.localdate()
        self.fields["date_effet"].error_messages["required"] = "Indiquez la date de la décision."
        if not avec_avis:
            del self.fields["avis"]
            self.fields["motif"].help_text = "Facultatif : ce qui motive ce mouvement."
        else:
            self.fields["avis"].error_messages["required"] = "Précisez l'avis."
        if not avec_decision:
            del self.fields["decision_texte"]
        else:
            self.fields["decision_texte"].error_messages["required"] = (
                "Résumez la décision sur laquelle repose ce mouvement."
            )


class DecisionLigneForm(DsfrBaseForm):
    ligne = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=saisie.ENTIER_MAX)
    statut = forms.ChoiceField(
        label="Décision",
        choices=[(s, s.label) for s in (StatutLigne.ACCORDE, StatutLigne.REFUSE)],
        # No decision is preselected: a funder chooses, nothing is granted by default.
        error_messages={
            "required": "Choisissez la décision : accordé ou refusé.",
            "invalid_choice": f"Une décision est « accordé » ou « refusé ». {PAIEMENT_AILLEURS}",
        },
    )
    date_effet = forms.DateField(label="Date", widget=DATE, validators=DATE_PLAUSIBLE)
    motif = forms.CharField(
        label="Précision (facultatif)", required=False, max_length=500, validators=TEXTE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_effet"].initial = timezone.localdate()
        self.fields["date_effet"].error_messages["required"] = "Indiquez la date de la décision."


class CommentaireForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Votre commentaire",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Le commentaire est vide."},
        validators=TEXTE,
    )


# --- Execution follow-up, indicators, attachments -------------------------------------------

# « En retard » is not offered: it derives from the schedule (fiches.enums.STATUTS_CHOISIS).


class SuiviForm(DsfrBaseForm):
    phase = forms.ChoiceField(
        label="Phase",
        choices=choix("Inchangée", PhaseExecution.choices),
        required=False,
    )
    statut = forms.ChoiceField(
        label="Statut",
        choices=choix("Inchangé", [(s, s.label) for s in STATUTS_CHOISIS]),
        required=False,
        help_text="« En retard » ne se choisit pas : il se déduit du calendrier, quand la fin "
        "prévue est passée et que l'action n'est pas terminée.",
    )
    date = forms.DateField(
        label="Date de la note",
        widget=DATE,
        required=False,
        help_text="Le jour où le point a été fait ; aujourd'hui si vide.",
        error_messages={"invalid": "Saisissez une date valide, par exemple 15/03/2024."},
        validators=DATE_PLAUSIBLE,
    )
    texte = forms.CharField(
        label="Note de suivi",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Facultatif : ce qui a avancé, ce qui bloque.",
        validators=TEXTE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].error_messages["invalid_choice"] = "Choisissez une phase de la liste."
        self.fields["statut"].error_messages["invalid_choice"] = (
            "Choisissez un statut de la liste ; « En retard » se déduit du calendrier."
        )
        self.fields["texte"].error_messages["max_length"] = (
            "La note ne doit pas dépasser 5000 caractères."
        )

    def clean_texte(self):
        return self.cleaned_data.get("texte", "").strip()

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("phase") or data.get("statut") or data.get("texte")):
            raise forms.ValidationError(
                "Rien à enregistrer : choisissez une phase ou un statut, ou rédigez une note."
            )
        if data.get("date") and not data.get("texte"):
            self.add_error("texte", "Une note datée a besoin d'un texte.")
        return data


class MesureIndicateurForm(DsfrBaseForm):
    date = forms.DateField(
        label="Date de la mesure",
        widget=DATE,
        error_messages={
            "required": "Indiquez la date de la mesure.",
            "invalid": "Saisissez une date valide, par exemple 15/03/2024.",
        },
        validators=DATE_PLAUSIBLE,
    )
    valeur = forms.DecimalField(
        label="Valeur mesurée",
        max_digits=14,
        decimal_places=2,
        localize=True,  # a decimal comma, the French way, as well as a point
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Indiquez la valeur mesurée.",
            "invalid": "Saisissez un nombre, par exemple 12 ou 12,5.",
            "max_digits": "Valeur trop grande.",
            "max_decimal_places": "Au plus deux décimales.",
            "max_whole_digits": "Valeur trop grande.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class PieceJointeForm(DsfrBaseForm):
    titre = forms.CharField(
        label="Titre de la pièce jointe",
        max_length=200,
        error_messages={
            "required": "Donnez un titre à la pièce jointe.",
            "max_length": "Le titre ne doit pas dépasser 200 caractères.",
        },
        validators=TEXTE,
    )
    fichier = forms.FileField(
        label="Fichier",
        help_text=f"Taille maximale : {TAILLE_MAX_LIBELLE}.",
        widget=forms.FileInput(attrs={"class": "fr-upload"}),
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier n'a été transmis : vérifiez le formulaire.",
            "missing": "Aucun fichier n'a été transmis.",
        },
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if erreur := erreur_fichier(fichier):
            raise forms.ValidationError(erreur)
        return fichier


class VersionForm(DsfrBaseForm):
    """The hidden version of the optimistic lock of the edit form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=saisie.ENTIER_MAX)


def porteurs_possibles(user):
    return organisations_visibles(user).order_by("nom")


def financeurs_possibles(user):
    return organisations_visibles(user).exclude(type=TypeOrganisation.ENTREPRISE).order_by("nom")
