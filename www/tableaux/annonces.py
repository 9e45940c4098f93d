"""Pages of the operators' announced commitments (Cour des comptes 2024: announced against
actually committed), for the national delegation: list, entry, change under an optimistic
lock, deletion. Rules and refusals are suivi.services'; anyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from comptes.enums import TYPES_PUBLICS
from comptes.models import Organisation
from comptes.services import ConflitEdition
from referentiel import formats
from suivi import services
from suivi.permissions import engagements_annonces_visibles
from territoires.models import Phase

from ..commun.formulaires import DsfrBaseForm

CONFLIT = (
    "Quelqu'un a modifié cet engagement annoncé entre-temps : rechargez la page pour voir sa "
    "version, rien n'a été enregistré."
)


class AnnonceForm(DsfrBaseForm):
    operateur = forms.ModelChoiceField(
        label="Opérateur ou financeur",
        queryset=Organisation.objects.filter(type__in=TYPES_PUBLICS).order_by("nom"),
    )
    phase = forms.ModelChoiceField(label="Phase", queryset=Phase.objects.order_by("numero"))
    montant = forms.DecimalField(
        label="Montant annoncé (€)", min_value=0, max_digits=14, decimal_places=2
    )
    date = forms.DateField(
        label="Date de l'annonce", widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(
        label="Source", max_length=300, help_text="Communiqué, convention, comité…"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def liste(request):
    services.exiger_annonce(request.user)
    return render(
        request,
        "tableaux/annonces.html",
        {
            "annonces": [
                (a, formats.euros(a.montant))
                for a in engagements_annonces_visibles(request.user).order_by("-date", "-pk")
            ]
        },
    )


def nouvelle(request):
    services.exiger_annonce(request.user)
    form = AnnonceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.annoncer_engagement(
                user=request.user, **{k: d[k] for k in services.CHAMPS_ANNONCE}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Engagement annoncé enregistré.")
            return redirect("tableaux:annonces")
    return render(request, "tableaux/annonce.html", {"form": form, "annonce": None})


def modifier(request, pk: int):
    services.exiger_annonce(request.user)
    annonce = get_object_or_404(engagements_annonces_visibles(request.user), pk=pk)
    if request.method == "POST" and "supprimer" in request.POST:
        return _supprimer(request, annonce)
    initial = {
        "operateur": annonce.operateur,
        "phase": annonce.phase,
        **{k: getattr(annonce, k) for k in ("montant", "date", "source", "version")},
    }
    form = AnnonceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.modifier_engagement_annonce(
                user=request.user,
                annonce=annonce,
                version=d.get("version") or 0,
                donnees={k: d[k] for k in services.CHAMPS_ANNONCE},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except ConflitEdition:
            form.add_error(None, CONFLIT)
        else:
            messages.success(request, "Engagement annoncé modifié.")
            return redirect("tableaux:annonces")
    return render(request, "tableaux/annonce.html", {"form": form, "annonce": annonce})


def _supprimer(request, annonce):
    version = request.POST.get("version", "")
    try:
        services.supprimer_engagement_annonce(
            user=request.user, annonce=annonce, version=int(version) if version.isdigit() else 0
        )
    except ConflitEdition:
        messages.error(request, CONFLIT)
        return redirect("tableaux:annonce", annonce.pk)
    messages.success(request, "Engagement annoncé supprimé.")
    return redirect("tableaux:annonces")
