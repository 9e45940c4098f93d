"""Pages of the protocols, contracts and avenants (FAQ §4) and of the deployment tracking
(FAQ §6): no rule here. Reads come from contrats.permissions (a draft outside one's scope
answers 404, a signed document is public), writes go through contrats.services and
contrats.cycle, documents from contrats.documents (secrets left out for everyone).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from comptes.permissions import exiger
from contrats import cycle, documents, services, suivi
from contrats import permissions as droits
from contrats.enums import NatureSignataire
from contrats.models import Avenant, Contrat, Protocole, Signataire
from fiches.models import FicheAction
from gouvernance.selectors import decisions_de_contrat
from referentiel import saisie
from referentiel.models import EPCI, Region
from territoires.models import Territoire
from territoires.selectors import regions_du_territoire, vue_territoire

GENRES = {"protocole": Protocole, "contrat": Contrat, "avenant": Avenant}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visibles(user, genre: str):
    return {
        "protocole": droits.protocoles_visibles,
        "contrat": droits.contrats_visibles,
        "avenant": droits.avenants_visibles,
    }[genre](user)


def _document(request, genre: str, pk: int):
    if genre not in GENRES:
        raise Http404("Page introuvable.")
    qs = _visibles(request.user, genre)
    if genre == "avenant":
        qs = qs.select_related("contrat__territoire__phase", "validation")
    else:
        qs = qs.select_related("territoire__phase", "validation")
    return get_object_or_404(qs, pk=pk)


# --- Forms -----------------------------------------------------------------------------------


def _section(modele, champ: str, *, required: bool = False) -> forms.CharField:
    """A text of the canvas, titled as the documents title it (contrats.models CANEVAS)."""
    f = modele._meta.get_field(champ)
    return forms.CharField(
        label=capfirst(f.verbose_name),
        help_text=f.help_text,
        widget=forms.Textarea,
        required=required,
    )


class ProtocoleForm(DsfrBaseForm):
    ambitions = _section(Protocole, "ambitions")
    plan_actions = _section(Protocole, "plan_actions")


class ContratForm(DsfrBaseForm):
    annee_debut = forms.IntegerField(
        label="Première année", initial=2019, min_value=2018, max_value=saisie.DATE_MAX.year
    )
    annee_fin = forms.IntegerField(
        label="Dernière année", initial=2022, min_value=2018, max_value=saisie.DATE_MAX.year
    )
    epcis = forms.ModelMultipleChoiceField(
        queryset=EPCI.objects.none(),
        label="Intercommunalités couvertes",
        help_text="On peut commencer par quelques-unes ; un avenant ajoutera les autres.",
        widget=forms.CheckboxSelectMultiple,
    )
    enjeux = _section(Contrat, "enjeux")
    ambitions = _section(Contrat, "ambitions")
    actions_engagees = _section(Contrat, "actions_engagees")
    engagement_parties = _section(Contrat, "engagement_parties")
    plan_actions = _section(Contrat, "plan_actions")
    pilotage = _section(Contrat, "pilotage")

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(territoire)
        sirens = [e.siren for e in vue.epcis] if vue else []
        self.fields["epcis"].queryset = EPCI.objects.filter(siren__in=sirens).order_by("nom")


class AvenantForm(DsfrBaseForm):
    objet = _section(Avenant, "objet", required=True)
    epcis = forms.ModelMultipleChoiceField(
        queryset=EPCI.objects.none(),
        label="Intercommunalités ajoutées au contrat",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, contrat, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(contrat.territoire)
        couverts = services.epcis_couverts(contrat)
        sirens = [e.siren for e in vue.epcis if e.siren not in couverts] if vue else []
        self.fields["epcis"].queryset = EPCI.objects.filter(siren__in=sirens).order_by("nom")


class AnnexerForm(DsfrBaseForm):
    fiche = forms.ModelChoiceField(queryset=FicheAction.objects.none(), label="Fiche-action")
    resume = forms.CharField(
        label="Résumé pour le protocole (sans aucune mention financière)",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, fiches, protocole: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].queryset = fiches
        if not protocole:
            del self.fields["resume"]


class SignataireForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature", choices=NatureSignataire.choices)
    nom = forms.CharField(label="Nom du signataire", max_length=200)
    qualite = forms.CharField(
        label="Qualité", max_length=200, help_text="Ex. : Préfète de la Drôme"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label="Région (président de région)", required=False
    )
    epci = forms.ModelChoiceField(
        queryset=EPCI.objects.none(), label="Intercommunalité (président d'EPCI)", required=False
    )

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        vue = vue_territoire(territoire)
        self.fields["region"].queryset = Region.objects.filter(
            code__in=regions_du_territoire(territoire)
        )
        self.fields["epci"].queryset = EPCI.objects.filter(
            siren__in=[e.siren for e in vue.epcis] if vue else []
        ).order_by("nom")


class SignatureForm(DsfrBaseForm):
    signe_le = forms.DateField(label="Signé le", widget=DATE)


class ValidationForm(DsfrBaseForm):
    date = forms.DateField(label="Date de la validation", widget=DATE)
    reunion = forms.TypedChoiceField(
        label="Comment le contrat est-il validé ?",
        choices=[
            ("1", "En réunion du comité de pilotage régional"),
            ("0", "Sans réunion : accord de la Région et des parties concernées (FAQ §4.2)"),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    texte = forms.CharField(label="Précisions", widget=forms.Textarea, required=False)
    lien = forms.ModelChoiceField(
        label="Décision déjà prise par le COPIL régional",
        help_text="Choisir la décision enregistrée en réunion (ou hors réunion) : la date et la "
        "manière en sont reprises, les champs ci-dessus sont alors ignorés.",
        queryset=None,
        required=False,
    )

    def __init__(self, *args, territoire=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Decisions no contract or avenant rests on yet.
        self.fields["lien"].queryset = (
            decisions_de_contrat(territoire)
            # (without NULLs: NOT IN over a set holding NULL would exclude every row)
            .exclude(decision__in=Contrat.objects.exclude(validation=None).values("validation"))
            .exclude(decision__in=Avenant.objects.exclude(validation=None).values("validation"))
        )
        self.fields["lien"].label_from_instance = lambda lien: (
            f"{lien.decision.date:%d/%m/%Y} — {lien.decision.intitule}"
        )


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
    t = d.le_territoire
    annexes = []
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
            "t": t,
            "sections": d.sections(),
            "epcis": d.epcis.order_by("nom") if not isinstance(d, Protocole) else [],
            "annexes": annexes,
            "modifications": d.modifications.select_related("fiche", "fiche__territoire")
            if isinstance(d, Avenant)
            else [],
            "signataires": d.signataires.select_related("region", "epci", "organisation"),
            "manque": cycle.signataires_requis(d) if d.etat != "signe" else [],
            "sans_reunion": cycle.sans_reunion(d.validation),
            "avenants": _visibles(user, "avenant").filter(contrat=d)
            if isinstance(d, Contrat)
            else [],
            "peut_rediger": droits.peut_modifier(user, d),
            "peut_valider": droits.peut_valider_document(user, d),
            "peut_signer": droits.peut_signer(user, d),
            "peut_avenant": isinstance(d, Contrat) and droits.peut_preparer_avenant(user, d),
            "signature_form": SignatureForm(initial={"signe_le": timezone.localdate()}),
        },
    )


def telecharger(request, genre: str, pk: int, format: str):
    d = _document(request, genre, pk)
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    contenu = documents.docx(d) if format == "docx" else documents.pdf(d)
    nom = f"{genre}-{d.le_territoire.code}" + (f"-{d.numero}" if genre == "avenant" else "")
    response = HttpResponse(contenu, content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{nom}.{format}"'
    return response


# --- Writes ----------------------------------------------------------------------------------


def _formulaire(request, titre, form, retour, erreurs=(), intro=""):
    return render(
        request,
        "contrats/formulaire.html",
        {"titre": titre, "form": form, "retour": retour, "erreurs": erreurs, "intro": intro},
    )


@login_required
def nouveau(request, phase: int, code: str, genre: str):
    t = get_object_or_404(Territoire.objects.select_related("phase"), phase_id=phase, code=code)
    exiger(genre in ("protocole", "contrat") and droits.peut_rediger(request.user, t))
    if genre == "protocole":
        form = ProtocoleForm(request.POST or None)
    else:
        form = ContratForm(request.POST or None, territoire=t)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        donnees = dict(form.cleaned_data)
        try:
            if genre == "protocole":
                d = services.creer_protocole(user=request.user, territoire=t, donnees=donnees)
            else:
                epcis = donnees.pop("epcis")
                d = services.creer_contrat(
                    user=request.user, territoire=t, donnees=donnees, epcis=epcis
                )
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Projet enregistré.")
            return redirect("contrats:document", genre=genre, pk=d.pk)
    titre = "Préparer le protocole d'accord" if genre == "protocole" else "Préparer le contrat"
    return _formulaire(
        request,
        f"{titre} — {t.nom}",
        form,
        ("contrats:territoire", [t.phase_id, t.code]),
        erreurs,
    )


@login_required
def modifier(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    t = d.le_territoire
    exiger(droits.peut_modifier(request.user, d))
    if isinstance(d, Protocole):
        form = ProtocoleForm(
            request.POST or None, initial={"ambitions": d.ambitions, "plan_actions": d.plan_actions}
        )
    elif isinstance(d, Contrat):
        initial = {k: getattr(d, k) for k in services.CHAMPS_CONTRAT}
        initial["epcis"] = list(d.epcis.all())
        form = ContratForm(request.POST or None, initial=initial, territoire=t)
    else:
        form = AvenantForm(
            request.POST or None,
            initial={"objet": d.objet, "epcis": list(d.epcis.all())},
            contrat=d.contrat,
        )
    erreurs = []
    if request.method == "POST" and form.is_valid():
        donnees = dict(form.cleaned_data)
        epcis = donnees.pop("epcis", None)
        try:
            services.modifier(user=request.user, document=d, donnees=donnees, epcis=epcis)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Projet enregistré.")
            return redirect("contrats:document", genre=genre, pk=d.pk)
    return _formulaire(
        request, f"Modifier : {d.titre}", form, ("contrats:document", [genre, d.pk]), erreurs
    )


@login_required
def avenant_nouveau(request, pk: int):
    c = _document(request, "contrat", pk)
    exiger(droits.peut_preparer_avenant(request.user, c))
    form = AvenantForm(request.POST or None, contrat=c)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            a = services.creer_avenant(
                user=request.user,
                contrat=c,
                objet=form.cleaned_data["objet"],
                epcis=form.cleaned_data["epcis"],
            )
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, f"Avenant n° {a.numero} en préparation.")
            return redirect("contrats:document", genre="avenant", pk=a.pk)
    return _formulaire(
        request,
        f"Préparer un avenant — {c.titre}",
        form,
        ("contrats:document", ["contrat", c.pk]),
        erreurs,
    )


@login_required
def annexer(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_modifier(request.user, d))
    protocole = isinstance(d, Protocole)
    form = AnnexerForm(request.POST or None, fiches=cycle.fiches_annexables(d), protocole=protocole)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            if protocole:
                services.annexer_au_protocole(
                    user=request.user,
                    protocole=d,
                    fiche=form.cleaned_data["fiche"],
                    resume=form.cleaned_data["resume"],
                )
            else:
                cycle.annexer(user=request.user, document=d, fiche=form.cleaned_data["fiche"])
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Fiche annexée.")
            return redirect("contrats:document", genre=genre, pk=d.pk)
    intro = (
        Protocole.NATURE
        if protocole
        else "Seules les fiches retenues par les partenaires entrent au contrat ; elles seront "
        "inscrites à la signature (FAQ §4.6)."
    )
    return _formulaire(
        request,
        f"Annexer une fiche — {d.titre}",
        form,
        ("contrats:document", [genre, d.pk]),
        erreurs,
        intro,
    )


@login_required
def signataire_ajouter(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    t = d.le_territoire
    exiger(droits.peut_modifier(request.user, d))
    form = SignataireForm(request.POST or None, territoire=t)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        try:
            services.ajouter_signataire(user=request.user, document=d, **form.cleaned_data)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Signataire ajouté.")
            return redirect("contrats:document", genre=genre, pk=d.pk)
    return _formulaire(
        request,
        f"Ajouter un signataire — {d.titre}",
        form,
        ("contrats:document", [genre, d.pk]),
        erreurs,
    )


@login_required
@require_POST
def signer(request, pk: int):
    s = get_object_or_404(Signataire, pk=pk)
    genre = "protocole" if s.protocole_id else "contrat" if s.contrat_id else "avenant"
    d = _document(request, genre, s.protocole_id or s.contrat_id or s.avenant_id)
    form = SignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de la signature.")
        return redirect("contrats:document", genre=genre, pk=d.pk)
    try:
        cycle.signer(user=request.user, signataire=s, date=form.cleaned_data["signe_le"])
    except ValidationError as exc:
        for e in saisie.messages(exc):
            messages.error(request, e)
    else:
        messages.success(request, f"Signature de {s.nom} enregistrée.")
    return redirect("contrats:document", genre=genre, pk=d.pk)


@login_required
def valider(request, genre: str, pk: int):
    d = _document(request, genre, pk)
    exiger(droits.peut_valider_document(request.user, d))
    form = ValidationForm(
        request.POST or None, initial={"date": timezone.localdate()}, territoire=d.le_territoire
    )
    erreurs = []
    if request.method == "POST" and form.is_valid():
        donnees = dict(form.cleaned_data)
        lien = donnees.pop("lien")
        try:
            if lien is not None:  # the governance's decision drives the contract
                cycle.valider_en_reunion(user=request.user, document=d, lien=lien)
            else:
                cycle.valider(user=request.user, document=d, **donnees)
        except ValidationError as exc:
            erreurs = saisie.messages(exc)
        else:
            messages.success(request, "Validation enregistrée : le document peut être signé.")
            return redirect("contrats:document", genre=genre, pk=d.pk)
    return _formulaire(
        request,
        f"Valider : {d.titre}",
        form,
        ("contrats:document", [genre, d.pk]),
        erreurs,
        "Le comité de pilotage régional valide le contrat ; en l'absence de réunion, l'accord "
        "de la Région et des parties concernées suffit à engager la signature (FAQ §4.2).",
    )
