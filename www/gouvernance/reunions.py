"""Bodies, their meetings and the decisions taken there (FAQ §2.3, §3). Reads come from
gouvernance.permissions (anything out of scope answers 404), writes go through
gouvernance.services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes.permissions import exiger
from comptes.pieces import reponse_piece
from gouvernance import agenda, permissions, reunions, seances, services
from gouvernance.models import PieceJointe, PointOrdreDuJour, Reunion
from gouvernance.selectors import comites_de_la_region
from referentiel import saisie

from ..commun.actions import executer, soumis
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
    # Refused (by the form or the domain): the page again with why, never a success.
    return render(
        request,
        "gouvernance/comite.html",
        {"c": c, "reunions": c.reunions.all(), "peut": peut, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _formulaires(request, r: Reunion, lies: dict) -> dict:
    """The forms of the meeting's page for whoever runs its body; a refused one comes back
    bound, with its errors, in `lies`."""
    if not permissions.peut_animer(request.user, r.comite):
        return {}
    user = request.user
    formes = {
        "point_form": lambda: gf.PointForm(user=user, comite=r.comite),
        "participant_form": lambda: gf.ParticipantForm(user=user),
        "cr_form": lambda: gf.CompteRenduForm(
            initial={"texte": r.compte_rendu, "version": seances.version_du_compte_rendu(r)}
        ),
        "piece_form": gf.PieceForm,
    }
    if not r.annulee and not r.passee:
        debut, fin = timezone.localtime(r.debut), r.fin and timezone.localtime(r.fin)
        initial = {"jour": debut.date(), "heure": debut.time(), "lieu": r.lieu}
        initial |= {"heure_fin": fin and fin.time(), "sequence": r.sequence}
        formes["report_form"] = lambda: gf.ReportForm(initial=initial)
        formes["annulation_form"] = lambda: gf.AnnulationForm(initial={"sequence": r.sequence})
    return {nom: lies.get(nom) or fabrique() for nom, fabrique in formes.items()}


def _page_reunion(request, r: Reunion, lies: dict | None = None, status: int = 200):
    points = r.points.select_related(
        "fiche__territoire", "demande", "designation_personne", "decision_prise__decision"
    )
    formulaires = _formulaires(request, r, lies or {})
    return render(
        request,
        "gouvernance/reunion.html",
        {
            "r": r,
            "points": points,
            "participants": r.participants.select_related("personne", "organisation"),
            "decisions": r.decisions.select_related("decision", "point"),
            "pieces": r.pieces.all(),
            "peut": bool(formulaires),
            "passee": r.passee,
            "regions": r.comite.regions_concernees(),
            "refus": bool(lies),
            **formulaires,
        },
        status=status,
    )


def reunion(request, pk: int):
    return _page_reunion(request, _reunion(request, pk))


def _donnees(form) -> dict:
    return dict(form.cleaned_data)


def _sur_la_reunion(request, pk, nom: str, formulaire, service, succes: str, arguments):
    """An action on a meeting, by whoever runs its body (404 for anyone else). Done: back to
    the meeting's page with what was done. Refused: the page again, the form open with what
    was typed and why it was refused (400; 409 when someone changed the meeting meanwhile),
    never a redirect that would look like a success."""
    r = _reunion(request, pk)
    exiger(permissions.peut_animer(request.user, r.comite))
    form = formulaire(r)
    issue = None
    if form.is_valid():
        issue = executer(
            service,
            form=form,
            user=request.user,
            reunion=r,
            conflit_sur="cette réunion",
            **arguments(form),
        )
        if issue:
            messages.success(request, succes)
            return redirect("gouvernance:reunion", pk=r.pk)
    r.refresh_from_db()
    return _page_reunion(
        request, r, {nom: form}, status=409 if issue is not None and issue.conflit else 400
    )


@require_POST
def reunion_point(request, pk: int):
    def formulaire(r):
        return gf.PointForm(request.POST, user=request.user, comite=r.comite)

    succes = "Point ajouté à l'ordre du jour."
    return _sur_la_reunion(
        request, pk, "point_form", formulaire, services.ajouter_point, succes, _donnees
    )


@require_POST
def reunion_participant(request, pk: int):
    def formulaire(_r):
        return gf.ParticipantForm(request.POST, user=request.user)

    succes = "Participant enregistré."
    return _sur_la_reunion(
        request, pk, "participant_form", formulaire, services.inviter, succes, _donnees
    )


@require_POST
def reunion_compte_rendu(request, pk: int):
    succes = "Compte rendu enregistré."
    return _sur_la_reunion(
        request,
        pk,
        "cr_form",
        lambda _r: gf.CompteRenduForm(request.POST),
        seances.rediger_compte_rendu,
        succes,
        _donnees,
    )


@require_POST
def reunion_piece(request, pk: int):
    succes = "Pièce jointe ajoutée."
    return _sur_la_reunion(
        request,
        pk,
        "piece_form",
        lambda _r: gf.PieceForm(request.POST, request.FILES),
        services.joindre_piece,
        succes,
        _donnees,
    )


@require_POST
def reunion_report(request, pk: int):
    succes = "Réunion reportée : les participants sont prévenus."
    return _sur_la_reunion(
        request,
        pk,
        "report_form",
        lambda _r: gf.ReportForm(request.POST),
        reunions.reporter,
        succes,
        gf.ReportForm.report,
    )


@require_POST
def reunion_annulation(request, pk: int):
    succes = "Réunion annulée : les participants sont prévenus."
    return _sur_la_reunion(
        request,
        pk,
        "annulation_form",
        lambda _r: gf.AnnulationForm(request.POST),
        reunions.annuler,
        succes,
        _donnees,
    )


def piece(request, pk: int):
    # Attachments are served through the meeting's scope, never from a public URL.
    p = get_object_or_404(
        PieceJointe.objects.filter(reunion__in=permissions.reunions_visibles(request.user)),
        pk=pk,
    )
    return reponse_piece(p.fichier, p.nom)


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
            # Another Région's COPIL on an interregional request: its position, not yet the
            # request's decision (gouvernance.demandes).
            position = point.demande_id and r.comite.region_id != point.demande.region_id
            messages.success(
                request,
                "Position de la Région enregistrée : la région qui coordonne la demande décidera."
                if position
                else "Décision enregistrée et appliquée.",
            )
            return redirect("gouvernance:reunion", pk=r.pk)
    statut = 400 if request.method == "POST" else 200
    return render(
        request, "gouvernance/decision.html", {"point": point, "r": r, "form": form}, status=statut
    )
