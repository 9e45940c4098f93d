from django import forms

from referentiel.models import Region

from ..commun.formulaires import TEXTE, DsfrBaseForm


class ActualiteForm(DsfrBaseForm):
    titre = forms.CharField(label="Titre", max_length=200, validators=TEXTE)
    chapo = forms.CharField(
        label="En bref",
        max_length=400,
        help_text="Une ou deux phrases : ce qu'on lit dans la liste et dans le flux Atom.",
        validators=TEXTE,
    )
    corps = forms.CharField(
        label="Texte", widget=forms.Textarea(attrs={"rows": 10}), validators=TEXTE
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class NouvelleActualiteForm(ActualiteForm):
    niveau = forms.ChoiceField(label="Publiée par")

    def __init__(self, *args, national: bool, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        noms = dict(Region.objects.filter(code__in=regions).values_list("code", "nom"))
        choix = [("", "La délégation nationale")] if national else []
        choix += [(code, f"La Région {noms.get(code, code)}") for code in regions]
        self.fields["niveau"].choices = choix
        self.fields["niveau"].required = not national
        self.order_fields(["niveau", "titre", "chapo", "corps"])
