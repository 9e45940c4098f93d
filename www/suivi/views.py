"""Follow-up dashboards: the deployment of the programme by territory and by région (FAQ §6).
Reads come from contrats.suivi, which shows drafts only within the person's scope."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from contrats import suivi
from referentiel.models import Region


def national(request):
    phase = suivi.phase_montree(request.GET.get("phase", ""))
    lignes = suivi.deploiement_vu_par(request.user, phase=phase)
    return render(
        request,
        "suivi/national.html",
        {
            "phase": phase,
            "phases": suivi.PHASES,
            "lignes": lignes,
            "regions": suivi.par_region(lignes),
            "synthese": suivi.synthese(lignes),
            "calendrier": suivi.CALENDRIER,
            "aujourdhui": timezone.localdate(),
        },
    )


def region(request, code: str):
    region = get_object_or_404(Region, code=code)
    phase = suivi.phase_montree(request.GET.get("phase", ""))
    lignes = suivi.deploiement_vu_par(request.user, region=code, phase=phase)
    return render(
        request,
        "suivi/region.html",
        {
            "phase": phase,
            "phases": suivi.PHASES,
            "region": region,
            "lignes": lignes,
            "en_retard": [d for d in lignes if d.en_retard],
            "synthese": suivi.synthese(lignes),
        },
    )
