"""Pages of a line's money: its commitments, payments and adjustments; the funder's entries;
the import of a funder's payments file, previewed then confirmed.

No rule here: lines come from financements.permissions (a line whose fiche one may not see
answers 404, and so does an entry that is not one's own: comptes.permissions.exiger), the
amounts are masked there, the writes go through financements.cycle and financements.tableur.
"""

from __future__ import annotations

import base64
import secrets as aleatoire

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from comptes.permissions import exiger
from financements import cycle, tableur
from financements.permissions import engagements_visibles, lignes_visibles, lire
from referentiel import saisie

from . import forms as ff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION = "financements_import"


def _ligne(request, pk: int):
    return get_object_or_404(
        lignes_visibles(request.user).select_related("fiche__territoire", "financeur", "mesure"),
        pk=pk,
    )


def _engagement(request, pk: int):
    e = get_object_or_404(engagements_visibles(request.user), pk=pk)
    return e, _ligne(request, e.ligne_id)


def _ouverte_a(request, ligne) -> bool:
    return cycle.ouverte(ligne, ligne.fiche.etat) and cycle.peut_financer(request.user, ligne)


def _exiger_financeur(request, ligne) -> None:
    # Not the funder of this line (or the line takes no money now): as if there were no page.
    exiger(_ouverte_a(request, ligne), cycle.REFUS_DROIT)


def _refus(form, exc: ValidationError) -> None:
    """The cycle's refusal on the form: beside its field where the form has it."""
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.message_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        for m in saisie.messages(exc):
            form.add_error(None, m)


@require_safe
def ligne(request, pk: int):
    li = _ligne(request, pk)
    return render(
        request,
        "financements/ligne.html",
        {
            "li": li,
            "f": li.fiche,
            "lu": lire(request.user, li),
            "peut": request.user.is_authenticated and _ouverte_a(request, li),
            "accordee": li.statut in cycle.LIGNES_ACCORDEES,
        },
    )


def _saisie(request, li, form, titre: str, action, engagement=None):
    """A form page: on a valid POST, the cycle writes (or refuses, nothing written)."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _refus(form, exc)
        else:
            messages.success(request, f"{titre} : enregistré.")
            return redirect("financements:ligne", pk=li.pk)
    return render(
        request,
        "financements/saisie.html",
        {
            "li": li,
            "f": li.fiche,
            "form": form,
            "titre": titre,
            "engagement": engagement,
            "lu": lire(request.user, li),
        },
    )


@login_required
def engager(request, pk: int):
    li = _ligne(request, pk)
    _exiger_financeur(request, li)

    def action(d):
        cycle.engager(user=request.user, ligne=li, **d)

    form = ff.EngagementForm(request.POST or None)
    return _saisie(request, li, form, "Engagement de la ligne", action)


@login_required
def payer(request, pk: int):
    e, li = _engagement(request, pk)
    _exiger_financeur(request, li)

    def action(d):
        cycle.payer(user=request.user, engagement=e, **d)

    form = ff.PaiementForm(request.POST or None)
    return _saisie(request, li, form, "Paiement", action, engagement=e)


@login_required
def ajuster(request, pk: int):
    e, li = _engagement(request, pk)
    _exiger_financeur(request, li)

    def action(d):
        if d["nature"] == "annulation":
            cycle.annuler(user=request.user, engagement=e, date=d["date"], motif=d["motif"])
        else:
            cycle.reduire(
                user=request.user,
                engagement=e,
                montant=d["montant"],
                date=d["date"],
                motif=d["motif"],
            )

    form = ff.AjustementForm(request.POST or None)
    return _saisie(request, li, form, "Réduction ou annulation de l'engagement", action, e)


# --- Import of a funder's payments file -------------------------------------------------------


@login_required
@require_safe
def modele(request):
    response = HttpResponse(tableur.modele(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="paiements.xlsx"'
    return response


@login_required
def importer(request):
    """Upload: a preview (nothing written) with every error by line; then the confirmation
    imports the same file, checked again (all or nothing)."""
    contexte = {"form": ff.ImportForm(), "colonnes": tableur.COLONNES}
    if request.method == "POST" and request.POST.get("jeton"):
        fichier = request.session.get(SESSION, {}).pop(request.POST["jeton"], None)
        request.session.modified = True
        if fichier is None:
            messages.error(request, "Aperçu expiré : déposez de nouveau le fichier.")
            return redirect("financements:import")
        contexte.update(_importer(request, base64.b64decode(fichier), dry_run=False))
    elif request.method == "POST":
        form = ff.ImportForm(request.POST, request.FILES)
        contexte["form"] = form
        if form.is_valid():
            contenu = form.cleaned_data["fichier"].read()
            contexte.update(_importer(request, contenu, dry_run=True))
            if "rapport" in contexte:
                jeton = aleatoire.token_urlsafe(16)
                # One pending preview per person: the file waits for its confirmation.
                request.session[SESSION] = {jeton: base64.b64encode(contenu).decode()}
                contexte["jeton"] = jeton
    return render(request, "financements/import.html", contexte)


def _importer(request, contenu: bytes, *, dry_run: bool) -> dict:
    try:
        with transaction.atomic():
            rapport = tableur.importer(contenu, user=request.user, dry_run=dry_run)
    except tableur.ImportInvalide as exc:
        return {"erreurs": exc.erreurs}
    if not dry_run:
        messages.success(request, " ".join(rapport.lignes_texte()))
    return {"rapport": rapport, "fait": not dry_run}
