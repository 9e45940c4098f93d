"""The edition of a draft fiche: every step's form on one page, the financing plan's rows,
and the optimistic lock (fiches.services.modifier_fiche refuses the later of two concurrent
saves, and says what changed)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from comptes import secrets
from comptes.permissions import autoriser, exiger
from fiches import permissions as droits
from fiches import services
from fiches.models import FicheAction

from ..commun.actions import executer
from ..commun.formulaires import sommaire
from . import forms as ff
from . import forms_etapes as fe
from .acces import fiche_visible
from .affichage import affiche

ETAPES = ("action", "contenu", "perimetre", "financement")


def _initial(user, f: FicheAction) -> dict:
    """The fiche as stored, its secret fields as the person may read them."""
    lisibles = {c.nom: c for c in secrets.champs(user, f, FicheAction.SECRETABLE)}
    initial = {nom: getattr(f, nom) for nom in services.CHAMPS_FICHE}
    for nom, c in lisibles.items():
        initial[nom] = None if c.masque else c.valeur
    initial["porteur"] = f.porteur_id
    initial["filiere"] = f.filiere_id
    initial["collective"] = "1" if f.collective else "0"
    for nom in services.M2M_FICHE:
        initial[nom] = list(getattr(f, nom).values_list("pk", flat=True))
    initial["version"] = f.version
    return initial


def _lignes_initiales(user, f: FicheAction) -> list[dict]:
    out = []
    for li in f.lignes.select_related("financeur"):
        li.fiche = f
        [montant] = secrets.champs(user, li, ["montant"])
        out.append(
            {
                "financeur": li.financeur_id,
                "mesure": li.mesure_id,
                "section": li.section,
                "montant": montant.valeur,
                "de_minimis": li.de_minimis,
                "confidentiel": "montant" in li.champs_secrets,
            }
        )
    return out


def _formulaires(user, f: FicheAction, data) -> tuple[dict, fe.LignesFormSet]:
    """The forms of the page: bound to what was sent, or filled from the stored fiche."""
    t = f.territoire
    initial = None if data is not None else _initial(user, f)
    # The simplification fields follow the input: the axis or the box just sent.
    esquisse = (
        FicheAction(
            axe=data.get("axe") or f.axe,
            demande_simplification=bool(data.get("demande_simplification")),
        )
        if data is not None
        else f
    )
    forms = {
        "action": fe.EtapeActionForm(
            data,
            initial=initial,
            porteurs=droits.porteurs_possibles(user, t),
            partenaires=ff.porteurs_possibles(user),
            phase=t.phase_id,
        ),
        "contenu": fe.EtapeContenuForm(
            data, initial=initial, simplification=esquisse.est_simplification, phase=t.phase_id
        ),
        "perimetre": fe.EtapePerimetreForm(data, initial=initial, territoire=t),
        "financement": fe.EtapeFinancementForm(data, initial=initial),
        "version": ff.VersionForm(data, initial=initial),
    }
    lignes = fe.LignesFormSet(
        data,
        prefix="lignes",
        initial=_lignes_initiales(user, f) if data is None else None,
        financeurs=ff.financeurs_possibles(user),
    )
    return forms, lignes


def _contenu(forms: dict) -> dict:
    """The fields and lists of the fiche, from the valid forms of its steps."""
    donnees, m2m = {}, {}
    for nom in ETAPES:
        for k, v in forms[nom].cleaned_data.items():
            if k in services.M2M_FICHE:
                m2m[k] = list(v)
            else:
                donnees[k] = v
    # Unticked, a box sends nothing: the request is withdrawn (and its fields with it,
    # fiches.services.modifier_fiche).
    donnees.setdefault("demande_simplification", False)
    return {"donnees": donnees, "m2m": m2m}


def _differences(conflit) -> list[tuple[str, str, str]]:
    """What the other save changed: each field, the value typed here, the one stored."""
    champs = {fd.name: fd for fd in FicheAction._meta.get_fields()}
    return [
        (champs[n].verbose_name, affiche(champs[n], mine), affiche(champs[n], theirs))
        for n, mine, theirs in conflit.differences
    ]


def fiche_modifier(request, uuid):
    f = fiche_visible(request, uuid)
    exiger(autoriser(request.user, "modifier", f))
    if not f.modifiable:
        return render(request, "fiches/modifier.html", {"f": f, "fige": services.FICHE_FIGEE})
    data = request.POST.copy() if request.method == "POST" else None
    # Row counts that are not numbers are recounted from the rows sent (see the creation).
    corriges = fe.compteurs_corriges(data.dict()) if data is not None else {}
    for cle, valeur in corriges.items():
        data[cle] = valeur
    forms, lignes = _formulaires(request.user, f, data)
    page = {"f": f, "forms": forms, "lignes": lignes}
    if data is None:
        return render(request, "fiches/modifier.html", page)
    if corriges:
        erreurs = [fe.COMPTEURS_ILLISIBLES]
        page = {**page, "erreurs": erreurs, "sommaire": sommaire(*forms.values(), lignes)}
        return render(request, "fiches/modifier.html", page, status=400)
    if data.get("aller") == "ajouter_ligne":
        total = int(data.get("lignes-TOTAL_FORMS") or 0)  # read above
        data["lignes-TOTAL_FORMS"] = str(min(total + 1, fe.RANGEES_MAX["lignes"]))
        return render(request, "fiches/modifier.html", {**page, "ajout": True})
    return _enregistrer(request, f, data, page)


def _enregistrer(request, f: FicheAction, data, page: dict):
    forms, lignes = page["forms"], page["lignes"]
    issue = None  # the forms refused the input: their errors, not the service's
    if all(fm.is_valid() for fm in forms.values()) and lignes.is_valid():
        issue = executer(
            services.modifier_fiche,
            user=request.user,
            conflit_sur="cette fiche",
            fiche=f,
            version=forms["version"].cleaned_data["version"],
            lignes=lignes.lignes(),
            **_contenu(forms),
        )
        if issue:
            messages.success(request, "Fiche enregistrée.")
            return redirect("fiches:detail", uuid=f.uuid)
        if issue.conflit:
            # Ready to be saved over the current version, the input kept.
            data["version"] = FicheAction.objects.get(pk=f.pk).version
    return render(
        request,
        "fiches/modifier.html",
        {
            **page,
            "conflit": _differences(issue.conflit) if issue is not None and issue.conflit else None,
            "erreurs": issue.erreurs if issue is not None else [],
            "sommaire": sommaire(*forms.values(), lignes),
        },
    )
