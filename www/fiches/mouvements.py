"""What moves a fiche: a move along the validation path (fiches.cycle), a funder's decision
on its line, a comment. Who may do it is asked of comptes.permissions first (404 otherwise);
the domain refuses the rest, with its French message, nothing changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from comptes.permissions import autoriser, exiger, peut_lire_secrets
from fiches import cycle, services
from fiches.controles import controler, lisibles

from ..commun.actions import executer, signaler, soumis
from . import forms as ff
from .acces import fiche_visible


def fiche_mouvement(request, uuid, nom: str):
    f = fiche_visible(request, uuid)
    m = cycle.MOUVEMENTS.get(nom)
    if m is None:
        raise Http404("Mouvement inconnu.")
    exiger(autoriser(request.user, m.permission, f))
    form = ff.MouvementForm(
        request.POST or None,
        avec_avis=m.avec_avis,
        avec_decision=m.instance is not None,
    )
    if soumis(request, form):
        d = form.cleaned_data
        if executer(
            cycle.appliquer,
            form=form,
            user=request.user,
            fiche=f,
            mouvement=nom,
            date_effet=d["date_effet"],
            motif=d.get("motif", ""),
            avis=d.get("avis", ""),
            decision_texte=d.get("decision_texte", ""),
        ):
            messages.success(request, f"« {m.libelle} » : enregistré.")
            return redirect("fiches:detail", uuid=f.uuid)
    return render(
        request,
        "fiches/mouvement.html",
        {
            "f": f,
            "m": m,
            "nom": nom,
            "form": form,
            "possible": m.possible(f.etat),
            # Before submitting, what the checks find (a plan that does not cover the cost…):
            # the person confirms knowing it.
            "controles": lisibles(request.user, f, controler(f)) if nom == "soumettre" else None,
            "chiffres": peut_lire_secrets(request.user, f),
            # Inscription is the contract's signature: the page says so, offers no form.
            "par_signature": cycle.refus_par_signature(m) if m.par_signature else "",
        },
    )


@require_POST
def fiche_decider_ligne(request, uuid):
    f = fiche_visible(request, uuid)
    retour = reverse("fiches:detail", args=[f.uuid]) + "#plan-de-financement"
    form = ff.DecisionLigneForm(request.POST)
    if not form.is_valid():
        signaler(request, form, prefixe="Décision non enregistrée : ")
        return redirect(retour)
    ligne = get_object_or_404(f.lignes.all(), pk=form.cleaned_data["ligne"])
    exiger(autoriser(request.user, "decider_ligne", ligne))
    if executer(
        cycle.decider_ligne,
        request=request,
        prefixe="Décision non enregistrée : ",
        user=request.user,
        ligne=ligne,
        statut=form.cleaned_data["statut"],
        date_effet=form.cleaned_data["date_effet"],
        motif=form.cleaned_data["motif"],
    ):
        messages.success(request, "Décision enregistrée.")
    return redirect(retour)


@require_POST
def fiche_commenter(request, uuid):
    f = fiche_visible(request, uuid)
    form = ff.CommentaireForm(request.POST)
    if not form.is_valid():
        signaler(request, form)
    elif executer(
        services.commenter,
        request=request,
        user=request.user,
        fiche=f,
        texte=form.cleaned_data["texte"],
    ):
        messages.success(request, "Commentaire ajouté.")
    return redirect(reverse("fiches:detail", args=[f.uuid]) + "#commentaires")
