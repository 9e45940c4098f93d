from notifications.file import File, nombre_a_faire
from notifications.file import file_de_travail as calculer


def file_de_la_requete(request) -> File:
    """The signed-in person's queue, computed once per request (the menu and the page)."""
    if not hasattr(request, "_file_de_travail"):
        request._file_de_travail = calculer(request.user)
    return request._file_de_travail


def nombre_de_la_requete(request) -> int:
    """The menu's number: from the queue if the page has read it, else counted alone."""
    if hasattr(request, "_file_de_travail"):
        return request._file_de_travail.nombre
    if not hasattr(request, "_nombre_a_faire"):
        request._nombre_a_faire = nombre_a_faire(request.user)
    return request._nombre_a_faire


class _Travail:
    """Read only when a template shows it: a response without the menu computes nothing."""

    def __init__(self, request):
        self._request = request

    @property
    def nombre(self) -> int:
        return nombre_de_la_requete(self._request)


def file_de_travail(request) -> dict:
    """The number of items waiting on the signed-in person, for the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"travail": _Travail(request)}
