"""One's calendar of meetings, and its feed for a calendar application: addressed by a
secret token that stands for the person, without a session (gouvernance.agenda)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from comptes.models import Personne
from gouvernance import agenda

from .reunions import ICS


def mon_agenda(request):
    personne = get_object_or_404(Personne, compte=request.user)
    jeton = None
    if request.method == "POST" and request.POST.get("action") == "supprimer":
        agenda.supprimer_jeton(personne)
        messages.success(request, "Le lien d'abonnement est supprimé : il ne fonctionne plus.")
    elif request.method == "POST":
        jeton = agenda.nouveau_jeton(personne)
    lien = (
        request.build_absolute_uri(reverse("gouvernance:agenda-ics", args=[jeton]))
        if jeton
        else None
    )
    return render(
        request,
        "gouvernance/agenda.html",
        {
            "reunions": agenda.reunions_de(personne),
            "lien": lien,
            "a_un_jeton": hasattr(personne, "jeton_agenda"),
        },
    )


def agenda_ics(request, jeton: str):
    # No session: the secret token stands for the person, within that person's scope.
    personne = agenda.personne_du_jeton(jeton)
    if personne is None:
        raise Http404("Agenda introuvable.")

    def url_de(r):
        return request.build_absolute_uri(reverse("gouvernance:reunion", args=[r.pk]))

    corps = agenda.calendrier(
        agenda.reunions_de(personne), nom=f"Territoires d'industrie — {personne}", url_de=url_de
    )
    return HttpResponse(corps, content_type=ICS)
