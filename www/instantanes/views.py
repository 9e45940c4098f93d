"""Pages of the reporting snapshots: list, freeze, read, compare two (suivi.instantanes). The
national delegation for the programme, a Région's pilot for its territories; anyone else, and
any snapshot out of one's reach, answers 404."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from comptes.permissions import exiger, portee
from referentiel import formats, saisie
from referentiel.models import Region
from suivi import instantanes as service
from suivi.permissions import instantanes_visibles, peut_figer
from territoires.models import Phase
from territoires.selectors import today

from ..commun.formulaires import DsfrBaseForm

NATIONAL = "national"


def _peut_venir(user) -> bool:
    p = portee(user)
    return p.national or bool(p.regions_pilote)


class FigerForm(DsfrBaseForm):
    libelle = forms.CharField(
        label="Libellé",
        max_length=200,
        validators=[saisie.valider_texte],
        help_text="Par exemple : « Conseil national de l'industrie du 12 juin 2025 ».",
    )
    portee = forms.ChoiceField(label="Périmètre")
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.all(), required=False, empty_label="Toutes les phases"
    )
    date = forms.DateField(
        label="Chiffres au",
        initial=today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[saisie.valider_date],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choix = [(NATIONAL, "Programme national")] if peut_figer(user) else []
        regions = Region.objects.filter(code__in=portee(user).regions_pilote)
        choix += [(r.code, f"Région {r.nom}") for r in regions]
        self.fields["portee"].choices = choix


class ComparerForm(DsfrBaseForm):
    a = forms.ModelChoiceField(queryset=None, label="Avant", empty_label=None)
    b = forms.ModelChoiceField(queryset=None, label="Après", empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("a", "b"):
            self.fields[nom].queryset = instantanes_visibles(user)


@login_required
def liste(request):
    exiger(_peut_venir(request.user))
    visibles = instantanes_visibles(request.user)
    return render(
        request,
        "instantanes/liste.html",
        {
            "instantanes": visibles,
            "form": FigerForm(user=request.user),
            "comparer": ComparerForm(user=request.user) if visibles.count() > 1 else None,
        },
    )


@login_required
def figer(request):
    exiger(_peut_venir(request.user))
    form = FigerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            i = service.figer(
                request.user,
                libelle=d["libelle"],
                region=None if d["portee"] == NATIONAL else d["portee"],
                phase=d["phase"],
                date=d["date"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "Chiffres figés.")
            return redirect("instantanes:detail", pk=i.pk)
    return render(request, "instantanes/figer.html", {"form": form})


def texte(figure: str, valeur) -> str:
    """A figure written for people: euros, a share in per cent, a leverage ratio."""
    if valeur is None:
        return "—"
    valeur = Decimal(valeur)
    if figure == "taux_accord":
        return formats.pourcent(round(valeur * 100, 1))
    if figure == "effet_levier":
        return formats.nombre(valeur, 2)
    return formats.euros(valeur)


def cellule(figure: str, v: dict) -> dict:
    return {"texte": texte(figure, v["valeur"]), "motif": v.get("motif") or ""}


def _niveaux(donnees: dict) -> list[tuple[str, list[dict]]]:
    out = []
    for niveau, libelle in service.LIBELLES_NIVEAUX.items():
        lignes = [
            {"libelle": r["libelle"], "cellules": [cellule(f, r[f]) for f in service.FIGURES]}
            for r in donnees.get(niveau, [])
        ]
        if lignes:
            out.append((libelle, lignes))
    return out


@login_required
def detail(request, pk: int):
    i = service.instantane(request.user, pk)
    return render(
        request,
        "instantanes/detail.html",
        {
            "i": i,
            "niveaux": _niveaux(i.donnees),
            "figures": [service.LIBELLES_FIGURES[f] for f in service.FIGURES],
        },
    )


@login_required
def comparer(request):
    form = ComparerForm(request.GET or None, user=request.user)
    if not form.is_valid():
        exiger(False)  # an unknown or unreadable snapshot: as if it did not exist
    a = service.instantane(request.user, form.cleaned_data["a"].pk)
    b = service.instantane(request.user, form.cleaned_data["b"].pk)
    try:
        ecarts = service.comparer(a, b)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("instantanes:liste")
    return render(
        request,
        "instantanes/comparer.html",
        {
            "a": a,
            "b": b,
            "niveaux": [
                (service.LIBELLES_NIVEAUX[n], [_comparee(r) for r in rows])
                for n, rows in ecarts.items()
            ],
            "figures": [service.LIBELLES_FIGURES[f] for f in service.FIGURES],
        },
    )


def _comparee(r) -> dict:
    cellules = []
    for f in service.FIGURES:
        e = r.figures[f]

        def cote(v, e=e, f=f):
            return "retenu" if v is None and e.motif else texte(f, v)

        ecart = "—" if e.ecart is None else ("+" if e.ecart > 0 else "") + texte(f, e.ecart)
        cellules.append(
            {"avant": cote(e.avant), "apres": cote(e.apres), "ecart": ecart, "motif": e.motif}
        )
    return {"libelle": r.libelle, "cellules": cellules}
