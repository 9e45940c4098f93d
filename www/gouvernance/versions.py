"""The versions of the national map published at the CNI (FAQ §2.3), and their comparison
(gouvernance.versions)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from comptes.permissions import exiger
from gouvernance import permissions, versions

from ..commun.actions import executer, soumis
from . import forms as gf


def versions_liste(request):
    peut = permissions.peut_versionner_carte(request.user)
    if request.method == "POST":
        exiger(peut)
    form = gf.VersionForm(request.POST or None) if peut else None
    if soumis(request, form) and (
        publiee := executer(
            versions.publier_version, form=form, user=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, "Version de la carte publiée.")
        return redirect("gouvernance:version", pk=publiee.resultat.pk)
    return render(
        request,
        "gouvernance/versions.html",
        {"versions": versions.VersionCarte.objects.all(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def version(request, pk: int):
    # The published national map is public (DOMAIN « Public »).
    v = get_object_or_404(versions.VersionCarte, pk=pk)
    return render(request, "gouvernance/version.html", {"v": v, "cmp": versions.comparer(v)})
