"""Forms of a line's money. They check the input only; the rules are financements.cycle's."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from comptes.pieces import erreur_contenu
from financements.models import Ajustement
from financements.tableur import TAILLE_MAX, TAILLE_MAX_LIBELLE
from referentiel import saisie

from ..commun.formulaires import DsfrBaseForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTE = [saisie.valider_texte]


def _montant(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        localize=True,  # « 12 500,50 » as people type it
        min_value=0,
        help_text="En euros, centimes après la virgule.",
        error_messages={"required": "Indiquez le montant."},
    )


class _Date(DsfrBaseForm):
    date = forms.DateField(
        label="Date",
        widget=DATE,
        validators=[saisie.valider_date],
        error_messages={"required": "Indiquez la date."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class EngagementForm(_Date):
    montant = _montant("Montant engagé")
    convention = forms.CharField(
        label="Convention",
        max_length=200,
        validators=TEXTE,
        help_text="La convention ou l'acte qui engage le financeur.",
        error_messages={"required": "Nommez la convention."},
    )
    reference = forms.CharField(
        label="Référence de l'engagement juridique (facultatif)",
        required=False,
        max_length=40,
        validators=TEXTE,
        help_text="Par exemple le numéro d'engagement juridique dans Chorus.",
    )
    field_order = ["montant", "date", "convention", "reference"]


class PaiementForm(_Date):
    montant = _montant("Montant payé")
    reference = forms.CharField(
        label="Référence du paiement (facultatif)", required=False, max_length=40, validators=TEXTE
    )
    field_order = ["montant", "date", "reference"]


class AjustementForm(_Date):
    nature = forms.ChoiceField(
        label="Nature",
        choices=Ajustement.Nature.choices,
        widget=forms.RadioSelect,
        initial=Ajustement.Nature.REDUCTION,
        help_text="Une annulation retire tout ce qui n'est pas payé.",
    )
    montant = _montant("Montant retiré (pour une réduction)", required=False)
    motif = forms.CharField(
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=TEXTE,
        error_messages={"required": "Donnez le motif."},
    )
    field_order = ["nature", "montant", "date", "motif"]

    def clean(self):
        d = super().clean()
        if d.get("nature") == Ajustement.Nature.REDUCTION and d.get("montant") is None:
            self.add_error("montant", "Indiquez le montant de la réduction.")
        return d


class ImportForm(DsfrBaseForm):
    fichier = forms.FileField(
        label="Fichier des paiements (XLSX)",
        help_text=f"Au plus {TAILLE_MAX_LIBELLE}.",
        error_messages={"required": "Choisissez un fichier."},
    )

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if not f.size:
            raise forms.ValidationError("Le fichier est vide.")
        if f.size > TAILLE_MAX:
            raise forms.ValidationError(f"Le fichier dépasse {TAILLE_MAX_LIBELLE}.")
        if erreur := erreur_contenu(f, admises=("xlsx",)):
            raise forms.ValidationError(erreur)
        return f
