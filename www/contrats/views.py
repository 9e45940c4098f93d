"""Pages of the protocols, contracts and avenants (FAQ §4). Reads come from
contrats.permissions (a draft outside one's scope answers 404, a signed document is public),
writes go through contrats.services and contrats.cycle, documents from contrats.documents
(secrets left out for everyone). The deployment block of a territory: contrats.suivi."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from contrats import accords, cycle, documents, projets, services, suivi
from contrats import permissions as droits
from contrats.models import Avenant, Contrat, Protocole, Signataire
from territoires.models import Territoire

from ..commun.actions import executer, soumis
from . import forms as cf

GENRES = {"protocole": Protocole, "contrat": Contrat, "avenant": Avenant}
GENRE_DE = {modele: genre for genre, modele in GENRES.items()}
VISIBLES = {
    "protocole": droits.protocoles_visibles,
    "contrat": droits.contrats_visibles,
    "avenant": droits.avenants_visibles,
}


def _document(request, genre: str, pk: int):
    if genre not in GENRES:
        raise Http404("Page introuvable.")
    qs = VISIBLES[genre](request.user)
    if genre == "avenant":
        qs = qs.select_related("contrat__territoire__phase", "validation")
    else:
        qs = qs.select_related("territoire__phase", "validation")
    return get_object_or_404(qs, pk=pk)


def _vers_le_document(d):
    return redirect("contrats:document", genre=GENRE_DE[type(d)], pk=d.pk)


# --- Reads -----------------------------------------------------------------------------------


def contrats(request):
    """Contracts one may see: every signed one (public), the drafts of one's territories."""
    liste = (
        droits.contrats_visibles(request.user)
        .select_related("territoire", "territoire__phase")
        .order_by("territoire__code")
    )
    protocoles = (
        droits.protocoles_visibles(request.user)
        .select_related("territoire", "territoire__phase")
        .order_by("territoire__code")
    )
    return render(request, "contrats/liste.html", {"contrats": liste, "protocoles": protocoles})


def territoire(request, phase: int, code: str):
    """The contracting section of a territory: protocol, contract, avenants, or how to start."""
    t = get_object_or_404(Territoire.objects.select_related("phase"), phase_id=phase, code=code)
    user = request.user
    return render(
        request,
        "contrats/territoire.html",
        {
            "t": t,
            "protocole": droits.protocoles_visibles(user).filter(territoire=t).first(),
            "contrat": droits.contrats_visibles(user).filter(territoire=t).first(),
            "peut_rediger": droits.peut_rediger(user, t),
            "existe_protocole": Protocole.objects.filter(territoire=t).exists(),
            "existe_contrat": Contrat.objects.filter(territoire=t).exists(),
            "deploiement": suivi.deploiement_vu_par(
                user, territoires=Territoire.objects.filter(pk=t.pk)
            ),
        },
    )


def document(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    user = request.user
    if isinstance(d, Protocole):
        annexes = [a.fiche for a in d.annexes.select_related("fiche", "fiche__territoire")]
    else:
        annexes = [a.fiche for a in cycle.annexes(d)]
    return render(
        request,
        "contrats/document.html",
        {
            "d": d,
            "genre": genre,
            "t": d.le_territoire,
            "sections": d.sections(),
            "epcis": d.epcis.order_by("nom") if not isinstance(d, Protocole) else [],
            "annexes": annexes,
            "modifications": d.modifications.select_related("fiche", "fiche__territoire")
            if isinstance(d, Avenant)
            else [],
            "signataires": d.signataires.select_related("region", "epci", "organisation"),
            "manque": cycle.signataires_requis(d) if d.etat != "signe" else [],
            "sans_reunion": cycle.sans_reunion(d.validation),
            "mention_validation": accords.mention(d, sans_reunion=cycle.sans_reunion(d.validation)),
            "avenants": droits.avenants_visibles(user).filter(contrat=d)
            if isinstance(d, Contrat)
            else [],
            "peut_rediger": droits.peut_modifier(user, d),
            "peut_valider": droits.peut_valider_document(user, d),
            "peut_signer": droits.peut_signer(user, d),
            "peut_avenant": isinstance(d, Contrat) and droits.peut_preparer_avenant(user, d),
            "signature_form": cf.SignatureForm(initial={"signe_le": timezone.localdate()}),
        },
    )


def telecharger(request, genre: str, pk: int, format: str):
    d = _document(request, genre, pk)
    if format not in documents.FORMATS:
        raise Http404("Format inconnu.")
    contenu, nom = documents.fichier(d, format)
    response = HttpResponse(contenu, content_type=documents.FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


# --- Writes ----------------------------------------------------------------------------------


def _formulaire(request, titre: str, form, retour: str, intro: str = ""):
    return render(
        request,
        "contrats/formulaire.html",
        {"titre": titre, "form": form, "retour": retour, "intro": intro},
    )


def _retour(d) -> str:
    return reverse("contrats:document", args=[GENRE_DE[type(d)], d.pk])


def nouveau(request, phase: int, code: str, genre: str):
    t = get_object_or_404(Territoire.objects.select_related("phase"), phase_id=phase, code=code)
    exiger(genre in ("protocole", "contrat") and droits.peut_rediger(request.user, t))
    if genre == "protocole":
        form = cf.ProtocoleForm(request.POST or None)
    else:
        form = cf.ContratForm(request.POST or None, territoire=t)
    if soumis(request, form):
        donnees = dict(form.cleaned_data)
        if genre == "protocole":
            projet = executer(
                services.creer_protocole,
                form=form,
                user=request.user,
                territoire=t,
                donnees=donnees,
            )
        else:
            epcis = donnees.pop("epcis")
            projet = executer(
                services.creer_contrat,
                form=form,
                user=request.user,
                territoire=t,
                donnees=donnees,
                epcis=epcis,
            )
        if projet:
            messages.success(request, "Projet enregistré.")
            return _vers_le_document(projet.resultat)
    titre = "Préparer le protocole d'accord" if genre == "protocole" else "Préparer le contrat"
    retour = reverse("contrats:territoire", args=[t.phase_id, t.code])
    return _formulaire(request, f"{titre} — {t.nom}", form, retour)


def _formulaire_du_document(request, d):
    """The canvas of a draft, filled with what it holds."""
    if isinstance(d, Protocole):
        initial = {"ambitions": d.ambitions, "plan_actions": d.plan_actions}
        return cf.ProtocoleForm(request.POST or None, initial=initial)
    if isinstance(d, Contrat):
        initial = {k: getattr(d, k) for k in services.CHAMPS_CONTRAT}
        initial["epcis"] = list(d.epcis.all())
        return cf.ContratForm(request.POST or None, initial=initial, territoire=d.le_territoire)
    return cf.AvenantForm(
        request.POST or None,
        initial={"objet": d.objet, "epcis": list(d.epcis.all())},
        contrat=d.contrat,
    )


def modifier(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    form = cf.avec_version(_formulaire_du_document(request, d), projets.version(d))
    if soumis(request, form):
        donnees = dict(form.cleaned_data)
        epcis = donnees.pop("epcis", None)
        issue = executer(
            projets.modifier,
            form=form,
            conflit_sur="ce document",
            user=request.user,
            document=d,
            version=donnees.pop("version"),
            donnees=donnees,
            epcis=epcis,
        )
        if issue:
            messages.success(request, "Projet enregistré.")
            return _vers_le_document(d)
        if issue.conflit:
            # Ready to be saved over the current version, the input kept.
            form.data = form.data.copy()
            form.data["version"] = projets.version(type(d).objects.get(pk=d.pk))
    return _formulaire(request, f"Modifier : {d.titre}", form, _retour(d))


def avenant_nouveau(request, pk: int):
    c = _document(request, "contrat", pk)
    exiger(droits.peut_preparer_avenant(request.user, c))
    form = cf.AvenantForm(request.POST or None, contrat=c)
    if soumis(request, form) and (
        avenant := executer(
            services.creer_avenant, form=form, user=request.user, contrat=c, **form.cleaned_data
        )
    ):
        messages.success(request, f"Avenant n° {avenant.resultat.numero} en préparation.")
        return _vers_le_document(avenant.resultat)
    return _formulaire(request, f"Préparer un avenant — {c.titre}", form, _retour(c))


def annexer(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    protocole = isinstance(d, Protocole)
    form = cf.AnnexerForm(
        request.POST or None, fiches=cycle.fiches_annexables(d), protocole=protocole
    )
    if soumis(request, form):
        if protocole:
            annexe = executer(
                services.annexer_au_protocole,
                form=form,
                user=request.user,
                protocole=d,
                **form.cleaned_data,
            )
        else:
            annexe = executer(
                cycle.annexer, form=form, user=request.user, document=d, **form.cleaned_data
            )
        if annexe:
            messages.success(request, "Fiche annexée.")
            return _vers_le_document(d)
    intro = (
        Protocole.NATURE
        if protocole
        else "Seules les fiches retenues par les partenaires entrent au contrat ; elles seront "
        "inscrites à la signature (FAQ §4.6)."
    )
    return _formulaire(request, f"Annexer une fiche — {d.titre}", form, _retour(d), intro)


def signataire_ajouter(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    form = cf.SignataireForm(request.POST or None, territoire=d.le_territoire)
    if soumis(request, form) and executer(
        services.ajouter_signataire, form=form, user=request.user, document=d, **form.cleaned_data
    ):
        messages.success(request, "Signataire ajouté.")
        return _vers_le_document(d)
    return _formulaire(request, f"Ajouter un signataire — {d.titre}", form, _retour(d))


@require_POST
def signer(request, pk: int):
    s = get_object_or_404(Signataire, pk=pk)
    d = _document(request, GENRE_DE[type(s.document)], s.document.pk)
    exiger(droits.peut_enregistrer_signature(request.user, d.le_territoire))
    form = cf.SignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de la signature.")
    elif executer(
        cycle.signer,
        request=request,
        user=request.user,
        signataire=s,
        date=form.cleaned_data["signe_le"],
    ):
        messages.success(request, f"Signature de {s.nom} enregistrée.")
    return _vers_le_document(d)


def valider(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_valider_document(request.user, d))
    form = cf.ValidationForm(
        request.POST or None, initial={"date": timezone.localdate()}, document=d
    )
    if soumis(request, form):
        donnees = {k: form.cleaned_data[k] for k in ("date", "reunion", "texte")}
        lien, accords = form.cleaned_data["lien"], form.accords()
        if lien is not None:  # the governance's decision drives the contract
            validation = executer(
                cycle.valider_en_reunion,
                form=form,
                user=request.user,
                document=d,
                lien=lien,
                accords=accords,
            )
        else:
            validation = executer(
                cycle.valider, form=form, user=request.user, document=d, accords=accords, **donnees
            )
        if validation:
            messages.success(request, "Validation enregistrée : le document peut être signé.")
            return _vers_le_document(d)
    intro = (
        "Le comité de pilotage régional valide le contrat ; en l'absence de réunion, l'accord "
        "de la Région et des parties concernées suffit à engager la signature (FAQ §4.2) : "
        "enregistrez alors l'accord de chaque Région et de chaque partie, qui l'a donné et quand."
    )
    return _formulaire(request, f"Valider : {d.titre}", form, _retour(d), intro)
