"""Forms of the account pages: sign-in, a firm's profile."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

from comptes import services
from comptes.models import ProfilEntreprise
from referentiel import saisie

from ..commun.formulaires import DsfrBaseForm


class ConnexionForm(AuthenticationForm, DsfrBaseForm):
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        self.fields["password"].label = "Mot de passe"
        # The parent form sets the length on the input only: checked here, before the
        # sign-in lookup and the count of failures (the API does the same).
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length)
        )


class DeclarationSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Non déclarée"), ("true", "Oui"), ("false", "Non")]


class ProfilForm(forms.ModelForm, DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=saisie.ENTIER_MAX)
    champs_secrets = forms.MultipleChoiceField(
        label="Champs couverts par le secret industriel",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (c, ProfilEntreprise._meta.get_field(c).verbose_name.capitalize())
            for c in ProfilEntreprise.SECRETABLE
        ],
    )

    class Meta:
        model = ProfilEntreprise
        fields = [*services.CHAMPS_PROFIL, *services.CHAMPS_DECLARATION, "champs_secrets"]
        widgets = {"en_difficulte": DeclarationSelect}


class DemandeMotDePasseForm(PasswordResetForm, DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Celle de votre compte. Format attendu : nom@domaine.fr",
        error_messages={
            "required": "Indiquez l'adresse électronique de votre compte.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@domaine.fr.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NouveauMotDePasseForm(SetPasswordForm, DsfrBaseForm):
    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        strip=False,
        help_text="Au moins 12 caractères, ni trop courant, ni proche de votre nom ou adresse.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
