"""The page of a fiche-action: its content, its financing plan with each funder's decisions,
its path along the validation with the delays between steps, its checks, comments, execution
follow-up and attachments. Secret fields are read through comptes.secrets (masked, or shown
and logged); what the person may do comes from fiches.permissions and fiches.cycle."""

from __future__ import annotations

from django.shortcuts import render

from comptes import secrets
from comptes.permissions import autoriser, organisation_visible, peut_lire_secrets
from fiches import cycle
from fiches import permissions as droits
from fiches.controles import controler, lisibles
from fiches.enums import STATUTS_CHOISIS
from fiches.lecture import Annexes, annexes, similaires_visibles
from fiches.models import FicheAction
from fiches.selectors import delais
from financements.selectors import annoter, totaux_fiche

from . import forms as ff
from .acces import fiche_visible


def fiche(request, uuid):
    return page_fiche(request, fiche_visible(request, uuid))


def _lignes(user, f: FicheAction, ctx) -> list:
    """The lines of the plan, each with its amount as the person may read it, its money
    (financements.selectors) and the decisions its funder may now take on it (fiches.cycle)."""
    lignes = list(annoter(f.lignes.select_related("financeur", "mesure")))
    for li in lignes:
        li.fiche = f
        [li.montant_champ] = secrets.champs(user, li, ["montant"], ctx=li.contexte_acces(ctx))
        li.decisions = [(s, s.label) for s in cycle.decisions_possibles(li, f.etat)]
        li.peut_decider = bool(li.decisions) and autoriser(user, "decider_ligne", li)
    return lignes


def _transitions(a: Annexes) -> list:
    for tr in a.transitions:
        tr.libelle = cycle.libelle_action(tr.action)
    return a.transitions


def _formulaires_de_suivi(user, f, a: Annexes, suivi_form, mesure_forms, piece_form) -> dict:
    """The small forms of the follow-up, empty, or bound with their errors when what was typed
    could not be saved; only to those who may use them."""
    peut_suivre = droits.peut_suivre(user, f)
    if suivi_form is None and peut_suivre:
        courant = {
            "phase": f.phase_execution,
            "statut": f.statut_execution if f.statut_execution in STATUTS_CHOISIS else "",
        }
        suivi_form = ff.SuiviForm(prefix="suivi", initial=courant)
    indicateurs = a.indicateurs
    for i in indicateurs:
        i.mesure_form = mesure_forms.get(i.pk)
        if i.mesure_form is None and peut_suivre:
            i.mesure_form = ff.MesureIndicateurForm(prefix=f"mesure-{i.pk}")
    if piece_form is None and user.is_authenticated and autoriser(user, "modifier", f):
        piece_form = ff.PieceJointeForm(prefix="piece")
    en_erreur = any(
        form is not None and form.is_bound and form.errors
        for form in (suivi_form, piece_form, *mesure_forms.values())
    )
    return {
        "suivi_form": suivi_form,
        "piece_form": piece_form,
        "indicateurs": indicateurs,
        "en_erreur": en_erreur,
    }


def _echanges(user, a: Annexes) -> dict:
    """Notes, comments and attachments: for signed-in people who see the fiche."""
    if not user.is_authenticated:
        return {"pieces_jointes": [], "notes": [], "commentaires": [], "commentaire_form": None}
    return {
        "pieces_jointes": a.pieces_jointes,
        "notes": a.notes,
        "commentaires": a.commentaires,
        "commentaire_form": ff.CommentaireForm(),
    }


def page_fiche(request, f: FicheAction, *, suivi_form=None, mesure_forms=None, piece_form=None):
    """The detail page; a follow-up form comes back bound, with its errors, when what was
    typed could not be saved. The secrets read are logged together, in one write, before the
    page goes out (comptes.secrets.journal_groupe)."""
    with secrets.journal_groupe():
        return _page(request, f, suivi_form, mesure_forms or {}, piece_form)


def _page(request, f: FicheAction, suivi_form, mesure_forms, piece_form):
    user = request.user
    ctx = f.contexte_acces()  # once for the fiche, its lines, totals and checks
    lignes = _lignes(user, f, ctx)
    general, par_financeur = totaux_fiche(user, f, lignes, ctx=ctx)
    a = annexes(f)
    transitions = _transitions(a)
    return render(
        request,
        "fiches/detail.html",
        {
            **_formulaires_de_suivi(user, f, a, suivi_form, mesure_forms, piece_form),
            **_echanges(user, a),
            "f": f,
            "champs": {c.nom: c for c in secrets.champs(user, f, FicheAction.SECRETABLE, ctx=ctx)},
            "porteur_visible": organisation_visible(user, f.porteur),
            "partenaires": a.partenaires,
            "epcis": a.epcis,
            "communes": a.communes,
            "mesures": a.mesures,
            "lignes": lignes,
            "general": general,
            "par_financeur": par_financeur,
            "transitions": transitions,
            "delais": delais(transitions, lignes),
            "statut": f.statut_execution_derive(),
            "controles": lisibles(user, f, controler(f, lignes=lignes), ctx=ctx),
            "chiffres": peut_lire_secrets(user, f, ctx),
            "similaires": similaires_visibles(user, f),
            "mouvements": [(n, cycle.MOUVEMENTS[n]) for n in cycle.mouvements_possibles(user, f)],
            "peut_modifier": droits.peut_modifier(user, f),
            "connecte": user.is_authenticated,
        },
    )
