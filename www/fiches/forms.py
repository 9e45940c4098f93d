"""Forms of the fiches-actions pages: filters, the steps of the creation form, the edit form,
the moves of the validation path and the funders' decisions. Forms only check the input;
the rules live in fiches.services, fiches.cycle and fiches.controles."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from comptes.enums import TypeOrganisation
from comptes.permissions import organisations_visibles
from comptes.pieces import TAILLE_MAX_LIBELLE, erreur_fichier
from fiches.enums import (
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
from fiches.models import Filiere, LigneFinancement
from mesures.enums import CHOIX_AXES, CHOIX_AXES_AVEC_PHASE, Axe, classement, erreur_axe
from mesures.models import Mesure
from referentiel import saisie
from referentiel.models import EPCI, Region
from territoires import selectors
from territoires.models import Territoire
from territoires.selectors import communes_du_territoire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The rules of every channel (referentiel.saisie), on the fields that take them.
TEXTE = [saisie.valider_texte]
DATE_PLAUSIBLE = [saisie.valider_date]
MONTANT = {"min_value": 0, "max_digits": 14, "decimal_places": 2}
MONTANT_ERREURS = {
    "min_value": saisie.MONTANT_NEGATIF,
    "max_digits": "Montant trop grand.",
    "max_decimal_places": "Au plus deux décimales (les centimes).",
    "invalid": "Saisissez un montant en euros, par exemple 125000 ou 125000,50.",
}


class ChoixMultiples(forms.ModelMultipleChoiceField):
    """Several objects by their integer key. A key beyond what the database holds is not one
    of the choices, like any unknown one: refused with the same message, before the query
    (SQLite cannot even compare it)."""

    def _check_values(self, value):
        for v in value or ():
            try:
                n = int(str(v).strip())
            except ValueError:
                continue  # not an integer: the field's own message
            if not -saisie.ENTIER_MAX - 1 <= n <= saisie.ENTIER_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )
        return super()._check_values(value)


def _choix(vide: str, choices) -> list[tuple[str, str]]:
    return [("", vide), *[(v, label) for v, label in choices if v != ""]]


def trouver_territoire(valeur: str) -> Territoire | None:
    """« ti-8401 » or « 8401 » (preferably in the current phase), or « 2-ti-8401 » and
    « 1-8401 » (phase and code)."""
    valeur = valeur.strip()
    phase, sep, code = valeur.partition("-")
    if sep and phase.isdigit():
        numero = saisie.entier(phase)
        return selectors.trouver_territoire(code, numero) if numero is not None else None
    return selectors.trouver_territoire(valeur) if valeur else None


class FiltresFichesForm(DsfrBaseForm):
    q = forms.CharField(
        required=False, label="Rechercher", help_text="Titre, contexte ou problème énoncé"
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
        choices=_choix("Tous", CHOIX_AXES_AVEC_PHASE),
        help_text="Axes en phase 1, priorités en phase 2",
    )
    etat = forms.ChoiceField(required=False, label="État", choices=_choix("Tous", Etat.choices))
    type_porteur = forms.ChoiceField(
        required=False, label="Type de porteur", choices=_choix("Tous", TypeOrganisation.choices)
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
        # Only the organisations that fund a line somewhere, among those the person may see.
        self.fields["financeur"].queryset = organisations_visibles(user).filter(
            pk__in=LigneFinancement.objects.values("financeur_id")
        )

    def clean_territoire(self):
        valeur = self.cleaned_data["territoire"].strip()
        if not valeur:
            return None
        t = trouver_territoire(valeur)
        if t is None:
            raise forms.ValidationError(f"Aucun territoire n'a le code « {valeur} ».")
        return t


# --- The steps of the creation form (also reused, together, by the edit form) -------------


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
        help_text="Plusieurs choix possibles (touche Ctrl ou Cmd).",
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
        help_text="Plusieurs choix possibles (touche Ctrl ou Cmd).",
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
        help_text="Plusieurs choix possibles (touche Ctrl ou Cmd).",
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
        self.fields["communes"].widget.attrs["size"] = 8
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
        label="Section", choices=_choix("Choisissez la section", Section.choices)
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
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Retirer cette ligne"


class BaseLignesFormSet(BaseRangeesFormSet):
    def __init__(self, *args, financeurs, **kwargs):
        self.financeurs = financeurs
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "financeurs": self.financeurs}

    def lignes(self) -> list[dict]:
        return [f.ligne() for f in retenus(self)]


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
    formset=BaseRangeesFormSet,
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
        choices=[(s, s.label) for s in (StatutLigne.ACCORDE, StatutLigne.REFUSE, StatutLigne.PAYE)],
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

# « En retard » is not chosen: it derives from the schedule (FicheAction.statut_execution_derive).
STATUTS_CHOISIS = [(s, s.label) for s in StatutExecution if s != StatutExecution.EN_RETARD]


class SuiviForm(DsfrBaseForm):
    phase = forms.ChoiceField(
        label="Phase",
        choices=_choix("Inchangée", PhaseExecution.choices),
        required=False,
    )
    statut = forms.ChoiceField(
        label="Statut",
        choices=_choix("Inchangé", STATUTS_CHOISIS),
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
