"""What every page shares: lists cut into pages."""

from django.core.paginator import Paginator

PAR_PAGE = 50
# Links around the current page and at each end: at most 2 × (AUTOUR + AUX_BOUTS) + 1 page
# links (and two ellipses), however long the list.
AUTOUR = 2
AUX_BOUTS = 1


def paginer(request, liste, par_page: int = PAR_PAGE) -> dict:
    """The page asked for (?page=), its bounded page links, and the query without the page
    for the links of commun/_pagination.html."""
    query = request.GET.copy()
    query.pop("page", None)
    paginator = Paginator(liste, par_page)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "liens_pages": list(
            paginator.get_elided_page_range(page.number, on_each_side=AUTOUR, on_ends=AUX_BOUTS)
        ),
        "ellipse": Paginator.ELLIPSIS,
        "query": query.urlencode(),
    }
