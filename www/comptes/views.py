"""Pages of accounts, directory, organisations and firms. Reads go through
comptes.permissions (scoped querysets, 404 outside scope) and comptes.secrets (masking)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes import permissions, secrets, selectors, services
from comptes.enums import TypeOrganisation
from comptes.models import JetonAPI, Personne, ProfilEntreprise
from territoires.models import Territoire

from ..commun.actions import executer, soumis
from .forms import ConnexionForm, ProfilForm


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


def compte(request):
    personne = Personne.objects.filter(compte=request.user).select_related("organisation").first()
    designations = (
        personne.designations.select_related("territoire", "region", "organisation")
        if personne
        else []
    )
    jetons = services.jetons_visibles(request.user).filter(
        compte=request.user, expire_le__gt=timezone.now()
    )
    return render(
        request,
        "comptes/compte.html",
        {
            "personne": personne,
            "designations": designations,
            "jetons": jetons,
            "duree_jeton": settings.API_JETON_DUREE_JOURS,
            "jetons_max": settings.API_JETONS_PAR_COMPTE,
        },
    )


@require_POST
def jeton_revoquer(request, pk: int):
    try:
        services.revoquer_jeton(user=request.user, pk=pk)
    except JetonAPI.DoesNotExist as exc:
        raise Http404("Jeton introuvable.") from exc
    messages.success(request, "Le jeton est révoqué : il ne donne plus accès à l'API.")
    return redirect("comptes:compte")


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


def compte_export(request):
    data = services.exporter_donnees(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@require_POST
def compte_effacer(request):
    if request.POST.get("confirmation") != "EFFACER":
        messages.error(request, "Pour effacer vos données, saisissez EFFACER en majuscules.")
        return redirect("comptes:compte")
    services.effacer_donnees(request.user)
    logout(request)
    messages.success(request, "Vos données personnelles ont été effacées.")
    return redirect("carte:accueil")


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


def organisation_modifier(request, pk: int):
    org = get_object_or_404(
        permissions.organisations_visibles(request.user), pk=pk, type=TypeOrganisation.ENTREPRISE
    )
    profil = get_object_or_404(ProfilEntreprise, organisation=org)
    permissions.exiger(permissions.autoriser(request.user, "modifier", profil))
    conflit = None
    if request.method == "POST":
        # The form works on its own copy: a refused input leaves `profil` as stored.
        form = ProfilForm(request.POST, instance=ProfilEntreprise.objects.get(pk=profil.pk))
    else:
        form = ProfilForm(instance=profil, initial={"version": profil.version})
    if soumis(request, form):
        issue = executer(
            services.modifier_profil_entreprise,
            form=form,
            conflit_sur="ce profil",
            user=request.user,
            profil=profil,
            version=form.cleaned_data["version"],
            donnees={k: form.cleaned_data[k] for k in form.Meta.fields},
        )
        if issue:
            messages.success(request, "Profil enregistré.")
            return redirect("comptes:organisation", pk=org.pk)
        if issue.conflit:
            conflit = [
                (ProfilEntreprise._meta.get_field(n).verbose_name, mine, theirs)
                for n, mine, theirs in issue.conflit.differences
            ]
            # Ready to be saved over the current version, the input kept.
            form.data = form.data.copy()
            form.data["version"] = ProfilEntreprise.objects.get(pk=profil.pk).version
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
