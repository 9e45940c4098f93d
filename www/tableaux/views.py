"""Dashboards (national, régional, territorial) and the tracking table of the deployment: no
rule here. Who sees which dashboard, and every figure, come from suivi.tableaux; the tracking
table's columns, filters and orders from contrats.suivi; the figures, their tables and their
exports from .figures. `?figure=<slug>&format=csv|xlsx` downloads one figure's table, the page's
filters kept, building that figure alone."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from comptes import memoire
from contrats import suivi as deploiement
from referentiel.models import Region
from suivi import tableaux

from . import contenu, contenu_suivi
from .figures import Colonne, avec_exports, figure, reponse, triable
from .forms import FiltresDeploiementForm


@dataclass(frozen=True)
class Section:
    ancre: str
    titre: str
    figures: tuple


DEPLOIEMENT = "deploiement"
FICHES = Section("fiches", "Fiches-actions", (contenu.fiches_etapes, contenu.fiches_classement))
DELAIS = Section(
    "delais",
    "Délais d'instruction",
    (
        contenu_suivi.delais_etapes,
        contenu_suivi.delais_financeurs,
        contenu_suivi.delais_en_retard,
        contenu_suivi.delais_attentes,
    ),
)
INDICATEURS = Section(
    "indicateurs", "Indicateurs", (contenu.indicateurs, contenu.indicateur_comparaison)
)
CARTE = Section("carte", "Carte", (contenu.carte,))
ARGENT = (
    contenu_suivi.financements_montants,
    contenu_suivi.financements_taux,
    contenu_suivi.financements_repartition,
)
SECTIONS = {
    tableaux.NATIONAL: (
        Section(
            DEPLOIEMENT, "Déploiement", (contenu.deploiement_etapes, contenu.deploiement_regions)
        ),
        FICHES,
        Section(
            "financements",
            "Financements",
            (*ARGENT, contenu_suivi.financements_financeurs, contenu_suivi.financements_annonces),
        ),
        DELAIS,
        INDICATEURS,
        CARTE,
    ),
    tableaux.REGION: (
        Section(
            DEPLOIEMENT,
            "Déploiement",
            (contenu.deploiement_etapes, contenu.deploiement_territoires),
        ),
        FICHES,
        Section("financements", "Financements", (*ARGENT, contenu_suivi.financements_financeurs)),
        DELAIS,
        INDICATEURS,
        CARTE,
    ),
    tableaux.TERRITOIRE: (
        Section(DEPLOIEMENT, "Déploiement", (contenu.deploiement_territoire,)),
        FICHES,
        Section("financements", "Financements", ARGENT),
        DELAIS,
        INDICATEURS,
    ),
}


def _slug(fabrique) -> str:
    return fabrique.__name__.replace("_", "-")


def _phase(request) -> int | None:
    return deploiement.phase_montree(request.GET.get("phase", ""))


def _contenu(t: tableaux.Tableau, sections, choix: dict, query) -> str:
    """The sections of the dashboard, their figures built and rendered (HTML, safe)."""
    construites = [
        (s, [avec_exports(replace(f(t, choix), slug=_slug(f)), query) for f in s.figures])
        for s in sections
    ]
    contexte = {
        "echelle": t.echelle,
        "sections": construites,
        "choix": choix,
        "indicateurs": t.indicateurs,
        "indicateur": t.indicateur_compare(choix["indicateur"]),
        "figures_carte": [(k, v[0]) for k, v in tableaux.FIGURES_CARTE.items()],
        "figure_carte": choix["carte"] or tableaux.FIGURE_CARTE_DEFAUT,
    }
    return mark_safe(render_to_string("tableaux/_sections.html", contexte))  # noqa: S308


def _rendre(request, echelle: tableaux.Echelle, **contexte):
    """The dashboard of `echelle`, or one figure's table as a file. Its figures are kept per
    version of the data, day and reader (comptes.memoire): read again, they cost one query."""
    t = tableaux.Tableau(request.user, echelle)
    choix = {k: request.GET.get(k, "") for k in ("phase", "carte", "indicateur")}
    sections = SECTIONS[echelle.niveau]
    demandee = request.GET.get("figure")
    if demandee:
        for fabrique in (f for s in sections for f in s.figures):
            if _slug(fabrique) == demandee:
                fig = memoire.memoriser(
                    "figure",
                    request.get_full_path(),
                    request.user,
                    lambda: replace(fabrique(t, choix), slug=demandee),  # noqa: B023
                )
                return reponse(fig, request.GET.get("format", "csv"))
        raise Http404("Figure inconnue.")
    query = request.GET.copy()
    query.pop("figure", None)
    query.pop("format", None)
    # Rendered once per version of the data, day and reader: its tables are most of the time.
    contenu = memoire.memoriser(
        "tableau",
        request.get_full_path(),
        request.user,
        lambda: _contenu(t, sections, choix, query),
    )
    return render(
        request,
        "tableaux/tableau.html",
        {
            "echelle": echelle,
            "sections": sections,
            "choix": choix,
            "phases": deploiement.PHASES,
            "contenu": contenu,
            **contexte,
        },
    )


def index(request):
    """The national dashboard for the national delegation; elsewhere one's dashboards (the
    only one directly)."""
    if tableaux.peut_voir_national(request.user):
        return national(request)
    acces = tableaux.accessibles(request.user)
    if acces.nombre == 0:
        raise Http404("Aucun tableau de bord dans votre périmètre.")
    if acces.nombre == 1:
        if acces.regions:
            return redirect("tableaux:region", acces.regions[0].code)
        t = acces.territoires[0]
        return redirect("tableaux:territoire", t.phase_id, t.code)
    return render(request, "tableaux/index.html", {"acces": acces})


def national(request):
    echelle = tableaux.echelle_nationale(request.user, _phase(request))
    return _rendre(request, echelle, titre="Tableau de bord national")


def region(request, code: str):
    echelle = tableaux.echelle_region(request.user, code, _phase(request))
    return _rendre(request, echelle, titre=f"Tableau de bord — {echelle.region.nom}")


def territoire(request, phase: int, code: str):
    echelle = tableaux.echelle_territoire(request.user, phase, code)
    t = echelle.territoire
    return _rendre(request, echelle, titre=f"Tableau de bord — {t.code} {t.nom}")


def _suivi(request, form, telecharger: bool) -> dict:
    """The tracking table as the filters ask: its figure (to download) or its HTML."""
    f = form.cleaned_data
    region = f.get("region")
    lignes = deploiement.deploiement_vu_par(request.user, phase=_phase(request))
    total = len(lignes)
    lignes = deploiement.filtrer(
        lignes,
        region=region.code if region else None,
        contrat=f.get("contrat") or None,
        sans_chef_projet=bool(f.get("sans_chef_projet")),
        en_retard=bool(f.get("en_retard")),
        pilote=bool(f.get("pilote")),
    )
    tri, decroissant = f.get("tri") or "territoire", f.get("ordre") == "desc"
    lignes = deploiement.trier(lignes, tri, decroissant)
    noms = dict(Region.objects.values_list("code", "nom"))
    cols = deploiement.COLONNES
    fig = figure(
        "deploiement",
        "Déploiement par territoire",
        [Colonne(c.titre, c.format) for c in cols],
        [[deploiement.valeurs(d, noms)[c.cle] for c in cols] for d in lignes],
        graphique="",
        liens=[reverse("contrats:territoire", args=[d.phase, d.code]) for d in lignes],
    )
    if telecharger:
        return {"figure": fig}
    query = request.GET.copy()
    for k in ("figure", "format"):
        query.pop(k, None)
    fig = avec_exports(fig, query)
    fig = triable(fig, query, [c.cle for c in cols], tri, decroissant)
    contexte = {"f": fig, "niveau": 2, "large": True}
    return {
        "tableau": mark_safe(render_to_string("tableaux/_figure.html", contexte)),  # noqa: S308
        "total": total,
        "affiches": len(lignes),
        "synthese": deploiement.synthese(lignes),
    }


def suivi_deploiement(request):
    """Every territory's deployment, filtered, sorted and exported (contrats.suivi); kept per
    version of the data, day and reader (comptes.memoire)."""
    form = FiltresDeploiementForm(request.GET)
    form.is_valid()
    telecharger = request.GET.get("figure") == "deploiement"
    suivi = memoire.memoriser(
        "deploiement",
        request.get_full_path(),
        request.user,
        lambda: _suivi(request, form, telecharger),
    )
    if telecharger:
        return reponse(suivi["figure"], request.GET.get("format", "csv"))
    return render(
        request,
        "tableaux/deploiement.html",
        {
            "form": form,
            "phase": request.GET.get("phase")
            or str(_phase(request) or deploiement.TOUTES_LES_PHASES),
            **suivi,
        },
    )
