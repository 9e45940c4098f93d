"""Public pages of the map. No domain logic here: reads go through territoires.selectors."""

from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from fiches.permissions import peut_creer_ici
from gouvernance.permissions import comites_visibles
from gouvernance.selectors import evolution_region
from referentiel import saisie
from referentiel.models import Region
from territoires import selectors
from territoires.models import Changement, Phase, Territoire

from ..commun.formulaires import filtres
from ..commun.pages import paginer
from ..comptes.views import contexte_territoire
from ..travail.views import file_pour_les_connectes
from .forms import FiltresCarteForm, FiltresTerritoiresForm


def _filtres(form_class, request):
    """Bound filter form; its cleaned data gets the phase shown: the one asked for, or else
    the phase in force at the chosen date (today by default)."""
    form = form_class(request.GET)
    f = filtres(form)
    f["phase"] = f.get("phase") or selectors.phase_courante(f.get("date"))
    return form, f


@file_pour_les_connectes
def accueil(request):
    defaut = selectors.phase_courante()
    vues = selectors.vues_territoires(phase=defaut, avec_epcis=False) if defaut else []
    totaux = selectors.totaux(phase=defaut) if defaut else {"communes": 0, "population": 0}
    regions = selectors.regions_par_code()
    derniers = (
        Changement.objects.filter(territoire__phase=defaut)
        .select_related("territoire", "decision")
        .order_by("-date", "-id")[:5]
    )
    return render(
        request,
        "carte/accueil.html",
        {
            "phase": defaut,
            "nb_territoires": len(vues),
            "nb_interregionaux": sum(v.interregional for v in vues),
            # A commune shared by two territories counts once.
            "nb_communes": totaux["communes"],
            "population": totaux["population"],
            "nb_regions": len({r for v in vues for r in v.regions if r in regions}),
            "derniers": derniers,
        },
    )


def carte(request):
    form, f = _filtres(FiltresCarteForm, request)
    # The territories drawn, listed beside the map: the way to them by keyboard and the
    # map's text alternative.
    vues = selectors.vues_territoires(f.get("date"), phase=f.get("phase"), avec_epcis=False)
    region = f.get("region")
    vues = selectors.filtrer(vues, region=region.code if region else None)
    return render(
        request,
        "carte/carte.html",
        {"form": form, "filtres": f, "phase": f["phase"], "vues": vues},
    )


def territoires(request):
    form, f = _filtres(FiltresTerritoiresForm, request)
    phase = f.get("phase")
    vues = selectors.vues_territoires_de_la_carte(f.get("date"), phase=phase.pk if phase else None)
    region = f.get("region")
    vues = selectors.filtrer(
        vues,
        region=region.code if region else None,
        interregional=f.get("interregional"),
        pilote=f.get("pilote"),
        q=f.get("q"),
        date=f.get("date"),
    )
    return render(
        request,
        "carte/territoires.html",
        {
            **paginer(request, vues),
            "form": form,
            "total": len(vues),
            "phase": f["phase"],
            "date": f.get("date") or selectors.today(),
            "regions": selectors.regions_par_code(),
        },
    )


def territoire(request, phase: int, code: str):
    t = Territoire.objects.select_related("phase", "origine").filter(phase_id=phase, code=code)
    t = t.first()
    if t is None:
        # « /territoires/2/8401/ » for ti-8401: the id as the programme writes it.
        autre = selectors.trouver_territoire(code, phase)
        if autre is None:
            raise Http404("Territoire introuvable.")
        url = reverse("carte:territoire", args=[autre.phase_id, autre.code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    form, f = _filtres(FiltresCarteForm, request)
    vue, date = selectors.vue_montree(t, f.get("date"))
    if vue is None:
        raise Http404("Ce territoire n'a jamais eu de périmètre.")
    # Not on the map at the date asked: shown as it was created, or as it was last.
    demandee = f.get("date") if f.get("date") and f.get("date") != date else None
    communes = list(selectors.communes_du_territoire(t, date))
    partagees = selectors.communes_partagees(t, date)
    for c in communes:
        c.partagee_avec = partagees.get(c.code, [])
    return render(
        request,
        "carte/territoire.html",
        {
            **contexte_territoire(request, t),
            "t": t,
            "vue": vue,
            # Where one goes from a territory: its fiches (and writing one), its committees
            # and their meetings, its contract.
            "peut_rediger": peut_creer_ici(request.user, t),
            "comites": comites_visibles(request.user).filter(territoire=t),
            "date": date,
            "date_demandee": demandee,
            "communes": communes,
            "partagees": partagees,
            "partenaires": sorted(
                {autre for liste in partagees.values() for autre in liste}, key=lambda x: x.code
            ),
            "regions": selectors.regions_par_code(),
            "changements": t.changements.select_related("decision", "decision__region"),
            "issus": t.issus.all(),
        },
    )


def region(request, code: str):
    r = get_object_or_404(Region, code=code)
    numero = saisie.entier(request.GET.get("phase", ""))
    phase = (
        Phase.objects.filter(pk=numero).first() if numero is not None else None
    ) or selectors.phase_courante()
    vues = selectors.filtrer(selectors.vues_territoires(phase=phase), region=code)
    deps = r.departements.annotate(
        nb_communes=Count("communes"), population=Sum("communes__population")
    )
    return render(
        request,
        "carte/region.html",
        {
            "region": r,
            "phase": phase,
            "phases": Phase.objects.all(),
            "vues": vues,
            "departements": deps,
            "regions": selectors.regions_par_code(),
            "nb_interregionaux": sum(v.interregional for v in vues),
            "evolution": evolution_region(r, phase),
        },
    )


def regions(request):
    defaut = selectors.phase_courante()
    vues = selectors.vues_territoires(phase=defaut, avec_epcis=False) if defaut else []
    counts: dict[str, int] = {}
    for v in vues:
        for code in v.regions:
            counts[code] = counts.get(code, 0) + 1
    rows = [(r, counts.get(r.code, 0)) for r in Region.objects.all()]
    return render(request, "carte/regions.html", {"rows": rows, "phase": defaut})
