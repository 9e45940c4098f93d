"""What every page shares: lists cut into pages."""

from django.core.paginator import Paginator

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
