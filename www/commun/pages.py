"""What every page shares: lists cut into pages, and the answer to a refused action."""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.defaults import page_not_found

PAR_PAGE = 50


def paginer(request, liste, par_page: int = PAR_PAGE) -> dict:
    """The page asked for (?page=), and the query without it for the links of
    commun/_pagination.html."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": Paginator(liste, par_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }


def refus(request, exception=None):
    """A refused action (comptes.permissions.exiger) answers like an object out of scope, 404:
    the existence of what one may not touch is not disclosed."""
    return page_not_found(request, Http404("Page introuvable."))
