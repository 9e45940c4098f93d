from django import forms

from referentiel.models import Region
from territoires.models import Phase

from ..commun.formulaires import DATE, OUI_NON_TOUS, DsfrBaseForm


class FiltresCarteForm(DsfrBaseForm):
    # Empty: the phase in force at the chosen date (territoires.selectors.phase_courante).
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.all(),
        required=False,
        empty_label="En vigueur à la date",
        label="Phase",
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        empty_label="Toutes les régions",
        label="Région",
        to_field_name="code",
    )
    date = forms.DateField(
        required=False,
        label="Carte au",
        widget=DATE,
        help_text="La carte telle qu'elle était à cette date.",
    )


class FiltresTerritoiresForm(FiltresCarteForm):
    q = forms.CharField(
        required=False,
        label="Rechercher",
        help_text=(
            "Nom ou code du territoire, nom d'une intercommunalité, nom ou code INSEE d'une commune"
        ),
    )
    interregional = forms.NullBooleanField(
        required=False,
        label="Interrégional",
        widget=OUI_NON_TOUS,
    )
    pilote = forms.NullBooleanField(
        required=False,
        label="Pilote",
        widget=OUI_NON_TOUS,
    )
