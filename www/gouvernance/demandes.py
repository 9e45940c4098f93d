"""Perimeter requests (FAQ §2.2, §2.3): filed by an intercommunality or a territory, put on
the agenda of the regional COPIL, decided there. The path lives in gouvernance.demandes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from gouvernance import demandes, permissions, services
from gouvernance.enums import EtatDemande, NaturePoint
from gouvernance.selectors import copil_de_la_region
from referentiel.models import EPCI

from ..commun.actions import executer, soumis
from . import forms as gf


def demandes_liste(request):
    qs = permissions.demandes_visibles(request.user).select_related(
        "territoire", "region", "demandeur_organisation", "demandeur_territoire", "epci"
    )
    etat = request.GET.get("etat", "")
    if etat in EtatDemande.values:
        qs = qs.filter(etat=etat)
    return render(
        request,
        "gouvernance/demandes.html",
        {"demandes": qs, "etats": EtatDemande.choices, "etat": etat},
    )


def demande_nouvelle(request):
    form = gf.DemandeForm(request.POST or None, user=request.user)
    if soumis(request, form):
        d = form.cleaned_data
        depot = executer(
            demandes.deposer,
            form=form,
            user=request.user,
            nature=d["nature"],
            territoire=d["territoire"],
            epci=EPCI.objects.filter(siren=d["epci"]).first() if d["epci"] else None,
            justification=d["justification"],
            code_propose=d["code_propose"],
            nom_propose=d["nom_propose"],
            epcis_proposes=d["epcis_proposes"],
            **demandes.demandeur(request.user, d["territoire"]),
        )
        if depot:
            messages.success(request, "Demande déposée : le COPIL régional l'examinera.")
            return redirect("gouvernance:demande", pk=depot.resultat.pk)
    return render(request, "gouvernance/demande_nouvelle.html", {"form": form})


def _demande(request, pk):
    return get_object_or_404(
        permissions.demandes_visibles(request.user).select_related(
            "territoire", "region", "epci", "decision"
        ),
        pk=pk,
    )


def _page_demande(request, dem, form=None, status=200):
    copil = copil_de_la_region(dem.region_id)
    peut = copil is not None and permissions.peut_animer(request.user, copil)
    return render(
        request,
        "gouvernance/demande.html",
        {
            "d": dem,
            "points": dem.points.select_related("reunion", "decision_prise"),
            "copil": copil,
            "peut": peut,
            "reunions_copil": copil.reunions.all()[:20] if peut else [],
            "form": form,
        },
        status=status,
    )


def demande(request, pk: int):
    return _page_demande(request, _demande(request, pk))


@require_POST
def demande_inscrire(request, pk: int):
    dem = _demande(request, pk)
    form = gf.InscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page_demande(request, dem, form, status=400)
    r = form.cleaned_data["reunion"]
    exiger(permissions.peut_animer(request.user, r.comite))
    if executer(
        services.ajouter_point,
        request=request,
        user=request.user,
        reunion=r,
        nature=NaturePoint.PERIMETRE,
        demande=dem,
    ):
        messages.success(request, "Demande inscrite à l'ordre du jour : elle est examinée.")
    return redirect("gouvernance:demande", pk=dem.pk)
