from django.utils.functional import SimpleLazyObject

from suivi import tableaux


def tableaux_de_bord(request):
    """Whether the menu offers « Tableaux de bord »: worked out only when a page asks."""
    # An error page may be drawn before the person is known (a request refused early).
    user = getattr(request, "user", None)
    if user is None:
        return {"a_un_tableau": False}
    return {"a_un_tableau": SimpleLazyObject(lambda: tableaux.a_un_tableau(user))}
