"""Pages of the panier de services (FAQ §5). Reads go through mesures.selectors, writes
through mesures.services, who may write through mesures.permissions (404 for anyone else)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from comptes.permissions import exiger
from mesures import selectors, services
from mesures.models import Mesure
from mesures.permissions import peut_creer_des_mesures, peut_gerer_mesure

from ..commun.actions import executer, soumis
from ..commun.formulaires import filtres
from ..commun.pages import paginer
from .forms import FiltresMesuresForm, MesureForm


def mesures(request):
    form = FiltresMesuresForm(request.GET)
    f = filtres(form)
    liste = selectors.catalogue(
        q=f.get("q"),
        axe=f.get("axe"),
        nature=f.get("nature"),
        source=f.get("source"),
        region=f["region"].code if f.get("region") else None,
        operateur=f["operateur"].pk if f.get("operateur") else None,
        valide_le=timezone.localdate() if f.get("valide") else None,
    )
    return render(
        request,
        "mesures/liste.html",
        {
            **paginer(request, liste),
            "form": form,
            "total": len(liste),
            "peut_creer": peut_creer_des_mesures(request.user),
        },
    )


def mesure(request, pk: int):
    m = get_object_or_404(Mesure.objects.select_related("operateur", "region"), pk=pk)
    return render(
        request,
        "mesures/detail.html",
        {
            "m": m,
            "valide": m.valide_le(timezone.localdate()),
            "peut_modifier": peut_gerer_mesure(request.user, m),
        },
    )


def _donnees(form) -> dict:
    return {k: form.cleaned_data[k] for k in services.CHAMPS if k in form.cleaned_data}


def mesure_nouvelle(request):
    exiger(peut_creer_des_mesures(request.user))
    form = MesureForm(request.POST or None, user=request.user)
    if soumis(request, form) and (
        ajout := executer(
            services.creer_mesure, form=form, user=request.user, donnees=_donnees(form)
        )
    ):
        messages.success(request, "Mesure ajoutée au panier de services.")
        return redirect("mesures:detail", pk=ajout.resultat.pk)
    return render(request, "mesures/formulaire.html", {"form": form, "m": None})


def mesure_modifier(request, pk: int):
    m = get_object_or_404(Mesure, pk=pk)
    exiger(peut_gerer_mesure(request.user, m))
    # The form works on its own copy: a refused input leaves `m` as stored.
    form = MesureForm(
        request.POST or None,
        instance=Mesure.objects.get(pk=m.pk),
        initial={"version": services.version(m)},
        user=request.user,
    )
    if soumis(request, form):
        issue = executer(
            services.modifier_mesure,
            form=form,
            conflit_sur="cette mesure",
            user=request.user,
            mesure=m,
            donnees=_donnees(form),
            version=form.cleaned_data["version"] or None,
        )
        if issue:
            messages.success(request, "Mesure enregistrée.")
            return redirect("mesures:detail", pk=m.pk)
        if issue.conflit:
            # Ready to be saved over the current version, the input kept.
            form.data = form.data.copy()
            form.data["version"] = services.version(Mesure.objects.get(pk=m.pk))
    return render(request, "mesures/formulaire.html", {"form": form, "m": m})
