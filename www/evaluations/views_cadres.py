"""Pages of the evaluation framework, kept by the national delegation: a version, its
sections, questions and indicators, its publication, a new version. No rule here: writes go
through evaluations.cadres (a version in use is frozen)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from evaluations import cadres
from evaluations import permissions as droits
from evaluations.models import Cadre, IndicateurCadre, Question, Section

from ..commun.actions import executer, soumis
from .forms import CadreForm, IndicateurForm, NouveauCadreForm, QuestionForm, SectionForm

GENRES = {
    "section": (Section, SectionForm, "une section"),
    "question": (Question, QuestionForm, "une question"),
    "indicateur": (IndicateurCadre, IndicateurForm, "un indicateur"),
}


def _cadre(request, pk: int) -> Cadre:
    return get_object_or_404(droits.cadres_visibles(request.user).select_related("phase"), pk=pk)


def cadre(request, pk: int):
    c = _cadre(request, pk)
    user = request.user
    editeur = droits.peut_editer_cadre(user)
    fige = c.fige
    derniere = Cadre.objects.filter(phase=c.phase).order_by("-version").first()
    return render(
        request,
        "evaluations/cadre.html",
        {
            "c": c,
            "sections": c.sections.prefetch_related("questions"),
            "indicateurs": c.indicateurs.all(),
            "fige": fige,
            "peut_editer": editeur and not fige,
            "peut_publier": editeur and not c.publie_le and derniere == c,
            "peut_versionner": editeur and c.publie_le and derniere == c,
            "versions": droits.cadres_visibles(user).filter(phase=c.phase).exclude(pk=c.pk),
            "nb_evaluations": c.evaluations.count(),
        },
    )


def _formulaire(request, titre, form, cadre=None):
    retour = (
        reverse("evaluations:cadre", args=[cadre.pk]) if cadre else reverse("evaluations:index")
    )
    return render(
        request, "evaluations/formulaire.html", {"titre": titre, "form": form, "retour": retour}
    )


def cadre_nouveau(request):
    exiger(droits.peut_editer_cadre(request.user))
    form = NouveauCadreForm(request.POST or None)
    if soumis(request, form) and (
        issue := executer(cadres.creer_cadre, form=form, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, "Cadre créé : ajoutez ses sections et ses questions.")
        return redirect("evaluations:cadre", pk=issue.resultat.pk)
    return _formulaire(request, "Nouveau cadre d'évaluation", form)


def cadre_modifier(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    form = CadreForm(
        request.POST or None, initial={"titre": c.titre, "introduction": c.introduction}
    )
    if soumis(request, form) and executer(
        cadres.modifier_cadre, form=form, user=request.user, cadre=c, **form.cleaned_data
    ):
        messages.success(request, "Cadre enregistré.")
        return redirect("evaluations:cadre", pk=c.pk)
    return _formulaire(request, f"Modifier : {c.titre}", form, c)


def _element(c: Cadre, genre: str, element_pk: int | None):
    modele = GENRES[genre][0]
    if element_pk is None:
        return None
    if modele is Question:
        return get_object_or_404(Question, pk=element_pk, section__cadre=c)
    return get_object_or_404(modele, pk=element_pk, cadre=c)


def cadre_element(request, pk: int, genre: str, element: int | None = None):
    """Adds or changes a section, a question or an indicator of the framework."""
    if genre not in GENRES:
        raise Http404("Page introuvable.")
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    modele, form_class, nom = GENRES[genre]
    objet = _element(c, genre, element)
    initial = {}
    if objet is not None:
        initial = {f: getattr(objet, f) for f in cadres.CHAMPS[modele]}
        if modele is Question:
            initial["modalites"] = "\n".join(objet.modalites)
    kw = {"cadre": c} if modele is Question else {}
    form = form_class(request.POST or None, initial=initial, **kw)
    if soumis(request, form):
        donnees = {k: v for k, v in form.cleaned_data.items() if not (k == "ordre" and v is None)}
        if executer(
            cadres.enregistrer,
            form=form,
            user=request.user,
            cadre=c,
            modele=modele,
            donnees=donnees,
            element=objet,
        ):
            messages.success(request, "Cadre enregistré.")
            return redirect("evaluations:cadre", pk=c.pk)
    titre = f"Ajouter {nom}" if objet is None else f"Modifier {nom}"
    return _formulaire(request, f"{titre} — {c.titre}", form, c)


@require_POST
def cadre_supprimer(request, pk: int, genre: str, element: int):
    if genre not in GENRES:
        raise Http404("Page introuvable.")
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    objet = _element(c, genre, element)
    if executer(cadres.supprimer, request=request, user=request.user, cadre=c, element=objet):
        messages.success(request, "Élément retiré du cadre.")
    return redirect("evaluations:cadre", pk=c.pk)


@require_POST
def cadre_publier(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    if executer(cadres.publier, request=request, user=request.user, cadre=c):
        messages.success(request, "Cadre publié : les nouvelles évaluations le suivent.")
    return redirect("evaluations:cadre", pk=c.pk)


@require_POST
def cadre_version(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    issue = executer(cadres.nouvelle_version, request=request, user=request.user, cadre=c)
    if not issue:
        return redirect("evaluations:cadre", pk=c.pk)
    v = issue.resultat
    messages.success(request, f"Version {v.version} créée : modifiez-la, puis publiez-la.")
    return redirect("evaluations:cadre", pk=v.pk)
