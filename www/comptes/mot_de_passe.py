"""Password reset by e-mail, for accounts that sign in with a password (an account opened
through ProConnect has none: Django's reset form sends nothing to it). The answer to a request
never says whether the address has an account."""

from django.contrib.auth import views as auth
from django.urls import reverse_lazy

from .forms import DemandeMotDePasseForm, NouveauMotDePasseForm


class Oublie(auth.PasswordResetView):
    template_name = "comptes/mot_de_passe_oublie.html"
    email_template_name = "comptes/mot_de_passe_courriel.txt"
    subject_template_name = "comptes/mot_de_passe_sujet.txt"
    form_class = DemandeMotDePasseForm
    success_url = reverse_lazy("comptes:mot-de-passe-envoye")


class Envoye(auth.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe_envoye.html"


class Nouveau(auth.PasswordResetConfirmView):
    template_name = "comptes/mot_de_passe_nouveau.html"
    form_class = NouveauMotDePasseForm
    success_url = reverse_lazy("comptes:mot-de-passe-change")


class Change(auth.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe_change.html"
