from django import forms

from contrats.enums import EtatDocument
from contrats.suivi import COLONNES, PHASES, SANS_DOCUMENT, TOUTES_LES_PHASES
from referentiel.models import Region

from ..commun.formulaires import DsfrBaseForm

CHOIX_PHASES = [*[(str(p), f"Phase {p}") for p in PHASES], (TOUTES_LES_PHASES, "Toutes les phases")]


class FiltresDeploiementForm(DsfrBaseForm):
    """The filters and order of the tracking table; an invalid field is dropped alone."""

    phase = forms.ChoiceField(label="Phase", choices=CHOIX_PHASES, required=False)
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("nom"),
        required=False,
        empty_label="Toutes les régions",
        label="Région",
        to_field_name="code",
    )
    contrat = forms.ChoiceField(
        label="Contrat",
        required=False,
        choices=[("", "Tous les états"), *EtatDocument.choices, (SANS_DOCUMENT, "Aucun contrat")],
    )
    sans_chef_projet = forms.BooleanField(label="Chef de projet dédié à désigner", required=False)
    en_retard = forms.BooleanField(label="En retard sur une étape", required=False)
    pilote = forms.BooleanField(label="Territoires pilotes", required=False)
    tri = forms.ChoiceField(
        required=False, choices=[(c.cle, c.titre) for c in COLONNES], widget=forms.HiddenInput
    )
    ordre = forms.ChoiceField(
        required=False,
        choices=[("asc", "croissant"), ("desc", "décroissant")],
        widget=forms.HiddenInput,
    )
