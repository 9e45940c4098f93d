"""Bodies, their meetings and the decisions taken there (FAQ §2.3, §3). Reads come from
gouvernance.permissions (anything out of scope answers 404), writes go through
gouvernance.services."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes.models import Personne
from comptes.permissions import exiger
from fiches.selectors import fiches_visibles
from gouvernance import agenda, permissions, seances, services
from gouvernance.models import PieceJointe, PointOrdreDuJour, Reunion
from gouvernance.selectors import comites_de_la_region
from referentiel import saisie

from ..commun.actions import executer, signaler, soumis
from . import forms as gf

ICS = "text/calendar; charset=utf-8"


def _reunion(request, pk) -> Reunion:
    return get_object_or_404(
        permissions.reunions_visibles(request.user).select_related(
            "comite", "comite__territoire", "comite__region"
        ),
        pk=pk,
    )


def gouvernance(request):
    comites = permissions.comites_visibles(request.user).select_related("territoire", "region")
    if (numero := saisie.entier(request.GET.get("territoire", ""))) is not None:
        comites = comites.filter(territoire_id=numero)
    if region := request.GET.get("region", ""):
        comites = comites_de_la_region(comites, region)
    reunions = (
        Reunion.objects.filter(comite__in=comites).select_related("comite").order_by("-debut")[:50]
    )
    return render(
        request,
        "gouvernance/index.html",
        {"comites": comites.distinct(), "reunions": reunions, "maintenant": timezone.now()},
    )


def comite(request, pk: int):
    c = get_object_or_404(
        permissions.comites_visibles(request.user).select_related("territoire", "region"), pk=pk
    )
    peut = permissions.peut_animer(request.user, c)
    if request.method == "POST":
        exiger(peut)
    form = gf.ReunionForm(request.POST or None) if peut else None
    if soumis(request, form) and (
        planifiee := executer(
            services.planifier_reunion, form=form, user=request.user, comite=c, **form.reunion()
        )
    ):
        messages.success(request, "Réunion créée.")
        return redirect("gouvernance:reunion", pk=planifiee.resultat.pk)
    return render(
        request,
        "gouvernance/comite.html",
        {"c": c, "reunions": c.reunions.all(), "peut": peut, "form": form},
    )


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
            "passee": r.passee,
            "point_form": gf.PointForm() if peut else None,
            "participant_form": gf.ParticipantForm(user=request.user) if peut else None,
            "cr_form": gf.CompteRenduForm(
                initial={"texte": r.compte_rendu, "version": seances.version_du_compte_rendu(r)}
            )
            if peut
            else None,
            "piece_form": gf.PieceForm() if peut else None,
            "regions": r.comite.regions_concernees(),
        },
    )


def _sur_la_reunion(request, pk, form, service, succes: str, arguments):
    """An action on a meeting, by whoever runs its body (404 for anyone else): back to the
    meeting's page, with what was done or what was refused."""
    r = _reunion(request, pk)
    exiger(permissions.peut_animer(request.user, r.comite))
    if not form.is_valid():
        signaler(request, form)
    elif executer(
        service, request=request, user=request.user, reunion=r, **arguments(form.cleaned_data)
    ):
        messages.success(request, succes)
    return redirect("gouvernance:reunion", pk=r.pk)


@require_POST
def reunion_point(request, pk: int):
    user = request.user

    def point(d):
        # What the point presents, among what the person may see.
        return {
            "nature": d["nature"],
            "intitule": d["intitule"],
            "fiche": fiches_visibles(user).filter(uuid=d["fiche"]).first() if d["fiche"] else None,
            "demande": (
                permissions.demandes_visibles(user).filter(pk=d["demande"]).first()
                if d["demande"]
                else None
            ),
            "personne": Personne.objects.filter(pk=d["personne"]).first()
            if d["personne"]
            else None,
            "role": d["role"],
        }

    form = gf.PointForm(request.POST)
    succes = "Point ajouté à l'ordre du jour."
    return _sur_la_reunion(request, pk, form, services.ajouter_point, succes, point)


@require_POST
def reunion_participant(request, pk: int):
    form = gf.ParticipantForm(request.POST, user=request.user)
    succes = "Participant enregistré."
    return _sur_la_reunion(request, pk, form, services.inviter, succes, dict)


@require_POST
def reunion_compte_rendu(request, pk: int):
    form = gf.CompteRenduForm(request.POST)
    succes = "Compte rendu enregistré."
    return _sur_la_reunion(request, pk, form, seances.rediger_compte_rendu, succes, dict)


@require_POST
def reunion_piece(request, pk: int):
    form = gf.PieceForm(request.POST, request.FILES)
    succes = "Pièce jointe ajoutée."
    return _sur_la_reunion(request, pk, form, services.joindre_piece, succes, dict)


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


def decision(request, pk: int):
    point = get_object_or_404(
        PointOrdreDuJour.objects.filter(
            reunion__in=permissions.reunions_visibles(request.user)
        ).select_related("reunion__comite", "fiche", "demande"),
        pk=pk,
    )
    r = point.reunion
    exiger(permissions.peut_animer(request.user, r.comite))
    form = gf.DecisionForm(request.POST or None, nature=point.nature)
    if soumis(request, form):
        d = form.cleaned_data
        if executer(
            services.decider,
            form=form,
            user=request.user,
            reunion=r,
            point=point,
            objet=services.OBJET_DU_POINT[point.nature],
            texte=d["texte"],
            accepter=d.get("accepter"),  # asked on a perimeter request's point only
            mouvement=d.get("mouvement", ""),
            avis=d.get("avis", ""),
            motif=d.get("motif", ""),
        ):
            messages.success(request, "Décision enregistrée et appliquée.")
            return redirect("gouvernance:reunion", pk=r.pk)
    return render(request, "gouvernance/decision.html", {"point": point, "r": r, "form": form})
