"""Forms of the panier de services: the catalogue's filters and a measure's rules. Who may
keep which measures comes from mesures.permissions; the rules from mesures.models."""

from django import forms

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from mesures import permissions as droits
from mesures import selectors
from mesures.enums import CHOIX_AXES_AVEC_PHASE, PORTEURS_AU_PLURIEL, NatureMesure, SourceMesure
from mesures.models import AXES_CONNUS, Mesure
from referentiel.models import Region

from ..commun.formulaires import DATE, DsfrBaseForm


class FiltresMesuresForm(DsfrBaseForm):
    q = forms.CharField(
        required=False,
        label="Rechercher",
        help_text="Nom, description ou opérateur de la mesure",
    )
    axe = forms.ChoiceField(
        required=False,
        label="Axe ou priorité",
        choices=[("", "Tous les axes et priorités"), *CHOIX_AXES_AVEC_PHASE],
    )
    nature = forms.ChoiceField(
        required=False, label="Nature", choices=[("", "Toutes"), *NatureMesure.choices]
    )
    source = forms.ChoiceField(
        required=False, label="Source", choices=[("", "Toutes"), *SourceMesure.choices]
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        empty_label="Toutes les régions",
        label="Mobilisable en région",
        to_field_name="code",
    )
    # Only the organisations that operate a measure.
    operateur = forms.ModelChoiceField(
        queryset=selectors.operateurs(), required=False, empty_label="Tous", label="Opérateur"
    )
    valide = forms.BooleanField(required=False, label="Valables aujourd'hui")


class MesureForm(forms.ModelForm, DsfrBaseForm):
    # The version read (optimistic lock, mesures.services.version): on an edit only.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    axes = forms.MultipleChoiceField(
        label="Axes ou priorités",
        choices=CHOIX_AXES_AVEC_PHASE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les axes de la phase 1 ou les priorités de la phase 2, pas les deux. Rien "
        "de coché : la mesure sert toutes les fiches.",
        # The model's message: the same refusal whichever way the measure is written.
        error_messages={"invalid_choice": "Axe inconnu : « %(value)s ». " + AXES_CONNUS},
    )
    types_porteurs = forms.MultipleChoiceField(
        label="Types de porteurs éligibles",
        choices=[(t, t.label) for t in PORTEURS_AU_PLURIEL],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun type coché : tous les porteurs sont éligibles.",
        error_messages={"invalid_choice": "Type de porteur inconnu : « %(value)s »."},
    )

    class Meta:
        model = Mesure
        # Scope first (who the measure belongs to), then its rules.
        fields = [
            "nom",
            "description",
            "source",
            "region",
            "operateur",
            "nature",
            "axes",
            "taux_max",
            "plafond",
            "types_porteurs",
            "accord_gouvernance",
            "exclut_entreprises_en_difficulte",
            "date_debut",
            "date_fin",
            "reference",
        ]
        labels = {"nom": "Nom de la mesure", "reference": "Référence"}
        widgets = {
            "date_debut": DATE,
            "date_fin": DATE,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the scopes the person keeps (mesures.permissions).
        sources, regions = droits.sources_gerees(user), droits.regions_gerees(user)
        if regions:
            region = self.fields["region"]
            region.queryset = Region.objects.filter(code__in=regions)
            if SourceMesure.NATIONALE in sources:
                region.empty_label = "Aucune (engagement national)"
            else:
                region.required, region.empty_label = True, None
        else:
            del self.fields["region"]
        self.fields["source"].choices = [c for c in SourceMesure.choices if c[0] in sources]
        operateur = self.fields["operateur"]
        operateur.queryset = Organisation.objects.exclude(type=TypeOrganisation.ENTREPRISE)
        operateur.empty_label = "Aucun : mesure de l'État lui-même"
