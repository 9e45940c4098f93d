"""The error pages: French, in the design system, each saying what to do next.

404 and 403 share one page (an object out of scope and a refused action look alike, so that
the existence of what one may not touch is not disclosed); a CSRF refusal says the form has
expired; the 500 page is rendered without the database or any context processor, since the
error may come from either.
"""

from django.http import HttpResponse, HttpResponseNotFound
from django.template import loader


def introuvable(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def refus(request, exception=None):
    """A refused action (comptes.permissions.exiger) answers like an object out of scope."""
    return introuvable(request)


def formulaire_expire(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's token is missing or stale (an old tab, cookies off)."""
    page = loader.render_to_string("403_csrf.html", {"retour": _retour(request)}, request)
    return HttpResponse(page, status=403)


def requete_invalide(request, exception=None):
    return HttpResponse(loader.render_to_string("400.html", {}, request), status=400)


def erreur_serveur(request):
    # No request passed: no context processor, no session, no database.
    return HttpResponse(loader.render_to_string("500.html", {}), status=500)


def _retour(request) -> str:
    """Where the refused form was, to go back to it: only a path of this site."""
    chemin = request.path
    return chemin if chemin.startswith("/") and not chemin.startswith("//") else "/"
