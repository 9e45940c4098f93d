"""The creation of a fiche-action in steps (the action, its content, its perimeter and
schedule, its financing plan, a last check), kept in the session until it is saved through
fiches.services (www.fiches.brouillons)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from fiches import permissions as droits

from ..commun.actions import executer
from ..commun.formulaires import sommaire, trouver_territoire
from . import brouillons as b
from . import forms_etapes as fe
from .affichage import lignes_resume, resume


def _aller(cle: str, etape: b.Etape):
    return redirect("fiches:etape", cle=cle, etape=etape.nom)


def fiche_nouvelle(request):
    if "territoire" not in request.GET:
        return _choisir_territoire(request)
    t = trouver_territoire(request.GET.get("territoire", ""))
    if t is None or not droits.peut_creer_ici(request.user, t):
        raise Http404("Page introuvable.")
    return _aller(b.nouveau(request, t), b.ETAPES[0])


def _choisir_territoire(request):
    """« Rédiger une fiche » from anywhere: straight to the territory if there is one, else
    the person picks among those where they may write."""
    user = request.user
    possibles = [t for t in droits.territoires_ou_creer(user) if droits.peut_creer_ici(user, t)]
    if not possibles:
        raise Http404("Page introuvable.")
    if len(possibles) == 1:
        t = possibles[0]
        return redirect(f"{reverse('fiches:nouvelle')}?territoire={t.phase_id}-{t.code}")
    return render(request, "fiches/nouvelle_territoire.html", {"territoires": possibles})


def fiche_nouvelle_etape(request, cle: str, etape: str):
    brouillon, t = b.lire(request, cle)
    etapes = b.etapes(brouillon)
    noms = [e.nom for e in etapes]
    if etape not in noms:
        raise Http404("Étape inconnue.")
    rang = noms.index(etape)
    if a_corriger := b.premiere_a_corriger(request.user, t, brouillon, etapes[:rang]):
        return _aller(cle, a_corriger)
    ctx = {"t": t, "cle": cle, "etape": b.PAR_NOM[etape], "etapes": etapes, "rang": rang + 1}
    if etape == "verification":
        return _verification(request, brouillon, t, ctx)
    if request.method == "POST":
        return _enregistrer_etape(request, brouillon, t, ctx)
    return _page_etape(request, ctx, b.formulaires_de(request.user, t, brouillon, etape))


def _page_etape(request, ctx, fs, erreurs=(), status=200):
    rang = ctx["rang"] - 1
    return render(
        request,
        "fiches/nouvelle.html",
        {
            **ctx,
            **fs,
            "suivante": ctx["etapes"][rang + 1],
            "erreurs": list(erreurs),
            "sommaire": sommaire(*fs.values()),
        },
        status=status,
    )


def _enregistrer_etape(request, brouillon, t, ctx):
    """The input of a step is kept whatever happens next: nothing typed is lost. Then the
    step asked for: a row more, the previous step, or the next one once this one is valid."""
    cle, etape = ctx["cle"], ctx["etape"].nom
    saisi = {
        k: request.POST.getlist(k)
        for k in request.POST
        if k not in ("csrfmiddlewaretoken", "aller")
    }
    b.garder(request, brouillon, etape, saisi)
    # Row counts that are not numbers (a page altered on the way) are recounted from the rows
    # sent: the step is shown again with the reason, and what was typed stays.
    if corriges := fe.compteurs_corriges({k: (v or [""])[0] for k, v in saisi.items()}):
        saisi.update({k: [v] for k, v in corriges.items()})
        fs = b.formulaires_de(request.user, t, brouillon, etape)
        return _page_etape(request, ctx, fs, [fe.COMPTEURS_ILLISIBLES], status=400)
    quoi = request.POST.get("aller", "suivant")
    if quoi in ("ajouter_ligne", "ajouter_indicateur"):
        prefixe = "lignes" if quoi == "ajouter_ligne" else "indicateurs"
        total = int((saisi.get(f"{prefixe}-TOTAL_FORMS") or ["0"])[0])  # read above
        saisi[f"{prefixe}-TOTAL_FORMS"] = [str(min(total + 1, fe.RANGEES_MAX[prefixe]))]
        return redirect(reverse("fiches:etape", args=[cle, etape]) + f"#{prefixe}-{total}")
    etapes = b.etapes(brouillon)  # the axis may have just changed
    rang = [e.nom for e in etapes].index(etape)
    if quoi == "precedent" and rang > 0:
        return _aller(cle, etapes[rang - 1])
    fs = b.formulaires_de(request.user, t, brouillon, etape)
    if b.valides(fs):
        return _aller(cle, etapes[rang + 1])
    return _page_etape(request, {**ctx, "etapes": etapes, "rang": rang + 1}, fs)


def _verification(request, brouillon, t, ctx):
    a, a_corriger = b.assembler(request.user, t, brouillon)
    if a is None:
        return _aller(ctx["cle"], a_corriger)
    if request.method == "POST" and request.POST.get("aller") == "precedent":
        return _aller(ctx["cle"], ctx["etapes"][-2])
    erreurs: list[str] = []
    if request.method == "POST":
        creation = executer(b.creer, user=request.user, territoire=t, assemblage=a)
        if creation:
            fiche = creation.resultat
            b.oublier(request, ctx["cle"])
            messages.success(request, f"Fiche {fiche.reference} enregistrée en brouillon.")
            return redirect("fiches:detail", uuid=fiche.uuid)
        erreurs = creation.erreurs
    controles, chiffres = [], False
    if not erreurs:
        apercu = executer(b.apercu, user=request.user, territoire=t, assemblage=a)
        erreurs = apercu.erreurs
        controles, chiffres = apercu.resultat or ([], False)
    return render(
        request,
        "fiches/verification.html",
        {
            **ctx,
            "a": a,
            "resume": resume(a),
            "lignes_resume": lignes_resume(a),
            "erreurs": erreurs,
            "controles": controles,
            "chiffres": chiffres,
        },
    )
