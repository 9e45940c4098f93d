"""The execution follow-up of an inscribed fiche (phase, status, dated notes, indicators'
measures) and its attachments. A refused input shows the fiche's page again with the form
bound, its errors beside the fields: nothing typed is lost."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from comptes.permissions import autoriser, exiger
from comptes.pieces import reponse_piece
from fiches import services

from ..commun.actions import executer
from . import forms as ff
from .acces import fiche_visible
from .page import page_fiche


def _vers(f, ancre: str):
    return redirect(reverse("fiches:detail", args=[f.uuid]) + f"#{ancre}")


@require_POST
def fiche_suivre(request, uuid):
    f = fiche_visible(request, uuid)
    exiger(autoriser(request.user, "suivre_fiche", f))
    form = ff.SuiviForm(request.POST, prefix="suivi")
    if form.is_valid() and executer(
        services.suivre, form=form, user=request.user, fiche=f, **form.cleaned_data
    ):
        messages.success(request, "Suivi d'exécution enregistré.")
        return _vers(f, "suivi")
    return page_fiche(request, f, suivi_form=form)


@require_POST
def fiche_mesurer(request, uuid, pk: int):
    f = fiche_visible(request, uuid)
    exiger(autoriser(request.user, "suivre_fiche", f))
    indicateur = get_object_or_404(f.indicateurs.all(), pk=pk)
    form = ff.MesureIndicateurForm(request.POST, prefix=f"mesure-{indicateur.pk}")
    if form.is_valid() and executer(
        services.mesurer, form=form, user=request.user, indicateur=indicateur, **form.cleaned_data
    ):
        messages.success(request, f"Mesure de « {indicateur.libelle} » enregistrée.")
        return _vers(f, f"indicateur-{indicateur.pk}")
    return page_fiche(request, f, mesure_forms={indicateur.pk: form})


@require_POST
def fiche_piece_ajouter(request, uuid):
    f = fiche_visible(request, uuid)
    exiger(autoriser(request.user, "modifier", f))
    form = ff.PieceJointeForm(request.POST, request.FILES, prefix="piece")
    if form.is_valid() and (
        ajout := executer(
            services.ajouter_piece_jointe,
            form=form,
            user=request.user,
            fiche=f,
            **form.cleaned_data,
        )
    ):
        messages.success(request, f"Pièce jointe « {ajout.resultat.titre} » ajoutée.")
        return _vers(f, "pieces-jointes")
    return page_fiche(request, f, piece_form=form)


@require_safe
def fiche_piece_jointe(request, uuid, pk: int):
    """The file, only to those who see the fiche (404 otherwise): never a public media URL."""
    f = fiche_visible(request, uuid)
    piece = get_object_or_404(f.pieces_jointes.all(), pk=pk)
    # Downloaded under its title, with the extension of the stored (checked) file.
    return reponse_piece(piece.fichier, piece.titre)
