"""The network's news: public list and pages, Atom feeds (flux.py), publication by the
national delegation or a Région's pilot (actualites.services decides who)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from actualites import selectors, services
from actualites.models import Actualite
from comptes.permissions import exiger, portee
from referentiel.models import Region

from ..commun.actions import executer, soumis
from ..commun.pages import paginer
from .forms import ActualiteForm, NouvelleActualiteForm


def liste(request):
    region = request.GET.get("region", "")
    region = region if Region.objects.filter(code=region).exists() else ""
    p = portee(request.user)
    return render(
        request,
        "actualites/liste.html",
        {
            **paginer(request, selectors.actualites(region or None), par_page=20),
            "region": Region.objects.filter(code=region).first(),
            "regions": Region.objects.order_by("nom"),
            "peut_publier": p.national or bool(p.regions_pilote),
        },
    )


def detail(request, pk: int):
    a = get_object_or_404(selectors.actualites(), pk=pk)
    return render(
        request,
        "actualites/detail.html",
        {"a": a, "peut_modifier": services.peut_publier(request.user, a.region_id)},
    )


def nouvelle(request):
    p = portee(request.user)
    regions = services.regions_publiables(request.user)
    exiger(p.national or bool(regions))
    form = NouvelleActualiteForm(request.POST or None, national=p.national, regions=regions)
    if soumis(request, form):
        d = form.cleaned_data
        region = Region.objects.filter(code=d["niveau"]).first() if d["niveau"] else None
        issue = executer(
            services.publier,
            form=form,
            user=request.user,
            region=region,
            titre=d["titre"],
            chapo=d["chapo"],
            corps=d["corps"],
        )
        if issue:
            messages.success(request, "Actualité publiée.")
            return redirect("actualites:detail", pk=issue.resultat.pk)
    statut = 400 if request.method == "POST" else 200
    return render(request, "actualites/formulaire.html", {"form": form}, status=statut)


def modifier(request, pk: int):
    a = get_object_or_404(Actualite, pk=pk)
    exiger(services.peut_publier(request.user, a.region_id))
    initial = {"titre": a.titre, "chapo": a.chapo, "corps": a.corps, "version": a.version}
    form = ActualiteForm(request.POST or None, initial=initial)
    statut = 400 if request.method == "POST" else 200
    if soumis(request, form):
        d = form.cleaned_data
        issue = executer(
            services.modifier,
            form=form,
            user=request.user,
            actualite=a,
            version=d["version"] or 0,
            conflit_sur="cette actualité",
            titre=d["titre"],
            chapo=d["chapo"],
            corps=d["corps"],
        )
        if issue:
            messages.success(request, "Actualité modifiée.")
            return redirect("actualites:detail", pk=a.pk)
        statut = 409 if issue.conflit else 400
    return render(request, "actualites/formulaire.html", {"form": form, "a": a}, status=statut)
