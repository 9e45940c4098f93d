"""Pages of the panier de services (FAQ §5). Reads go through mesures.selectors, writes through
mesures.services, who may write through mesures.permissions (404 for anyone else)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from comptes.permissions import exiger
from mesures import permissions as droits
from mesures import selectors, services
from mesures.enums import CHOIX_AXES_AVEC_PHASE, PORTEURS_AU_PLURIEL, NatureMesure, SourceMesure
from mesures.models import AXES_CONNUS, Mesure
from mesures.permissions import peut_creer_des_mesures, peut_gerer_mesure
from referentiel.models import Region


class FiltresMesuresForm(DsfrBaseForm):
    q = forms.CharField(
        required=False,
        label="Rechercher",
        help_text="Nom, description ou opérateur de la mesure",
    )
    axe = forms.ChoiceField(
        required=False,
        label="Axe ou priorité",
        choices=[("", "Tous les axes et priorités"), *CHOIX_AXES_AVEC_PHASE],
    )
    nature = forms.ChoiceField(
        required=False, label="Nature", choices=[("", "Toutes"), *NatureMesure.choices]
    )
    source = forms.ChoiceField(
        required=False, label="Source", choices=[("", "Toutes"), *SourceMesure.choices]
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        empty_label="Toutes les régions",
        label="Mobilisable en région",
        to_field_name="code",
    )
    # Only the organisations that operate a measure.
    operateur = forms.ModelChoiceField(
        queryset=selectors.operateurs(), required=False, empty_label="Tous", label="Opérateur"
    )
    valide = forms.BooleanField(required=False, label="Valables aujourd'hui")


def mesures(request):
    form = FiltresMesuresForm(request.GET)
    form.is_valid()  # an invalid field is dropped alone; the others still filter
    f = form.cleaned_data
    liste = selectors.catalogue(
        q=f.get("q"),
        axe=f.get("axe"),
        nature=f.get("nature"),
        source=f.get("source"),
        region=f["region"].code if f.get("region") else None,
        operateur=f["operateur"].pk if f.get("operateur") else None,
        valide_le=timezone.localdate() if f.get("valide") else None,
    )
    page = Paginator(liste, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mesures/liste.html",
        {
            "form": form,
            "page_obj": page,
            "total": len(liste),
            "query": query.urlencode(),
            "peut_creer": peut_creer_des_mesures(request.user),
        },
    )


def mesure(request, pk: int):
    m = get_object_or_404(Mesure.objects.select_related("operateur", "region"), pk=pk)
    return render(
        request,
        "mesures/detail.html",
        {
            "m": m,
            "valide": m.valide_le(timezone.localdate()),
            "peut_modifier": peut_gerer_mesure(request.user, m),
        },
    )


class MesureForm(forms.ModelForm, DsfrBaseForm):
    axes = forms.MultipleChoiceField(
        label="Axes ou priorités",
        choices=CHOIX_AXES_AVEC_PHASE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les axes de la phase 1 ou les priorités de la phase 2, pas les deux. Rien "
        "de coché : la mesure sert toutes les fiches.",
        # The model's message: the same refusal whichever way the measure is written.
        error_messages={"invalid_choice": "Axe inconnu : « %(value)s ». " + AXES_CONNUS},
    )
    types_porteurs = forms.MultipleChoiceField(
        label="Types de porteurs éligibles",
        choices=[(t, t.label) for t in PORTEURS_AU_PLURIEL],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun type coché : tous les porteurs sont éligibles.",
        error_messages={"invalid_choice": "Type de porteur inconnu : « %(value)s »."},
    )

    class Meta:
        model = Mesure
        # Scope first (who the measure belongs to), then its rules.
        fields = [
            "nom",
            "description",
            "source",
            "region",
            "operateur",
            "nature",
            "axes",
            "taux_max",
            "plafond",
            "types_porteurs",
            "accord_gouvernance",
            "exclut_entreprises_en_difficulte",
            "date_debut",
            "date_fin",
            "reference",
        ]
        labels = {"nom": "Nom de la mesure", "reference": "Référence"}
        widgets = {
            "date_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the scopes the person keeps (mesures.permissions).
        sources, regions = droits.sources_gerees(user), droits.regions_gerees(user)
        if regions:
            region = self.fields["region"]
            region.queryset = Region.objects.filter(code__in=regions)
            if SourceMesure.NATIONALE in sources:
                region.empty_label = "Aucune (engagement national)"
            else:
                region.required, region.empty_label = True, None
        else:
            del self.fields["region"]
        self.fields["source"].choices = [c for c in SourceMesure.choices if c[0] in sources]
        operateur = self.fields["operateur"]
        operateur.queryset = Organisation.objects.exclude(type=TypeOrganisation.ENTREPRISE)
        operateur.empty_label = "Aucun : mesure de l'État lui-même"


def _enregistrer(request, form, mesure=None):
    """Hands the validated form to the service; its refusals come back as form errors."""
    donnees = {k: form.cleaned_data[k] for k in services.CHAMPS if k in form.cleaned_data}
    try:
        if mesure is None:
            return services.creer_mesure(user=request.user, donnees=donnees)
        return services.modifier_mesure(user=request.user, mesure=mesure, donnees=donnees)
    except ValidationError as exc:
        form.add_error(None, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def mesure_nouvelle(request):
    exiger(peut_creer_des_mesures(request.user))
    form = MesureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        m = _enregistrer(request, form)
        if m is not None:
            messages.success(request, "Mesure ajoutée au panier de services.")
            return redirect("mesures:detail", pk=m.pk)
    return render(request, "mesures/formulaire.html", {"form": form, "m": None})


def mesure_modifier(request, pk: int):
    m = get_object_or_404(Mesure, pk=pk)
    exiger(peut_gerer_mesure(request.user, m))
    # The form works on its own copy: a refused input leaves `m` as stored.
    form = MesureForm(request.POST or None, instance=Mesure.objects.get(pk=m.pk), user=request.user)
    if request.method == "POST" and form.is_valid() and _enregistrer(request, form, m):
        messages.success(request, "Mesure enregistrée.")
        return redirect("mesures:detail", pk=m.pk)
    return render(request, "mesures/formulaire.html", {"form": form, "m": m})
