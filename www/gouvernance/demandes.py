"""Perimeter requests (FAQ §2.2, §2.3): filed by an intercommunality or a territory, put on
the agenda of the regional COPIL, decided there. The path lives in gouvernance.demandes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from gouvernance import demandes, permissions, services
from gouvernance.enums import EtatDemande, NaturePoint, TypeComite
from gouvernance.models import Comite
from gouvernance.selectors import copil_de_la_region
from referentiel.models import EPCI, Region

from ..commun.actions import executer
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
    if request.method == "POST" and form.is_valid():
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
            parts=d["parts"],
            date=d["date"],
            **demandes.demandeur(request.user, d["territoire"]),
        )
        if depot:
            messages.success(request, "Demande déposée : le COPIL régional l'examinera.")
            return redirect("gouvernance:demande", pk=depot.resultat.pk)
    statut = 400 if request.method == "POST" else 200
    return render(request, "gouvernance/demande_nouvelle.html", {"form": form}, status=statut)


def _demande(request, pk):
    return get_object_or_404(
        permissions.demandes_visibles(request.user).select_related(
            "territoire", "region", "epci", "decision"
        ),
        pk=pk,
    )


def _copil_de(user, dem):
    """The COPIL of a Région concerned that the person runs: where they put it on the agenda
    (the coordinating Région's first)."""
    for region in sorted(demandes.regions_de(dem), key=lambda r: r != dem.region_id):
        copil = copil_de_la_region(region)
        if copil is not None and permissions.peut_animer(user, copil):
            return copil
    return None


def _regions_a_l_accord(user, dem) -> list[tuple[str, str]]:
    """Other Régions concerned whose pilot the person is, that have not taken position."""
    prises = set(dem.accords_regions.values_list("region_id", flat=True))
    autres = demandes.regions_de(dem) - {dem.region_id} - prises
    return [
        (r.code, r.nom)
        for r in Region.objects.filter(code__in=autres).order_by("nom")
        if permissions.peut_animer(user, Comite(type=TypeComite.COPIL_REGIONAL, region_id=r.code))
    ]


def _page_demande(request, dem, form=None, accord_form=None, status=200):
    copil = _copil_de(request.user, dem)
    ouverte = dem.etat in (EtatDemande.DEPOSEE, EtatDemande.EXAMINEE)
    regions = _regions_a_l_accord(request.user, dem) if ouverte else []
    if regions and accord_form is None:
        accord_form = gf.AccordForm(regions=regions)
    return render(
        request,
        "gouvernance/demande.html",
        {
            "d": dem,
            "points": dem.points.select_related("reunion__comite", "decision_prise"),
            "copil": copil,
            "peut": copil is not None,
            "reunions_copil": copil.reunions.filter(annulee_le__isnull=True)[:20] if copil else [],
            "form": form,
            "accord_form": accord_form if regions else None,
            "regions": Region.objects.filter(code__in=demandes.regions_de(dem)).order_by("nom"),
            "accords": dem.accords_regions.select_related("region", "reunion"),
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
        form=form,
        user=request.user,
        reunion=r,
        nature=NaturePoint.PERIMETRE,
        demande=dem,
    ):
        messages.success(request, "Demande inscrite à l'ordre du jour : elle est examinée.")
        return redirect("gouvernance:demande", pk=dem.pk)
    return _page_demande(request, dem, form, status=400)


@require_POST
def demande_accord(request, pk: int):
    """Another Région concerned records its position, by its pilot (FAQ §2.3)."""
    dem = _demande(request, pk)
    regions = _regions_a_l_accord(request.user, dem)
    exiger(bool(regions))
    form = gf.AccordForm(request.POST, regions=regions)
    if form.is_valid() and executer(
        demandes.donner_accord, form=form, user=request.user, demande=dem, **form.cleaned_data
    ):
        messages.success(request, "Position de la Région enregistrée.")
        return redirect("gouvernance:demande", pk=dem.pk)
    return _page_demande(request, dem, accord_form=form, status=400)
