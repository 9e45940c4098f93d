"""What every page shares: lists cut into pages."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.functional import cached_property

from comptes import memoire

PAR_PAGE = 50
# Links around the current page and at each end: at most 2 × (AUTOUR + AUX_BOUTS) + 1 page
# links (and two ellipses), however long the list.
AUTOUR = 2
AUX_BOUTS = 1


class PaginateurParGroupe(Paginator):
    """Pages of a queryset sorted by a group first (the fiches by their territory's code,
    then by number): its rows are counted per group in one query, and a page reads only the
    groups it spans. The database never sorts every row of a national list to give fifty.

    `groupe`: the field of the group's id (indexed), `cle`: the field the list is sorted by
    first; groups with the same key (a code held in both phases) are read together.
    `garder`: the counts are kept until the data changes (comptes.memoire), under their own SQL
    (the reader's scope and filters are in it); only for filters on journaled fields."""

    def __init__(self, liste, par_page, *, groupe: str, cle: str, garder: bool = False):
        super().__init__(liste, par_page)
        self.groupe, self.cle, self.garder = groupe, cle, garder

    @cached_property
    def groupes(self) -> list[tuple[object, list, int]]:
        """(key, ids of its groups, rows) in the order of the list."""
        # Sorted by the database, in its own collation, as the list itself is.
        lignes = (
            self.object_list.order_by()
            .values(self.groupe, self.cle)
            .annotate(n=Count("pk"))
            .order_by(self.cle)
        )

        def compter():
            return [
                (cle, [r[self.groupe] for r in rs], sum(r["n"] for r in rs))
                for cle, rs in ((c, list(g)) for c, g in groupby(lignes, key=lambda r: r[self.cle]))
            ]

        if not self.garder:
            return compter()
        return memoire.memoriser(
            "groupes-d-une-liste", repr(lignes.query.sql_with_params()), None, compter
        )

    @cached_property
    def count(self) -> int:
        return sum(n for _cle, _ids, n in self.groupes)

    def page(self, number):
        number = self.validate_number(number)
        bas = (number - 1) * self.per_page
        haut = bas + self.per_page
        if haut + self.orphans >= self.count:
            haut = self.count
        avant, ids, vus = None, [], 0
        for _cle, ids_du_groupe, n in self.groupes:
            if vus + n > bas and vus < haut:
                avant = vus if avant is None else avant
                ids += ids_du_groupe
            vus += n
        lignes = []
        if ids:
            dans = self.object_list.filter(**{f"{self.groupe}__in": ids})
            lignes = list(dans[bas - avant : haut - avant])
        return self._get_page(lignes, number, self)


def paginer(
    request,
    liste,
    par_page: int = PAR_PAGE,
    groupe: tuple[str, str] | None = None,
    garder: bool = False,
):
    """The page asked for (?page=), its bounded page links, and the query without the page
    for the links of commun/_pagination.html. `groupe`: (group id, first sort key) for a
    list sorted by group (PaginateurParGroupe), `garder` its counts kept."""
    query = request.GET.copy()
    query.pop("page", None)
    if groupe:
        paginator = PaginateurParGroupe(
            liste, par_page, groupe=groupe[0], cle=groupe[1], garder=garder
        )
    else:
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
