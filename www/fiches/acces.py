"""The fiche a page is about, among those the person may see: anything else answers 404."""

from django.shortcuts import get_object_or_404

from fiches.models import FicheAction
from fiches.selectors import fiches_visibles


def fiche_visible(request, uuid) -> FicheAction:
    return get_object_or_404(
        fiches_visibles(request.user).select_related(
            "territoire", "territoire__phase", "porteur", "filiere"
        ),
        uuid=uuid,
    )
