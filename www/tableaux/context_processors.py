from django.utils.functional import SimpleLazyObject

from suivi import tableaux


def tableaux_de_bord(request):
    """Whether the menu offers « Tableaux de bord »: worked out only when a page asks."""
    return {"a_un_tableau": SimpleLazyObject(lambda: tableaux.a_un_tableau(request.user))}
