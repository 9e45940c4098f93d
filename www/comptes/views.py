"""Pages of accounts, directory, organisations and firms. Reads go through
comptes.permissions (scoped querysets, 404 outside scope) and comptes.secrets (masking)."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from comptes import permissions, secrets, selectors, services
from comptes.enums import TypeOrganisation
from comptes.models import Personne, ProfilEntreprise
from referentiel import saisie
from territoires.models import Territoire


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


class Connexion(LoginView):
    template_name = "comptes/connexion.html"
    form_class = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The ProConnect button shows only where it is configured (docs/adr/0005).
        return super().get_context_data(**kwargs, proconnect=settings.PROCONNECT_ENABLED)


@require_POST
def deconnexion(request):
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect("carte:accueil")


@login_required
def compte(request):
    personne = Personne.objects.filter(compte=request.user).select_related("organisation").first()
    designations = (
        personne.designations.select_related("territoire", "region", "organisation")
        if personne
        else []
    )
    return render(
        request, "comptes/compte.html", {"personne": personne, "designations": designations}
    )


@login_required
@require_POST
def annuaire_consentement(request):
    personne = get_object_or_404(Personne, compte=request.user)
    visible = request.POST.get("annuaire") == "oui"
    services.regler_annuaire(personne=personne, visible=visible)
    messages.success(
        request,
        "Vous apparaissez désormais dans l'annuaire du réseau."
        if visible
        else "Vous n'apparaissez plus dans l'annuaire du réseau.",
    )
    return redirect("comptes:compte")


@login_required
def compte_export(request):
    data = services.exporter_donnees(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@login_required
@require_POST
def compte_effacer(request):
    if request.POST.get("confirmation") != "EFFACER":
        messages.error(request, "Pour effacer vos données, saisissez EFFACER en majuscules.")
        return redirect("comptes:compte")
    services.effacer_donnees(request.user)
    logout(request)
    messages.success(request, "Vos données personnelles ont été effacées.")
    return redirect("carte:accueil")


@login_required
def annuaire(request):
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "comptes/annuaire.html",
        {"personnes": selectors.annuaire(request.user, q)[:200], "q": q},
    )


def organisation(request, pk: int):
    org = get_object_or_404(
        permissions.organisations_visibles(request.user).select_related("commune", "epci"), pk=pk
    )
    profil = ProfilEntreprise.objects.filter(organisation=org).first()
    champs = secrets.champs(request.user, profil, services.CHAMPS_PROFIL) if profil else []
    return render(
        request,
        "comptes/organisation.html",
        {
            "org": org,
            "profil": profil,
            "champs": champs,
            "peut_modifier": profil is not None
            and permissions.autoriser(request.user, "modifier", profil),
            "rgec_lisible": profil is not None and secrets.situation_lisible(request.user, profil),
            "membres": org.membres.filter(annuaire=True),
        },
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


@login_required
def organisation_modifier(request, pk: int):
    org = get_object_or_404(
        permissions.organisations_visibles(request.user), pk=pk, type=TypeOrganisation.ENTREPRISE
    )
    profil = get_object_or_404(ProfilEntreprise, organisation=org)
    permissions.exiger(permissions.autoriser(request.user, "modifier", profil))
    conflit = None
    if request.method == "POST":
        form = ProfilForm(request.POST, instance=ProfilEntreprise.objects.get(pk=profil.pk))
        if form.is_valid():
            donnees = {k: form.cleaned_data[k] for k in form.Meta.fields}
            try:
                services.modifier_profil_entreprise(
                    user=request.user,
                    profil=profil,
                    version=form.cleaned_data["version"],
                    donnees=donnees,
                )
            except services.ConflitEdition as exc:
                conflit = [
                    (ProfilEntreprise._meta.get_field(n).verbose_name, mine, theirs)
                    for n, mine, theirs in exc.differences
                ]
                form.add_error(
                    None,
                    "Quelqu'un a enregistré ce profil pendant que vous le "
                    "modifiiez : rien n'a été écrasé. Voici ce qui a changé ; "
                    "reprenez vos modifications sur la version actuelle.",
                )
                form.data = form.data.copy()
                form.data["version"] = ProfilEntreprise.objects.get(pk=profil.pk).version
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Profil enregistré.")
                return redirect("comptes:organisation", pk=org.pk)
    else:
        form = ProfilForm(instance=profil, initial={"version": profil.version})
    # The form shows the secret values: that is a read, logged like any other.
    secrets.champs(request.user, profil, services.CHAMPS_PROFIL)
    return render(
        request,
        "comptes/organisation_modifier.html",
        {"org": org, "form": form, "conflit": conflit},
    )


def journal_secrets(request, phase: int, code: str):
    t = get_object_or_404(permissions.territoires_suivis(request.user), phase_id=phase, code=code)
    permissions.exiger(permissions.autoriser(request.user, "voir_journal_secrets", t))
    return render(request, "comptes/journal_secrets.html", {"t": t, "lectures": secrets.journal(t)})


def contexte_territoire(request, t: Territoire) -> dict:
    """What the territory page adds for governance and firms, scoped to the visitor."""
    suivi = permissions.territoires_suivis(request.user).filter(pk=t.pk).exists()
    ctx = {
        "gouvernance": selectors.gouvernance(t),
        "suivi": suivi,
        "journal_visible": suivi and permissions.autoriser(request.user, "voir_journal_secrets", t),
    }
    if suivi:
        ctx["agregats"] = selectors.agregats_entreprises(t, request.user)
        ctx["entreprises"] = selectors.entreprises_du_territoire(request.user, t)
    return ctx
