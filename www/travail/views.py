"""The work queue of the signed-in person and their notification preferences.

No rule here: the queue is notifications.file, the preferences are written by
notifications.services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from notifications.file import Rubrique
from notifications.services import enregistrer_preferences, preferences_de
from referentiel import saisie

from .context_processors import file_de_la_requete
from .forms import PreferencesForm


def file_pour_les_connectes(vue):
    """The home page of a signed-in person is their queue; visitors keep the public home
    page. Decided here, once: the home view is wrapped with it."""

    @wraps(vue)
    def accueil(request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("travail:file")
        return vue(request, *args, **kwargs)

    return accueil


@login_required
def file(request):
    f = file_de_la_requete(request)
    return render(
        request,
        "travail/file.html",
        {"file": f, "rubriques": f.rubriques(), "attente": Rubrique.ATTENTE},
    )


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, actuelles=preferences_de(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enregistrer_preferences(user=request.user, choix=form.cleaned_data)
        except ValidationError as exc:
            for m in saisie.messages(exc):
                form.add_error(None, m)
        else:
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("travail:preferences")
    return render(
        request, "travail/preferences.html", {"form": form}, status=400 if form.errors else 200
    )
