"""Request hygiene for the whole site, pages and API alike."""

from django.http import HttpResponseBadRequest, JsonResponse

from comptes.memoire import version_lue_une_fois
from referentiel import saisie
from territoires.lecture import phases_lues_une_fois

LECTURES = ("GET", "HEAD", "OPTIONS")


class AdresseLisible:
    """An address whose path or query holds a control character (NUL…) or a lone surrogate
    names nothing: 400 with the French reason, before any view. PostgreSQL refuses NUL in a
    query, so such an address would otherwise end in a failure wherever it is looked up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        morceaux = [request.path]
        for cle, valeurs in request.GET.lists():
            morceaux += [cle, *valeurs]
        interdits = saisie.caracteres_interdits("".join(morceaux))
        if not interdits:
            return self.get_response(request)
        codes = ", ".join(f"U+{ord(c):04X}" for c in interdits)
        message = f"Adresse invalide : elle contient un caractère invisible ou invalide ({codes})."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class PhasesLuesUneFois:
    """A request that reads asks for the phase in force several times (the menu's work queue,
    the page, its forms): the phases are read once for it, and so is the version of the data
    under which comptes.memoire keeps its results. A request that writes reads them each
    time, since it may change them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in LECTURES:
            return self.get_response(request)
        with phases_lues_une_fois(), version_lue_une_fois():
            return self.get_response(request)
