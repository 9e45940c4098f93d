"""A meeting's participant withdrawn, an attachment deleted: by whoever runs the body
(gouvernance.seances checks it again), 404 for anyone else, back to the meeting's page with
what was done or refused."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from gouvernance import permissions, seances
from gouvernance.models import Participant, PieceJointe

from ..commun.actions import executer


def _retour(request, objet, service, succes: str, **arguments):
    r = objet.reunion
    exiger(permissions.peut_animer(request.user, r.comite))
    if executer(service, request=request, user=request.user, **arguments):
        messages.success(request, succes)
    return redirect("gouvernance:reunion", pk=r.pk)


@require_POST
def participant_retirer(request, pk: int):
    p = get_object_or_404(
        Participant.objects.filter(
            reunion__in=permissions.reunions_visibles(request.user)
        ).select_related("reunion__comite"),
        pk=pk,
    )
    return _retour(request, p, seances.retirer_participant, "Participant retiré.", participant=p)


@require_POST
def piece_supprimer(request, pk: int):
    p = get_object_or_404(
        PieceJointe.objects.filter(
            reunion__in=permissions.reunions_visibles(request.user)
        ).select_related("reunion__comite"),
        pk=pk,
    )
    return _retour(request, p, seances.supprimer_piece, "Pièce jointe supprimée.", piece=p)
