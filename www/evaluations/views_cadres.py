"""Pages of the evaluation framework, kept by the national delegation: a version, its
sections, questions and indicators, its publication, a new version. No rule here: writes go
through evaluations.cadres (a version in use is frozen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from evaluations import cadres
from evaluations import permissions as droits
from evaluations.models import Cadre, IndicateurCadre, Question, Section
from referentiel import saisie

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


def _formulaire(request, titre, form, retour, erreurs, status=200):
    return render(
        request,
        "evaluations/formulaire.html",
        {"titre": titre, "form": form, "retour": retour, "erreurs": erreurs},
        status=status,
    )


@login_required
def cadre_nouveau(request):
    exiger(droits.peut_editer_cadre(request.user))
    form = NouveauCadreForm(request.POST or None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            c = cadres.creer_cadre(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Cadre créé : ajoutez ses sections et ses questions.")
            return redirect("evaluations:cadre", pk=c.pk)
    return _formulaire(request, "Nouveau cadre d'évaluation", form, None, erreurs)


@login_required
def cadre_modifier(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    form = CadreForm(
        request.POST or None, initial={"titre": c.titre, "introduction": c.introduction}
    )
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            cadres.modifier_cadre(user=request.user, cadre=c, **form.cleaned_data)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Cadre enregistré.")
            return redirect("evaluations:cadre", pk=c.pk)
    return _formulaire(request, f"Modifier : {c.titre}", form, c, erreurs)


def _element(c: Cadre, genre: str, element_pk: int | None):
    modele = GENRES[genre][0]
    if element_pk is None:
        return None
    if modele is Question:
        return get_object_or_404(Question, pk=element_pk, section__cadre=c)
    return get_object_or_404(modele, pk=element_pk, cadre=c)


@login_required
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
    erreurs = []
    if request.method == "POST" and form.is_valid():
        donnees = {k: v for k, v in form.cleaned_data.items() if not (k == "ordre" and v is None)}
        try:
            cadres.enregistrer(
                user=request.user, cadre=c, modele=modele, donnees=donnees, element=objet
            )
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Cadre enregistré.")
            return redirect("evaluations:cadre", pk=c.pk)
    titre = f"Ajouter {nom}" if objet is None else f"Modifier {nom}"
    return _formulaire(request, f"{titre} — {c.titre}", form, c, erreurs)


@login_required
@require_POST
def cadre_supprimer(request, pk: int, genre: str, element: int):
    if genre not in GENRES:
        raise Http404("Page introuvable.")
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    objet = _element(c, genre, element)
    try:
        cadres.supprimer(user=request.user, cadre=c, element=objet)
    except ValidationError as exc:
        for m in saisie.messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, "Élément retiré du cadre.")
    return redirect("evaluations:cadre", pk=c.pk)


@login_required
@require_POST
def cadre_publier(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    try:
        cadres.publier(user=request.user, cadre=c)
    except ValidationError as exc:
        for m in saisie.messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, "Cadre publié : les nouvelles évaluations le suivent.")
    return redirect("evaluations:cadre", pk=c.pk)


@login_required
@require_POST
def cadre_version(request, pk: int):
    c = _cadre(request, pk)
    exiger(droits.peut_editer_cadre(request.user))
    try:
        v = cadres.nouvelle_version(user=request.user, cadre=c)
    except ValidationError as exc:
        for m in saisie.messages(exc):
            messages.error(request, m)
        return redirect("evaluations:cadre", pk=c.pk)
    messages.success(request, f"Version {v.version} créée : modifiez-la, puis publiez-la.")
    return redirect("evaluations:cadre", pk=v.pk)
