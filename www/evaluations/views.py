"""Pages of the territories' evaluations: a territory's evaluations, an evaluation, its
answers, its moves and reviews, its documents; the national consolidation and the indicators
compared across territories. No rule here: reads come from evaluations.permissions (out of
scope: 404), writes go through evaluations.services and evaluations.cycle."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from evaluations import chiffres, consolidation, cycle, documents, indicateurs, services
from evaluations import permissions as droits
from evaluations.cadres import cadre_en_vigueur
from evaluations.enums import EtatEvaluation, NatureEvaluation
from evaluations.models import Evaluation
from evaluations.selectors import questionnaire
from referentiel import saisie
from territoires.models import Phase, Territoire
from territoires.selectors import phase_courante

from ..commun.actions import executer, soumis
from .forms import MouvementForm, ReponsesForm, RevueForm, initial_reponses

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _evaluation(request, pk: int):
    qs = droits.evaluations_visibles(request.user).select_related(
        "territoire", "territoire__phase", "cadre"
    )
    return get_object_or_404(qs, pk=pk)


def _phase(request) -> Phase:
    numero = saisie.entier(request.GET.get("phase", ""))
    phase = Phase.objects.filter(pk=numero).first() if numero is not None else None
    return phase or phase_courante() or Phase.objects.last()


def index(request):
    user = request.user
    evaluations = (
        droits.evaluations_visibles(user)
        .select_related("territoire", "territoire__phase")
        .order_by("territoire__phase", "territoire__code", "nature")
    )
    return render(
        request,
        "evaluations/index.html",
        {
            "cadres": droits.cadres_visibles(user).select_related("phase"),
            "evaluations": evaluations,
            "peut_editer_cadre": droits.peut_editer_cadre(user),
            "peut_consolider": droits.peut_consolider(user),
            "natures": NatureEvaluation.choices,
            "phase": phase_courante(),
        },
    )


def territoire(request, phase: int, code: str):
    t = get_object_or_404(Territoire.objects.select_related("phase"), phase_id=phase, code=code)
    user = request.user
    existantes = {e.nature: e for e in t.evaluations.all()}
    visibles = droits.evaluations_visibles(user).filter(territoire=t)
    peut_rediger = droits.peut_rediger(user, t)
    return render(
        request,
        "evaluations/territoire.html",
        {
            "t": t,
            "evaluations": visibles.select_related("cadre"),
            "cadre": cadre_en_vigueur(t.phase_id),
            "a_creer": [(n, label) for n, label in NatureEvaluation.choices if n not in existantes]
            if peut_rediger
            else [],
        },
    )


@require_POST
def nouvelle(request, phase: int, code: str, nature: str):
    t = get_object_or_404(Territoire, phase_id=phase, code=code)
    exiger(droits.peut_rediger(request.user, t))
    issue = executer(
        services.creer_evaluation, request=request, user=request.user, territoire=t, nature=nature
    )
    if not issue:
        return redirect("evaluations:territoire", phase=t.phase_id, code=t.code)
    e = issue.resultat
    messages.success(request, f"{e.get_nature_display()} ouverte : à vous de la rédiger.")
    return redirect("evaluations:modifier", pk=e.pk)


def evaluation(request, pk: int):
    e = _evaluation(request, pk)
    user = request.user
    c = chiffres.chiffres_de(e)
    return render(
        request,
        "evaluations/evaluation.html",
        {
            "e": e,
            "t": e.territoire,
            "questionnaire": questionnaire(e),
            "chiffres": c,
            "tableaux": documents.tableaux(c),
            "revues": e.revues.select_related("par__personne__organisation"),
            "parcours": [
                (tr, cycle.LIBELLES.get(tr.action, tr.action))
                for tr in e.transitions.select_related("par__personne")
            ],
            "peut_modifier": droits.peut_modifier(user, e),
            "mouvements": [
                (n, cycle.MOUVEMENTS[n].libelle) for n in cycle.mouvements_possibles(user, e)
            ],
            "revues_possibles": droits.revues_possibles(user, e),
            "en_redaction": e.etat == EtatEvaluation.REDACTION,
        },
    )


def modifier(request, pk: int):
    e = _evaluation(request, pk)
    exiger(droits.peut_modifier(request.user, e))
    q = questionnaire(e)
    data = request.POST.copy() if request.method == "POST" else None
    form = ReponsesForm(data, initial=initial_reponses(e, q), questionnaire=q)
    issue = None
    if soumis(request, form):
        issue = executer(
            services.enregistrer_reponses,
            user=request.user,
            conflit_sur="cette évaluation",
            evaluation=e,
            version=form.cleaned_data["version"],
            reponses=form.reponses(),
        )
        if issue:
            messages.success(request, "Réponses enregistrées.")
            return redirect("evaluations:evaluation", pk=e.pk)
        if issue.conflit:
            # Ready to be saved over the current version, the input kept.
            data["version"] = Evaluation.objects.get(pk=e.pk).version
    conflit = issue.conflit.differences if issue is not None and issue.conflit else None
    return render(
        request,
        "evaluations/modifier.html",
        {
            "e": e,
            "t": e.territoire,
            "form": form,
            "conflit": conflit,
            "erreurs": issue.erreurs if issue is not None else [],
        },
        status=409 if conflit else 200,
    )


def mouvement(request, pk: int, nom: str):
    e = _evaluation(request, pk)
    if nom not in cycle.MOUVEMENTS:
        raise Http404("Page introuvable.")
    exiger(nom in cycle.mouvements_possibles(request.user, e))
    form = MouvementForm(request.POST or None, commentaire_requis=nom == "renvoyer")
    if soumis(request, form) and executer(
        getattr(cycle, nom), form=form, user=request.user, evaluation=e, **form.cleaned_data
    ):
        messages.success(request, f"{cycle.LIBELLES[nom]} enregistrée.")
        return redirect("evaluations:evaluation", pk=e.pk)
    return _formulaire(request, e, cycle.MOUVEMENTS[nom].libelle, form)


def revue(request, pk: int):
    e = _evaluation(request, pk)
    roles = droits.revues_possibles(request.user, e)
    exiger(bool(roles))
    form = RevueForm(request.POST or None, roles=roles)
    if soumis(request, form) and executer(
        cycle.reviser, form=form, user=request.user, evaluation=e, **form.cleaned_data
    ):
        messages.success(request, "Revue enregistrée.")
        return redirect("evaluations:evaluation", pk=e.pk)
    return _formulaire(request, e, "Donner la revue", form)


def _formulaire(request, e, titre: str, form):
    retour = reverse("evaluations:evaluation", args=[e.pk])
    return render(
        request,
        "evaluations/formulaire.html",
        {"e": e, "t": e.territoire, "titre": titre, "form": form, "retour": retour},
    )


def telecharger(request, pk: int, format: str):
    e = _evaluation(request, pk)
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    contenu = documents.docx(e) if format == "docx" else documents.pdf(e)
    response = HttpResponse(contenu, content_type=FORMATS[format])
    nom = f"evaluation-{e.nature.replace('_', '-')}-{e.territoire.code}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


def consolider(request):
    exiger(droits.peut_consolider(request.user))
    phase = _phase(request)
    nature = request.GET.get("nature")
    if nature not in NatureEvaluation.values:
        nature = NatureEvaluation.MI_PARCOURS
    validees = request.GET.get("validees") == "1"
    c = consolidation.consolider(request.user, phase.pk, nature, validees=validees)
    export = request.GET.get("format")
    if export in ("xlsx", "csv"):
        nom = f"consolidation-{nature.replace('_', '-')}-phase-{phase.pk}.{export}"
        if export == "xlsx":
            response = HttpResponse(consolidation.xlsx(c), content_type=XLSX)
        else:
            response = HttpResponse(consolidation.en_csv(c), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{nom}"'
        return response
    return render(
        request,
        "evaluations/consolidation.html",
        {
            "c": c,
            "reponses": consolidation.affichage(c.reponses),
            "chiffres": consolidation.affichage(c.chiffres),
            "phase": phase,
            "phases": Phase.objects.all(),
            "nature": nature,
            "natures": NatureEvaluation.choices,
            "validees": validees,
            "query": request.GET.urlencode(),
        },
    )


def comparer_indicateurs(request):
    """The fiches' indicators shared by territories, and one compared across them: what the
    reader may see of the fiches (contracted fiches are public)."""
    phase = _phase(request)
    libelle, unite = request.GET.get("libelle", ""), request.GET.get("unite", "")
    lignes = indicateurs.comparer(request.user, phase.pk, libelle, unite) if libelle else []
    return render(
        request,
        "evaluations/indicateurs.html",
        {
            "phase": phase,
            "phases": Phase.objects.all(),
            "communs": indicateurs.communs(request.user, phase.pk),
            "libelle": libelle,
            "unite": unite,
            "lignes": lignes,
        },
    )
