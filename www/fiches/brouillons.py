"""The creation of a fiche in steps keeps what was typed in the session, step by step, until
the fiche is saved: nothing typed is lost, whichever step is corrected. Here: the steps, the
drafts of the session, the forms of a step, and the fiche assembled from all of them."""

from __future__ import annotations

import secrets as aleatoire
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict

from comptes.permissions import peut_lire_secrets
from fiches import permissions as droits
from fiches import services
from fiches.controles import controler, lisibles
from fiches.models import FicheAction
from territoires.models import Territoire

from . import forms as ff
from . import forms_etapes as fe

SESSION = "fiches_brouillons"
BROUILLONS_GARDES = 10  # per session: the oldest drafts are dropped beyond this


@dataclass(frozen=True)
class Etape:
    nom: str
    titre: str


ETAPES = (
    Etape("action", "L'action"),
    Etape("contenu", "Contenu"),
    Etape("perimetre", "Périmètre et calendrier"),
    Etape("financement", "Plan de financement"),
    Etape("verification", "Vérification"),
)
PAR_NOM = {e.nom: e for e in ETAPES}


# --- The drafts of the session ------------------------------------------------------------


def _brouillons(request) -> dict:
    return request.session.setdefault(SESSION, {})


def nouveau(request, territoire: Territoire) -> str:
    """A new draft for `territoire`; its key names it in the address of its steps."""
    brouillons = _brouillons(request)
    while len(brouillons) >= BROUILLONS_GARDES:
        brouillons.pop(next(iter(brouillons)))
    cle = aleatoire.token_urlsafe(12)
    brouillons[cle] = {"territoire": territoire.pk, "etapes": {}}
    request.session.modified = True
    return cle


def lire(request, cle: str) -> tuple[dict, Territoire]:
    """The draft and its territory, where the person may still create a fiche (else 404)."""
    b = _brouillons(request).get(cle)
    if b is None:
        raise Http404("Brouillon introuvable.")
    t = get_object_or_404(Territoire.objects.select_related("phase"), pk=b["territoire"])
    if not droits.peut_creer_ici(request.user, t):
        raise Http404("Page introuvable.")
    return b, t


def garder(request, brouillon: dict, etape: str, saisi: dict) -> None:
    brouillon["etapes"][etape] = saisi
    request.session.modified = True


def oublier(request, cle: str) -> None:
    _brouillons(request).pop(cle, None)
    request.session.modified = True


def donnees(brouillon: dict, etape: str) -> MultiValueDict | None:
    saisi = brouillon["etapes"].get(etape)
    return MultiValueDict(saisi) if saisi is not None else None


def _esquisse(brouillon: dict) -> FicheAction:
    """The fiche as its first step describes it: its axis, whether it carries a request."""
    action = brouillon["etapes"].get("action", {})
    return FicheAction(
        axe=(action.get("axe") or [""])[0],
        demande_simplification=bool((action.get("demande_simplification") or [""])[0]),
    )


def simplification(brouillon: dict) -> bool:
    """A simplification request: its problem and routing are asked for (FicheAction)."""
    return _esquisse(brouillon).est_simplification


def etapes(brouillon: dict) -> list[Etape]:
    """The steps of this draft: without the financing plan where the fiche needs none."""
    if _esquisse(brouillon).plan_de_financement_facultatif:
        return [e for e in ETAPES if e.nom != "financement"]
    return list(ETAPES)


# --- The forms of a step ------------------------------------------------------------------


def formulaires(user, territoire, etape: str, data, simplification: bool) -> dict:
    """The forms of one step, bound to `data` (the saved input) when there is some."""
    if etape == "action":
        return {
            "form": fe.EtapeActionForm(
                data,
                porteurs=droits.porteurs_possibles(user, territoire),
                partenaires=ff.porteurs_possibles(user),
                phase=territoire.phase_id,
            )
        }
    if etape == "contenu":
        return {
            "form": fe.EtapeContenuForm(
                data, simplification=simplification, phase=territoire.phase_id
            )
        }
    if etape == "perimetre":
        return {"form": fe.EtapePerimetreForm(data, territoire=territoire)}
    if etape == "financement":
        return {
            "form": fe.EtapeFinancementForm(data),
            "lignes": fe.LignesFormSet(
                data, prefix="lignes", financeurs=ff.financeurs_possibles(user)
            ),
            "indicateurs": fe.IndicateursFormSet(data, prefix="indicateurs"),
        }
    return {}


def formulaires_de(user, territoire, brouillon: dict, etape: str) -> dict:
    """The forms of a step of this draft, bound to what was saved for it."""
    return formulaires(
        user, territoire, etape, donnees(brouillon, etape), simplification(brouillon)
    )


def valides(formulaires: dict) -> bool:
    return all(f.is_valid() for f in formulaires.values())


def premiere_a_corriger(user, territoire, brouillon: dict, avant: list[Etape]) -> Etape | None:
    """The first of the steps `avant` that is missing or invalid: a later step is reached only
    once the earlier ones are valid."""
    for e in avant:
        if donnees(brouillon, e.nom) is None:
            return e
        if not valides(formulaires_de(user, territoire, brouillon, e.nom)):
            return e
    return None


# --- The fiche assembled from its steps ---------------------------------------------------


@dataclass
class Assemblage:
    donnees: dict
    m2m: dict
    lignes: list
    indicateurs: list


def assembler(user, territoire, brouillon) -> tuple[Assemblage | None, Etape | None]:
    """Everything the steps hold, validated; or the first step to correct."""
    a = Assemblage({}, {}, [], [])
    for e in etapes(brouillon):
        if e.nom == "verification":
            break
        if donnees(brouillon, e.nom) is None:
            return None, e
        fs = formulaires_de(user, territoire, brouillon, e.nom)
        if not valides(fs):
            return None, e
        for nom, valeur in fs["form"].cleaned_data.items():
            if nom in services.M2M_FICHE:
                a.m2m[nom] = list(valeur)
            else:
                a.donnees[nom] = valeur
        if e.nom == "financement":
            a.lignes = fs["lignes"].lignes()
            a.indicateurs = fe.indicateurs(fs["indicateurs"])
    return a, None


def creer(*, user, territoire, assemblage: Assemblage) -> FicheAction:
    return services.creer_fiche(
        user=user,
        territoire=territoire,
        donnees=assemblage.donnees,
        lignes=assemblage.lignes,
        m2m=assemblage.m2m,
        indicateurs=assemblage.indicateurs,
    )


def apercu(*, user, territoire, assemblage: Assemblage) -> tuple[list, bool]:
    """The checks of the fiche as it would be saved, computed on a trial write rolled back:
    nothing is kept. Returns the checks and whether the person may read their figures."""
    with transaction.atomic():
        fiche = creer(user=user, territoire=territoire, assemblage=assemblage)
        controles = lisibles(user, fiche, controler(fiche))
        chiffres = peut_lire_secrets(user, fiche)
        transaction.set_rollback(True)
    return controles, chiffres
