from django import forms
from django.contrib import admin

from .enums import CHOIX_AXES_AVEC_PHASE, PORTEURS_AU_PLURIEL
from .models import Mesure


class MesureAdminForm(forms.ModelForm):
    # The two lists as boxes to tick; Mesure.clean() still checks them on save.
    axes = forms.MultipleChoiceField(
        choices=CHOIX_AXES_AVEC_PHASE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les axes de la phase 1 ou les priorités de la phase 2. Aucun : la mesure "
        "sert toutes les fiches.",
    )
    types_porteurs = forms.MultipleChoiceField(
        label="Types de porteurs éligibles",
        choices=[(t, t.label) for t in PORTEURS_AU_PLURIEL],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun : tous les types de porteurs sont éligibles.",
    )

    class Meta:
        model = Mesure
        fields = [
            "nom",
            "description",
            "operateur",
            "axes",
            "nature",
            "taux_max",
            "plafond",
            "types_porteurs",
            "accord_gouvernance",
            "exclut_entreprises_en_difficulte",
            "date_debut",
            "date_fin",
            "source",
            "region",
            "reference",
            "demo",
        ]


@admin.register(Mesure)
class MesureAdmin(admin.ModelAdmin):
    form = MesureAdminForm
    list_display = ["nom", "source", "region", "operateur", "nature", "taux_max", "reference"]
    list_filter = ["source", "nature", "region", "demo"]
    list_select_related = ["operateur", "region"]
    search_fields = ["nom", "description", "operateur__nom"]
    autocomplete_fields = ["operateur"]
