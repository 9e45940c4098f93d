"""The network's library of resources (FAQ §7.4): public list and pages of what is published,
drafts for those who publish them (actualites.ressources decides who), the file served as an
attachment through the same scope."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from actualites import ressources
from actualites.enums import CategorieRessource
from actualites.services import peut_publier, regions_publiables
from comptes.permissions import exiger, portee
from referentiel.models import Region

from ..commun.actions import executer, soumis
from ..commun.pages import paginer
from .forms import NouvelleRessourceForm, RessourceForm

CHAMPS = ("titre", "resume", "categorie", "date", "lien", "publiee")


def liste(request):
    region = request.GET.get("region", "")
    region = region if Region.objects.filter(code=region).exists() else ""
    categorie = request.GET.get("categorie", "")
    categorie = categorie if categorie in CategorieRessource.values else ""
    p = portee(request.user)
    qs = ressources.ressources(request.user, region=region or None, categorie=categorie or None)
    return render(
        request,
        "actualites/ressources/liste.html",
        {
            **paginer(request, qs, par_page=20),
            "region": Region.objects.filter(code=region).first(),
            "regions": Region.objects.order_by("nom"),
            "categorie": categorie,
            "categories": CategorieRessource.choices,
            "peut_deposer": p.national or bool(p.regions_pilote),
        },
    )


def detail(request, pk: int):
    r = get_object_or_404(ressources.ressources_visibles(request.user), pk=pk)
    return render(
        request,
        "actualites/ressources/detail.html",
        {
            "r": r,
            "type": ressources.type_du_fichier(r),
            "peut_modifier": peut_publier(request.user, r.region_id),
        },
    )


@require_safe
def fichier(request, pk: int):
    """Only through the resource's scope: a draft is not found by those who cannot see it."""
    r = get_object_or_404(ressources.ressources_visibles(request.user), pk=pk)
    reponse = ressources.telecharger(r)
    if reponse is None:
        raise Http404("Cette ressource n'a pas de fichier.")
    return reponse


def _donnees(form) -> dict:
    d = form.cleaned_data
    return {**{c: d[c] for c in CHAMPS}, "fichier": d["fichier"] or None}


def nouvelle(request):
    p = portee(request.user)
    regions = regions_publiables(request.user)
    exiger(p.national or bool(regions))
    form = NouvelleRessourceForm(
        request.POST or None, request.FILES or None, national=p.national, regions=regions
    )
    if soumis(request, form):
        niveau = form.cleaned_data["niveau"]
        region = Region.objects.filter(code=niveau).first() if niveau else None
        issue = executer(
            ressources.deposer, form=form, user=request.user, region=region, **_donnees(form)
        )
        if issue:
            messages.success(request, "Ressource enregistrée.")
            return redirect("actualites:ressource", pk=issue.resultat.pk)
    statut = 400 if request.method == "POST" else 200
    return render(request, "actualites/ressources/formulaire.html", {"form": form}, status=statut)


def modifier(request, pk: int):
    r = get_object_or_404(ressources.ressources_visibles(request.user), pk=pk)
    exiger(peut_publier(request.user, r.region_id))
    initial = {c: getattr(r, c) for c in CHAMPS} | {"version": r.version}
    form = RessourceForm(request.POST or None, request.FILES or None, initial=initial)
    statut = 400 if request.method == "POST" else 200
    if soumis(request, form):
        issue = executer(
            ressources.modifier,
            form=form,
            user=request.user,
            ressource=r,
            version=form.cleaned_data["version"] or 0,
            conflit_sur="cette ressource",
            **_donnees(form),
        )
        if issue:
            messages.success(request, "Ressource modifiée.")
            return redirect("actualites:ressource", pk=r.pk)
        statut = 409 if issue.conflit else 400
    contexte = {"form": form, "r": r}
    return render(request, "actualites/ressources/formulaire.html", contexte, status=statut)
