from django import forms

from notifications.enums import Frequence, Nature

from ..commun.formulaires import DsfrBaseForm


class PreferencesForm(DsfrBaseForm):
    """One choice per kind of notification: immédiat, récapitulatif quotidien, aucun."""

    def __init__(self, *args, actuelles: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for nature in Nature:
            self.fields[nature.value] = forms.ChoiceField(
                label=nature.label,
                choices=Frequence.choices,
                initial=actuelles[nature.value],
                widget=forms.RadioSelect,
            )
