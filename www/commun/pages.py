"""What every page shares: the answer to a refused action."""

from django.http import Http404
from django.views.defaults import page_not_found


def refus(request, exception=None):
    """A refused action (comptes.permissions.exiger) answers like an object out of scope, 404:
    the existence of what one may not touch is not disclosed."""
    return page_not_found(request, Http404("Page introuvable."))
