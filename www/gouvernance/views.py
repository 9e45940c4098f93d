"""Governance pages (FAQ §2.3, §3, §4.2): bodies, meetings, decisions, perimeter requests,
CNI versions of the map, calendars.

No rule lives here: reads come from gouvernance.permissions (anything out of scope answers
404), writes go through gouvernance.services, gouvernance.demandes and gouvernance.versions.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from comptes.enums import Role
from comptes.models import Organisation, Personne
from comptes.permissions import exiger, organisations_visibles, territoires_suivis
from comptes.pieces import TAILLE_MAX_LIBELLE
from fiches import cycle
from fiches.enums import Avis
from fiches.selectors import fiches_visibles
from gouvernance import agenda, demandes, permissions, services, versions
from gouvernance.enums import EtatDemande, NatureDemande, NaturePoint, Presence
from gouvernance.models import Comite, PieceJointe, PointOrdreDuJour, Reunion
from referentiel import saisie
from referentiel.models import EPCI
from territoires.models import Phase, Territoire
from territoires.selectors import territoires_des_regions

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HEURE = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ICS = "text/calendar; charset=utf-8"


def _erreurs(form, exc: ValidationError) -> None:
    for m in saisie.messages(exc):
        form.add_error(None, m)


def _reunion(request, pk) -> Reunion:
    return get_object_or_404(
        permissions.reunions_visibles(request.user).select_related(
            "comite", "comite__territoire", "comite__region"
        ),
        pk=pk,
    )


# --- Bodies and meetings ---------------------------------------------------------------------


@login_required
def gouvernance(request):
    comites = permissions.comites_visibles(request.user).select_related("territoire", "region")
    territoire = request.GET.get("territoire", "")
    region = request.GET.get("region", "")
    if (numero := saisie.entier(territoire)) is not None:
        comites = comites.filter(territoire_id=numero)
    if region:
        comites = comites.filter(region_id=region) | comites.filter(
            territoire__in=territoires_des_regions([region])
        )
    reunions = (
        Reunion.objects.filter(comite__in=comites).select_related("comite").order_by("-debut")[:50]
    )
    return render(
        request,
        "gouvernance/index.html",
        {"comites": comites.distinct(), "reunions": reunions, "maintenant": timezone.now()},
    )


class ReunionForm(DsfrBaseForm):
    jour = forms.DateField(label="Date", widget=DATE)
    heure = forms.TimeField(label="Heure de début", widget=HEURE, initial=time(9, 30))
    heure_fin = forms.TimeField(label="Heure de fin", widget=HEURE, required=False)
    lieu = forms.CharField(label="Lieu", required=False, max_length=300)


@login_required
def comite(request, pk: int):
    c = get_object_or_404(
        permissions.comites_visibles(request.user).select_related("territoire", "region"), pk=pk
    )
    peut = permissions.peut_animer(request.user, c)
    form = ReunionForm(request.POST or None) if peut else None
    if request.method == "POST":
        exiger(permissions.peut_animer(request.user, c))
        if form.is_valid():
            d = form.cleaned_data
            debut = timezone.make_aware(datetime.combine(d["jour"], d["heure"]))
            fin = (
                timezone.make_aware(datetime.combine(d["jour"], d["heure_fin"]))
                if d["heure_fin"]
                else None
            )
            try:
                r = services.planifier_reunion(
                    user=request.user, comite=c, debut=debut, fin=fin, lieu=d["lieu"]
                )
            except ValidationError as exc:
                _erreurs(form, exc)
            else:
                messages.success(request, "Réunion créée.")
                return redirect("gouvernance:reunion", pk=r.pk)
    return render(
        request,
        "gouvernance/comite.html",
        {"c": c, "reunions": c.reunions.all(), "peut": peut, "form": form},
    )


class PointForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature du point", choices=NaturePoint.choices)
    intitule = forms.CharField(label="Intitulé", required=False, max_length=300)
    fiche = forms.UUIDField(label="Fiche-action (identifiant)", required=False)
    demande = forms.IntegerField(
        label="Demande de périmètre (numéro)",
        required=False,
        min_value=1,
        max_value=saisie.ENTIER_MAX,
    )
    personne = forms.IntegerField(
        label="Personne proposée (numéro)",
        required=False,
        min_value=1,
        max_value=saisie.ENTIER_MAX,
    )
    role = forms.ChoiceField(
        label="Rôle proposé", choices=[("", "—"), *Role.choices], required=False
    )


class ParticipantForm(DsfrBaseForm):
    personne = forms.ModelChoiceField(
        label="Personne", queryset=Personne.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False
    )
    presence = forms.ChoiceField(label="Présence", choices=Presence.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_visibles(user)
        self.fields["personne"].queryset = Personne.objects.filter(
            organisation__in=organisations_visibles(user)
        ).select_related("organisation")


class CompteRenduForm(DsfrBaseForm):
    texte = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 8}))


class PieceForm(DsfrBaseForm):
    # The size is checked by gouvernance.services.joindre_piece (comptes.pieces).
    fichier = forms.FileField(
        label="Pièce jointe", help_text=f"Taille maximale : {TAILLE_MAX_LIBELLE}."
    )
    nom = forms.CharField(label="Nom", required=False, max_length=200)


@login_required
def reunion(request, pk: int):
    r = _reunion(request, pk)
    peut = permissions.peut_animer(request.user, r.comite)
    points = r.points.select_related(
        "fiche", "demande", "designation_personne", "decision_prise__decision"
    )
    return render(
        request,
        "gouvernance/reunion.html",
        {
            "r": r,
            "points": points,
            "participants": r.participants.select_related("personne", "organisation"),
            "decisions": r.decisions.select_related("decision", "point"),
            "pieces": r.pieces.all(),
            "peut": peut,
            "passee": r.debut <= timezone.now(),
            "point_form": PointForm() if peut else None,
            "participant_form": ParticipantForm(user=request.user) if peut else None,
            "cr_form": CompteRenduForm(initial={"texte": r.compte_rendu}) if peut else None,
            "piece_form": PieceForm() if peut else None,
            "regions": r.comite.regions_concernees(),
        },
    )


def _action_reunion(request, pk):
    r = _reunion(request, pk)
    exiger(permissions.peut_animer(request.user, r.comite))
    return r


def _rendre_erreurs(request, form, exc=None):
    if exc is not None:
        _erreurs(form, exc)
    for e in form.non_field_errors():
        messages.error(request, e)
    for field in form:
        for e in field.errors:
            messages.error(request, f"{field.label} : {e}")


@login_required
@require_POST
def reunion_point(request, pk: int):
    r = _action_reunion(request, pk)
    form = PointForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        fiche = demande = personne = None
        if d["fiche"]:
            fiche = fiches_visibles(request.user).filter(uuid=d["fiche"]).first()
        if d["demande"]:
            demande = permissions.demandes_visibles(request.user).filter(pk=d["demande"]).first()
        if d["personne"]:
            personne = Personne.objects.filter(pk=d["personne"]).first()
        try:
            services.ajouter_point(
                user=request.user,
                reunion=r,
                nature=d["nature"],
                intitule=d["intitule"],
                fiche=fiche,
                demande=demande,
                personne=personne,
                role=d["role"],
            )
        except ValidationError as exc:
            _rendre_erreurs(request, form, exc)
        else:
            messages.success(request, "Point ajouté à l'ordre du jour.")
    else:
        _rendre_erreurs(request, form)
    return redirect("gouvernance:reunion", pk=r.pk)


@login_required
@require_POST
def reunion_participant(request, pk: int):
    r = _action_reunion(request, pk)
    form = ParticipantForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.inviter(
                user=request.user,
                reunion=r,
                personne=d["personne"],
                organisation=d["organisation"],
                presence=d["presence"],
            )
        except ValidationError as exc:
            _rendre_erreurs(request, form, exc)
        else:
            messages.success(request, "Participant enregistré.")
    else:
        _rendre_erreurs(request, form)
    return redirect("gouvernance:reunion", pk=r.pk)


@login_required
@require_POST
def reunion_compte_rendu(request, pk: int):
    r = _action_reunion(request, pk)
    form = CompteRenduForm(request.POST)
    if form.is_valid():
        try:
            services.rediger_compte_rendu(
                user=request.user, reunion=r, texte=form.cleaned_data["texte"]
            )
        except ValidationError as exc:
            _rendre_erreurs(request, form, exc)
        else:
            messages.success(request, "Compte rendu enregistré.")
    else:
        _rendre_erreurs(request, form)
    return redirect("gouvernance:reunion", pk=r.pk)


@login_required
@require_POST
def reunion_piece(request, pk: int):
    r = _action_reunion(request, pk)
    form = PieceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.joindre_piece(
                user=request.user,
                reunion=r,
                fichier=form.cleaned_data["fichier"],
                nom=form.cleaned_data["nom"],
            )
        except ValidationError as exc:
            _rendre_erreurs(request, form, exc)
        else:
            messages.success(request, "Pièce jointe ajoutée.")
    else:
        _rendre_erreurs(request, form)
    return redirect("gouvernance:reunion", pk=r.pk)


@login_required
def piece(request, pk: int):
    # Attachments are served through the meeting's scope, never from a public URL.
    p = get_object_or_404(
        PieceJointe.objects.filter(reunion__in=permissions.reunions_visibles(request.user)),
        pk=pk,
    )
    return FileResponse(p.fichier.open("rb"), as_attachment=True, filename=p.nom)


def reunion_ics(request, pk: int):
    r = _reunion(request, pk)
    url = request.build_absolute_uri(reverse("gouvernance:reunion", args=[r.pk]))
    corps = agenda.calendrier([r], nom=str(r), url_de=lambda _: url)
    resp = HttpResponse(corps, content_type=ICS)
    resp["Content-Disposition"] = f'attachment; filename="reunion-{r.pk}.ics"'
    return resp


# --- Decisions -------------------------------------------------------------------------------


class DecisionForm(DsfrBaseForm):
    texte = forms.CharField(
        label="Résumé de la décision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que l'instance a décidé, tel qu'au relevé de décisions.",
    )
    accepter = forms.TypedChoiceField(
        label="Décision sur la demande",
        choices=[("oui", "Acceptée"), ("non", "Refusée")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
        required=False,
    )
    # The moves a committee decides: those of the lifecycle table that rest on a decision.
    mouvement = forms.ChoiceField(
        label="Mouvement de la fiche",
        choices=[(nom, m.libelle) for nom, m in cycle.MOUVEMENTS.items() if m.instance],
        required=False,
    )
    avis = forms.ChoiceField(label="Avis", choices=[("", "—"), *Avis.choices], required=False)
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, nature: str, **kwargs):
        super().__init__(*args, **kwargs)
        if nature != NaturePoint.PERIMETRE:
            del self.fields["accepter"]
        if nature != NaturePoint.FICHE:
            for f in ("mouvement", "avis", "motif"):
                del self.fields[f]


@login_required
def decision(request, pk: int):
    point = get_object_or_404(
        PointOrdreDuJour.objects.filter(
            reunion__in=permissions.reunions_visibles(request.user)
        ).select_related("reunion__comite", "fiche", "demande"),
        pk=pk,
    )
    r = point.reunion
    exiger(permissions.peut_animer(request.user, r.comite))
    form = DecisionForm(request.POST or None, nature=point.nature)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decider(
                user=request.user,
                reunion=r,
                point=point,
                objet=services.OBJET_DU_POINT[point.nature],
                texte=d["texte"],
                accepter=d.get("accepter") if point.nature == NaturePoint.PERIMETRE else None,
                mouvement=d.get("mouvement", ""),
                avis=d.get("avis", ""),
                motif=d.get("motif", ""),
            )
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, "Décision enregistrée et appliquée.")
            return redirect("gouvernance:reunion", pk=r.pk)
    return render(request, "gouvernance/decision.html", {"point": point, "r": r, "form": form})


# --- Calendars -------------------------------------------------------------------------------


@login_required
def mon_agenda(request):
    personne = get_object_or_404(Personne, compte=request.user)
    jeton = None
    if request.method == "POST":
        jeton = agenda.nouveau_jeton(personne)
    lien = (
        request.build_absolute_uri(reverse("gouvernance:agenda-ics", args=[jeton]))
        if jeton
        else None
    )
    return render(
        request,
        "gouvernance/agenda.html",
        {
            "reunions": agenda.reunions_de(personne),
            "lien": lien,
            "a_un_jeton": hasattr(personne, "jeton_agenda"),
        },
    )


def agenda_ics(request, jeton: str):
    # No session: the secret token stands for the person, within that person's scope.
    personne = agenda.personne_du_jeton(jeton)
    if personne is None:
        raise Http404("Agenda introuvable.")

    def url_de(r):
        return request.build_absolute_uri(reverse("gouvernance:reunion", args=[r.pk]))

    corps = agenda.calendrier(
        agenda.reunions_de(personne), nom=f"Territoires d'industrie — {personne}", url_de=url_de
    )
    return HttpResponse(corps, content_type=ICS)


# --- Perimeter requests ----------------------------------------------------------------------


@login_required
def demandes_liste(request):
    qs = permissions.demandes_visibles(request.user).select_related(
        "territoire", "region", "demandeur_organisation", "demandeur_territoire", "epci"
    )
    etat = request.GET.get("etat", "")
    if etat in EtatDemande.values:
        qs = qs.filter(etat=etat)
    return render(
        request,
        "gouvernance/demandes.html",
        {"demandes": qs, "etats": EtatDemande.choices, "etat": etat},
    )


class DemandeForm(DsfrBaseForm):
    nature = forms.ChoiceField(label="Nature de la demande", choices=NatureDemande.choices)
    territoire = forms.ModelChoiceField(
        label="Territoire concerné", queryset=Territoire.objects.none(), required=False
    )
    epci = forms.CharField(label="SIREN de l'intercommunalité", required=False, max_length=9)
    code_propose = forms.CharField(label="Code proposé (nouveau territoire)", required=False)
    nom_propose = forms.CharField(label="Nom proposé (nouveau territoire)", required=False)
    epcis_proposes = forms.CharField(
        label="SIREN des intercommunalités du nouveau territoire",
        required=False,
        help_text="Séparés par des virgules.",
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour un nouveau territoire (principe de ciblage, FAQ §2.2).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = territoires_suivis(user).order_by("phase", "code")


@login_required
def demande_nouvelle(request):
    form = DemandeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        personne = Personne.objects.filter(compte=request.user).first()
        org = personne.organisation if personne and personne.organisation else None
        epci = EPCI.objects.filter(siren=d["epci"]).first() if d["epci"] else None
        t = d["territoire"]
        try:
            dem = demandes.deposer(
                user=request.user,
                nature=d["nature"],
                territoire=t,
                epci=epci,
                demandeur_organisation=org if org and org.epci_id else None,
                demandeur_territoire=t if not (org and org.epci_id) else None,
                justification=d["justification"],
                code_propose=d["code_propose"],
                nom_propose=d["nom_propose"],
                epcis_proposes=[s.strip() for s in d["epcis_proposes"].split(",") if s.strip()],
            )
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, "Demande déposée : le COPIL régional l'examinera.")
            return redirect("gouvernance:demande", pk=dem.pk)
    return render(request, "gouvernance/demande_nouvelle.html", {"form": form})


class InscriptionForm(DsfrBaseForm):
    """The meeting of the regional COPIL whose agenda gets the request."""

    reunion = forms.ModelChoiceField(
        label="Réunion du COPIL régional",
        queryset=Reunion.objects.none(),
        error_messages={
            "required": "Choisissez la réunion du COPIL régional.",
            "invalid_choice": "Choisissez une réunion du COPIL régional dans la liste.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reunion"].queryset = permissions.reunions_visibles(user)


def _demande(request, pk):
    return get_object_or_404(
        permissions.demandes_visibles(request.user).select_related(
            "territoire", "region", "epci", "decision"
        ),
        pk=pk,
    )


def _page_demande(request, dem, form=None, status=200):
    copil = Comite.objects.filter(type="copil_regional", region_id=dem.region_id).first()
    peut = copil is not None and permissions.peut_animer(request.user, copil)
    return render(
        request,
        "gouvernance/demande.html",
        {
            "d": dem,
            "points": dem.points.select_related("reunion", "decision_prise"),
            "copil": copil,
            "peut": peut,
            "reunions_copil": copil.reunions.all()[:20] if peut else [],
            "form": form,
        },
        status=status,
    )


@login_required
def demande(request, pk: int):
    return _page_demande(request, _demande(request, pk))


@login_required
@require_POST
def demande_inscrire(request, pk: int):
    dem = _demande(request, pk)
    form = InscriptionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page_demande(request, dem, form, status=400)
    r = form.cleaned_data["reunion"]
    exiger(permissions.peut_animer(request.user, r.comite))
    try:
        services.ajouter_point(
            user=request.user, reunion=r, nature=NaturePoint.PERIMETRE, demande=dem
        )
    except ValidationError as exc:
        for m in saisie.messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, "Demande inscrite à l'ordre du jour : elle est examinée.")
    return redirect("gouvernance:demande", pk=dem.pk)


# --- CNI versions of the map -----------------------------------------------------------------


class VersionForm(DsfrBaseForm):
    nom = forms.CharField(label="Nom de la version", max_length=200)
    date = forms.DateField(label="Date de la carte", widget=DATE)
    phase = forms.ModelChoiceField(label="Phase", queryset=Phase.objects.all())


@login_required
def versions_liste(request):
    peut = permissions.peut_versionner_carte(request.user)
    form = VersionForm(request.POST or None) if peut else None
    if request.method == "POST":
        exiger(peut)
        if form.is_valid():
            try:
                v = versions.publier_version(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _erreurs(form, exc)
            else:
                messages.success(request, "Version de la carte publiée.")
                return redirect("gouvernance:version", pk=v.pk)
    return render(
        request,
        "gouvernance/versions.html",
        {"versions": versions.VersionCarte.objects.all(), "form": form},
    )


def version(request, pk: int):
    # The published national map is public (DOMAIN « Public »).
    v = get_object_or_404(versions.VersionCarte, pk=pk)
    return render(request, "gouvernance/version.html", {"v": v, "cmp": versions.comparer(v)})
