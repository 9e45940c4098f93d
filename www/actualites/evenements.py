"""The network's events (FAQ §7.4): upcoming and past, each with its page and calendar file;
announced by the national delegation or a Région's pilot (actualites.services decides who).
A network event is not found (404) by those who are not signed in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actualites import evenements
from actualites.services import peut_publier, regions_publiables
from comptes.permissions import exiger, portee
from referentiel.models import Region

from ..commun.actions import executer, soumis
from ..commun.pages import paginer
from .forms import EvenementForm, NouvelEvenementForm

ICS = "text/calendar; charset=utf-8"


def liste(request):
    region = request.GET.get("region", "")
    region = region if Region.objects.filter(code=region).exists() else ""
    p = portee(request.user)
    return render(
        request,
        "actualites/evenements/liste.html",
        {
            "a_venir": evenements.a_venir(request.user, region=region or None),
            **paginer(request, evenements.passes(request.user, region=region or None), 20),
            "region": Region.objects.filter(code=region).first(),
            "regions": Region.objects.order_by("nom"),
            "peut_annoncer": p.national or bool(p.regions_pilote),
        },
    )


def detail(request, pk: int):
    e = get_object_or_404(evenements.evenements_visibles(request.user), pk=pk)
    return render(
        request,
        "actualites/evenements/detail.html",
        {"e": e, "peut_modifier": peut_publier(request.user, e.region_id)},
    )


@require_safe
def ics(request, pk: int):
    e = get_object_or_404(evenements.evenements_visibles(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("actualites:evenement", args=[e.pk]))
    r = HttpResponse(evenements.calendrier(e, url=url), content_type=ICS)
    r["Content-Disposition"] = f'attachment; filename="evenement-{e.pk}.ics"'
    if not e.public:
        r["Cache-Control"] = "private, no-store"
    return r


def nouveau(request):
    p = portee(request.user)
    regions = regions_publiables(request.user)
    exiger(p.national or bool(regions))
    form = NouvelEvenementForm(request.POST or None, national=p.national, regions=regions)
    if soumis(request, form):
        niveau = form.cleaned_data["niveau"]
        region = Region.objects.filter(code=niveau).first() if niveau else None
        issue = executer(
            evenements.organiser, form=form, user=request.user, region=region, **form.evenement()
        )
        if issue:
            messages.success(request, "Événement annoncé.")
            return redirect("actualites:evenement", pk=issue.resultat.pk)
    statut = 400 if request.method == "POST" else 200
    return render(request, "actualites/evenements/formulaire.html", {"form": form}, status=statut)


def modifier(request, pk: int):
    e = get_object_or_404(evenements.evenements_visibles(request.user), pk=pk)
    exiger(peut_publier(request.user, e.region_id))
    form = EvenementForm(request.POST or None, initial=EvenementForm.initial_de(e))
    statut = 400 if request.method == "POST" else 200
    if soumis(request, form):
        issue = executer(
            evenements.modifier,
            form=form,
            user=request.user,
            evenement=e,
            version=form.cleaned_data["version"] or 0,
            conflit_sur="cet événement",
            **form.evenement(),
        )
        if issue:
            messages.success(request, "Événement modifié.")
            return redirect("actualites:evenement", pk=e.pk)
        statut = 409 if issue.conflit else 400
    contexte = {"form": form, "e": e}
    return render(request, "actualites/evenements/formulaire.html", contexte, status=statut)
