"""A fiche withdrawn from the annex of a draft, a signatory withdrawn: by the territory's team
on a draft (contrats.projets checks it again), 404 for anyone else, back to the document's
page with what was done or refused."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from contrats import permissions as droits
from contrats import projets
from fiches.models import FicheAction

from ..commun.actions import executer
from .views import _document, _vers_le_document


@require_POST
def fiche_retirer(request, genre: str, pk: int, fiche: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    f = get_object_or_404(FicheAction.objects.select_related("territoire"), pk=fiche)
    if executer(projets.retirer_fiche, request=request, user=request.user, document=d, fiche=f):
        messages.success(request, f"Fiche {f.reference} retirée de l'annexe.")
    return _vers_le_document(d)


@require_POST
def signataire_retirer(request, genre: str, pk: int, signataire: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    s = get_object_or_404(d.signataires.all(), pk=signataire)
    if executer(projets.retirer_signataire, request=request, user=request.user, signataire=s):
        messages.success(request, f"{s.nom} retiré des signataires.")
    return _vers_le_document(d)
