"""Pages of the instruction delays: the targets (national delegation; a Région's pilot for its
own measures and its own money), the delays per funder, the lines past target and the fiches
waiting longest, with whom they wait on (suivi.delais). Scoped to the reader."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from comptes.enums import TYPES_PUBLICS, TypeOrganisation
from comptes.models import Organisation
from comptes.permissions import exiger, portee
from comptes.services import ConflitEdition
from mesures.enums import SourceMesure
from mesures.models import Mesure
from suivi import delais, services
from suivi.models import CibleDelai
from suivi.permissions import peut_gerer_cible, peut_gerer_des_cibles

from ..commun.formulaires import DsfrBaseForm

PAS_DE_DROIT = "Vous ne pouvez pas fixer de cible de délai."


@login_required
def tableau(request):
    user = request.user
    cibles = CibleDelai.objects.select_related("financeur", "mesure").order_by("cle")
    return render(
        request,
        "delais/tableau.html",
        {
            "cibles": [
                (c, peut_gerer_cible(user, financeur=c.financeur, mesure=c.mesure)) for c in cibles
            ],
            "peut_creer": peut_gerer_des_cibles(user),
            "etapes": [(e, v[3]) for e, v in delais.ETAPES.items()],
            "par_financeur": delais.delais(user, "financeur"),
            "en_retard": delais.en_retard(user)[:100],
            "attentes": delais.plus_longues_attentes(user),
        },
    )


class CibleForm(DsfrBaseForm):
    jours_decision = forms.IntegerField(
        label="De la demande à la décision (jours)", required=False, min_value=0, max_value=3650
    )
    jours_engagement = forms.IntegerField(
        label="De la décision à l'engagement (jours)", required=False, min_value=0, max_value=3650
    )
    jours_paiement = forms.IntegerField(
        label="De l'engagement au premier paiement (jours)",
        required=False,
        min_value=0,
        max_value=3650,
    )
    source = forms.CharField(label="Source ou motif", required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NouvelleCibleForm(CibleForm):
    financeur = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    mesure = forms.ModelChoiceField(queryset=Mesure.objects.none(), required=False, empty_label="—")

    field_order = ["financeur", "mesure"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        p = portee(user)
        financeurs = Organisation.objects.filter(type__in=TYPES_PUBLICS)
        mesures = Mesure.objects.all()
        if not p.national:
            financeurs = financeurs.filter(
                type=TypeOrganisation.REGION, region_id__in=p.regions_pilote
            )
            mesures = mesures.filter(
                Q(source=SourceMesure.REGIONALE), region_id__in=p.regions_pilote
            )
        self.fields["financeur"].queryset = financeurs.order_by("nom")
        self.fields["mesure"].queryset = mesures.order_by("nom")
        self.fields[
            "financeur"
        ].help_text = "Ou une mesure, ou ni l'un ni l'autre : la cible par défaut."
        if not p.national:
            self.fields[
                "financeur"
            ].help_text = "Votre Région comme financeur, ou une de ses mesures."


def _enregistrer(request, form, **kwargs):
    try:
        return services.enregistrer_cible(user=request.user, donnees=form.cleaned_data, **kwargs)
    except ValidationError as exc:
        form.add_error(None, exc)
    except ConflitEdition:
        form.add_error(
            None,
            "Quelqu'un a modifié cette cible entre-temps : rechargez la page pour voir sa "
            "version, rien n'a été enregistré.",
        )
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def cible_nouvelle(request):
    exiger(peut_gerer_des_cibles(request.user), PAS_DE_DROIT)
    form = NouvelleCibleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _enregistrer(request, form, financeur=d["financeur"], mesure=d["mesure"]):
            messages.success(request, "Cible de délai enregistrée.")
            return redirect("delais:tableau")
    return render(request, "delais/cible.html", {"form": form, "cible": None})


@login_required
def cible_modifier(request, pk: int):
    cible = get_object_or_404(CibleDelai.objects.select_related("financeur", "mesure"), pk=pk)
    exiger(peut_gerer_cible(request.user, financeur=cible.financeur, mesure=cible.mesure))
    if request.method == "POST" and "supprimer" in request.POST:
        services.supprimer_cible(user=request.user, cible=cible)
        messages.success(request, "Cible de délai supprimée.")
        return redirect("delais:tableau")
    initial = {f: getattr(cible, f) for f in (*services.JOURS, "source", "version")}
    form = CibleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        if _enregistrer(request, form, cible=cible, version=version):
            messages.success(request, "Cible de délai enregistrée.")
            return redirect("delais:tableau")
    return render(request, "delais/cible.html", {"form": form, "cible": cible})
